#pragma once
// memcached: a cache step in a service (`{component: cache, op: get, fallback: true}`)
// called from the node of the step before it (the webmail node). A hit answers for the next
// step (the database) and skips it; a miss, a timeout or a server skipped as failed goes on
// to the next step, so a dead cache costs DB load and latency, not errors, unless the DB
// is down. Without `fallback` on the step a dead cache is an `unavailable` error.
//
// Failure semantics:
//  - single: the one server dies: each lookup waits `timeout`, then the client skips the
//    server for `retry_interval` (lookups go straight to the fallback), then tries again.
//  - vip: keepalived between the nodes, the VRRP group shell vip_balancer uses too
//    (models/common/vrrp_group.hpp: master-down interval, gratuitous ARP, split brain, the
//    gateway's ARP re-resolution after arp_reresolve). Until the gateway sends lookups to a
//    live master they time out as above; a holder that had not served before starts with
//    an empty cache (warmup).
//  - mcrouter: keys hashed over the nodes; a dead server costs server_timeout per lookup
//    until failures_until_tko timeouts, then fails fast (fallback) until a probe succeeds.
//  - A restarted instance is empty and refills over `warmup`.
#include <memory>
#include <vector>

#include "models/memcached/memcached_logic.hpp"
#include "models/memcached/memcached_params.hpp"
#include "models/common/vrrp_group.hpp"
#include "config/topology.hpp"
#include "core/rng.hpp"
#include "engine/component.hpp"
#include "engine/context.hpp"

namespace mailsim::models {

class Memcached : public engine::Component {
 public:
  Memcached(const config::ComponentSpec& spec, MemcachedParams params, engine::Context& ctx);

  void start() override;
  void on_node_down(engine::NodeId n) override;
  void on_node_up(engine::NodeId n) override;
  void stop_instance(engine::NodeId n) override;
  void start_instance(engine::NodeId n) override;
  std::optional<engine::NodeId> resolve_role(const std::string& role) const override;
  void on_request(engine::Request& r) override;
  bool accepts(engine::NodeId n) const override;
  nlohmann::json resolved_params() const override;

 private:
  struct Instance {
    engine::NodeId node;
    int index;
    bool running = false;
    double filled_since = 0;
    engine::Timer probe;
    RetryGate gate{0};
    TkoTracker tko{1, 0, 0};
  };
  void boot(Instance& in, bool as_master, bool warm);
  void halt(Instance& in, bool graceful, const std::string& cause);
  void lookup_failed(engine::Request& r, Instance& target);
  void probe(Instance& in);
  void miss(engine::Request& r);

  MemcachedParams p_;
  engine::Context& ctx_;
  std::vector<Instance> inst_;
  std::unique_ptr<VrrpGroup> vrrp_;  // mode vip only
  core::RngStream rng_;
};

}  // namespace mailsim::models
