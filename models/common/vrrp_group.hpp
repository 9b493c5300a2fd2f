#pragma once
// keepalived on a group of nodes holding one VIP: the VRRP shell that vip_balancer and
// memcached's mode vip share. One router per node of the host component (vrrp_logic.hpp),
// its advertisement and master-down timers, advertisements over the simulated network, and
// the gateway's ARP entry that decides which node gets the VIP's traffic.
//
// Failure semantics (the host calls boot and halt from its own lifecycle hooks):
//  - Crash: the router vanishes without a word. Backups notice only when no advertisement
//    came for Master_Down_Interval (3 x advert_int + skew); until the new master's
//    gratuitous ARP the gateway still sends VIP traffic to the dead node (black hole).
//  - Graceful stop: the master sends a priority-0 advertisement; a backup takes over after
//    Skew_Time.
//  - Partition between the nodes: each side stops hearing the other and both become master
//    (split brain); the gateway sends VIP traffic to whoever sent the latest gratuitous ARP.
//    When they hear each other again the higher priority stays master; a master that hears
//    a lower-priority master advertises and sends a gratuitous ARP (vip.arp_refreshed: the
//    gateway moves, but nothing was acquired).
//  - The gateway's ARP entry: traffic keeps going to the node of the latest gratuitous ARP.
//    If that node is no longer master, the entry is re-resolved (vip.arp_reresolved) by the
//    first packet sent arp_reresolve or more after the gateway learnt it.
//  - Failover bookkeeping: failover.started when the master is lost (crash or stop) while no
//    other router is master, failover.completed when a router then acquires the VIP. A
//    master lost during a split brain starts no failover (the other master still serves the
//    VIP); a preemption is not a failover either.
//  - Restart: the router starts as a backup (priority < 255).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/component.hpp"
#include "engine/context.hpp"
#include "models/common/component_check.hpp"
#include "models/common/vrrp_logic.hpp"
#include "models/common/vrrp_params.hpp"

namespace mailsim::models {

class VrrpGroup {
 public:
  // One router per node of `host`, in node order; events name `host`.
  VrrpGroup(const engine::Component& host, VrrpParams params, engine::Context& ctx);
  VrrpGroup(const VrrpGroup&) = delete;
  VrrpGroup& operator=(const VrrpGroup&) = delete;

  // Called when router i acquires the VIP (it became master and sent a gratuitous ARP).
  void on_acquired(std::function<void(int)> f) { on_acquired_ = std::move(f); }

  // The router that holds the VIP at t = 0: the run starts after the election, which the
  // highest priority won (ties: the later-listed node, the higher address).
  int steady_state_master() const;
  void boot(int i, bool as_master);
  void halt(int i, bool graceful, const std::string& cause);

  bool is_master(int i) const;
  // The router the gateway sends VIP traffic to now, after re-resolving a stale entry;
  // -1 when no gratuitous ARP was ever sent.
  int gateway_target();
  // Roles a fault can target: the router the gateway sends to if it is master (else the
  // first master), and the first running router that is not master.
  std::optional<engine::NodeId> vip_holder() const;
  std::optional<engine::NodeId> backup() const;

 private:
  struct Router {
    engine::NodeId node;
    bool running = false;
    uint64_t epoch = 0;  // bumped on boot and halt: adverts in flight to an old life are dropped
    std::unique_ptr<VrrpLogic> vrrp;
    engine::Timer master_down, advert;
  };
  void apply(int i, const VrrpActions& a);
  void send_adverts(int from, int priority);
  const std::string& node_name(int i) const;

  const engine::Component& host_;
  VrrpParams p_;
  engine::Context& ctx_;
  std::vector<Router> routers_;
  std::function<void(int)> on_acquired_;
  int arp_owner_ = -1;         // router of the latest gratuitous ARP the gateway learnt
  double arp_learned_at_ = 0;  // when the gateway learnt arp_owner_
  int holder_lost_ = -1;       // router whose loss started a failover still open
};

// The check both models make of their VRRP params beyond each value's domain: one priority or one
// per node.
void check_vrrp(const ComponentCheck& c, const VrrpParams& p);

}  // namespace mailsim::models
