#pragma once
// vip_balancer: keepalived holding a VIP on a group of nodes (usually two) and haproxy on
// every one of them in front of the `backend` component.
//
// Failure semantics:
//  - keepalived is the shared VRRP group shell (models/common/vrrp_group.hpp: crash, stop,
//    split brain, the gateway's ARP entry and its re-resolution, failover bookkeeping).
//    keepalived and haproxy are one component: a crash or stop takes both.
//  - haproxy on each node checks each backend server on its own timers; a dead server keeps
//    getting requests until `fall` checks failed: those requests wait timeout_connect per
//    attempt and fail (503) after `retries`, unless `redispatch` sends the last retry
//    elsewhere. A session whose server died waits for timeout_server (504) unless
//    shutdown_sessions cuts it when the server is marked DOWN.
//  - Restart: keepalived starts as backup (priority < 255), haproxy with every server UP at
//    health = rise.
#include <memory>
#include <vector>

#include "models/common/vrrp_group.hpp"
#include "models/vip_balancer/haproxy_check_logic.hpp"
#include "models/vip_balancer/vip_balancer_params.hpp"
#include "config/topology.hpp"
#include "core/rng.hpp"
#include "engine/component.hpp"
#include "engine/context.hpp"

namespace mailsim::models {

class VipBalancer : public engine::Component {
 public:
  VipBalancer(const config::ComponentSpec& spec, VipBalancerParams params, engine::Context& ctx);

  void start() override;
  void on_node_down(engine::NodeId n) override;
  void on_node_up(engine::NodeId n) override;
  void stop_instance(engine::NodeId n) override;
  void start_instance(engine::NodeId n) override;
  std::optional<engine::NodeId> resolve_role(const std::string& role) const override;
  void on_request(engine::Request& r) override;
  bool accepts(engine::NodeId n) const override;
  bool on_orphan(engine::Request& r) override;
  void on_session_end(engine::Request& r, engine::Outcome o) override;
  nlohmann::json resolved_params() const override;

 private:
  struct Server {
    HaproxyCheckLogic check;
    engine::Timer timer;
    int sessions = 0;
    std::vector<std::pair<engine::Request*, uint32_t>> orphans;
  };
  struct Instance {
    engine::NodeId node;
    int index;
    bool running = false;
    uint64_t epoch = 0;  // bumped on boot and halt: stale timers and messages compare it
    std::vector<Server> servers;
    size_t rr_next = 0;
    core::RngStream rng;
  };

  void boot(Instance& in, bool as_master);
  void halt(Instance& in, bool graceful, const std::string& cause);
  void schedule_check(Instance& in, size_t s, double delay);
  void run_check(Instance& in, size_t s);
  void check_done(Instance& in, size_t s, bool ok);
  int pick_server(Instance& in, int avoid, uint64_t user);
  void connect(Instance& in, engine::Request& r, int server);
  void send_on_session(Instance& in, engine::Request& r, int server);
  void on_server(Instance& in, engine::Request& req, int server);
  void retry(Instance& in, engine::Request& r, int server, double after);
  double check_timeout() const;

  VipBalancerParams p_;
  engine::Context& ctx_;
  engine::Component* backend_ = nullptr;
  std::vector<Instance> inst_;
  VrrpGroup vrrp_;  // keepalived on the same nodes: the VIP, its failovers, the gateway's ARP entry
};

}  // namespace mailsim::models
