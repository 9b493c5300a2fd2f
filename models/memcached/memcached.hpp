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
//  - mcrouter: a user's key is placed by consistent hashing (ketama.hpp), so it stays on one
//    server; a dead or partitioned server costs server_timeout per lookup until
//    failures_until_tko timeouts (a refused connection: at once), then its keys fail fast
//    (fallback) until a probe sent over the network from the mcrouter's node is answered.
//  - single and mcrouter: a live host whose memcached is stopped refuses (RST): the client
//    learns it after a round trip instead of a timeout.
//  - A restarted instance is empty and refills over `warmup`.
#include <memory>
#include <vector>

#include "models/memcached/ketama.hpp"
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
    engine::NodeId probe_from = 0;  // mcrouter: the node whose mcrouter probes this TKO server
  };
  Instance* pick(const engine::Request& r);
  static std::string cache_key(uint64_t user);
  void boot(Instance& in, bool as_master, bool warm);
  void halt(Instance& in, bool graceful, const std::string& cause);
  void lookup_failed(engine::Request& r, Instance& target, engine::NodeId client, bool refused);
  void probe(Instance& in);
  void miss(engine::Request& r);

  MemcachedParams p_;
  engine::Context& ctx_;
  std::vector<Instance> inst_;
  std::unique_ptr<VrrpGroup> vrrp_;  // mode vip only
  std::unique_ptr<KetamaRing> ring_;  // mode mcrouter only
  core::RngStream rng_;
};

}  // namespace mailsim::models
