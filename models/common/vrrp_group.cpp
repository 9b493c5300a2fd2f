#include "models/common/vrrp_group.hpp"

#include <fmt/format.h>

namespace mailsim::models {

namespace {
// A VRRP advertisement: 20 B IPv4 header + 20 B VRRP payload (RFC 3768 5.1) + Ethernet.
constexpr double kAdvertBytes = 60;
}  // namespace

VrrpGroup::VrrpGroup(const engine::Component& host, VrrpParams params, engine::Context& ctx)
    : host_(host), p_(std::move(params)), ctx_(ctx), routers_(host.nodes().size()) {
  for (size_t i = 0; i < routers_.size(); ++i) routers_[i].node = host.nodes()[i];
}

const std::string& VrrpGroup::node_name(int i) const {
  return ctx_.platform.name_of(routers_[static_cast<size_t>(i)].node);
}

int VrrpGroup::steady_state_master() const {
  size_t winner = 0;
  for (size_t i = 1; i < routers_.size(); ++i)
    if (vrrp_priority(p_, i) >= vrrp_priority(p_, winner)) winner = i;
  return static_cast<int>(winner);
}

void VrrpGroup::boot(int i, bool as_master) {
  Router& r = routers_[static_cast<size_t>(i)];
  r.running = true;
  ++r.epoch;
  r.vrrp = std::make_unique<VrrpLogic>(vrrp_config(p_, static_cast<size_t>(i)));
  apply(i, r.vrrp->startup(as_master, ctx_.sched.now()));
}

void VrrpGroup::halt(int i, bool graceful, const std::string& cause) {
  Router& r = routers_[static_cast<size_t>(i)];
  if (!r.running) return;
  const bool was_master = r.vrrp->state() == VrrpState::kMaster;
  if (graceful)
    apply(i, r.vrrp->shutdown());  // the priority-0 advert; vip.released (stop)
  else
    r.vrrp->reset();
  r.running = false;
  ++r.epoch;
  r.master_down.cancel();
  r.advert.cancel();
  if (!was_master) return;
  const double now = ctx_.sched.now();
  if (!graceful)
    ctx_.events.emit(now, engine::EventKind::kVipReleased,
                     {{"component", host_.name()}, {"node", node_name(i)}, {"cause", cause}});
  // The split-brain rule: while another router is master the VIP is still served.
  bool another_master = false;
  for (size_t j = 0; j < routers_.size(); ++j)
    another_master =
        another_master || (j != static_cast<size_t>(i) && is_master(static_cast<int>(j)));
  if (holder_lost_ < 0 && !another_master) {
    holder_lost_ = i;
    ctx_.events.emit(now, engine::EventKind::kFailoverStarted,
                     {{"component", host_.name()}, {"from", node_name(i)}, {"cause", cause}});
  }
}

bool VrrpGroup::is_master(int i) const {
  const Router& r = routers_[static_cast<size_t>(i)];
  return r.running && r.vrrp->state() == VrrpState::kMaster;
}

void VrrpGroup::apply(int i, const VrrpActions& a) {
  Router& r = routers_[static_cast<size_t>(i)];
  if (a.send_advert) send_adverts(i, a.advert_priority);
  if (a.cancel_master_down) r.master_down.cancel();
  if (a.arm_master_down)
    r.master_down.arm(ctx_.sched, *a.arm_master_down, [this, i] {
      apply(i, routers_[static_cast<size_t>(i)].vrrp->on_master_down_timer());
    });
  if (a.cancel_advert) r.advert.cancel();
  if (a.arm_advert)
    r.advert.arm(ctx_.sched, *a.arm_advert,
                 [this, i] { apply(i, routers_[static_cast<size_t>(i)].vrrp->on_advert_timer()); });
  const double now = ctx_.sched.now();
  if (a.acquire_vip) {
    arp_owner_ = i;  // gratuitous ARP: the gateway now sends VIP traffic here
    arp_learned_at_ = now;
    ctx_.events.emit(now, engine::EventKind::kVipAcquired, {{"component", host_.name()}, {"node", node_name(i)}});
    if (on_acquired_) on_acquired_(i);
    if (holder_lost_ >= 0) {
      ctx_.events.emit(
          now, engine::EventKind::kFailoverCompleted,
          {{"component", host_.name()}, {"from", node_name(holder_lost_)}, {"to", node_name(i)}});
      holder_lost_ = -1;
    }
  }
  if (a.refresh_arp && arp_owner_ != i) {  // still master: the gateway moves, nothing is acquired
    arp_owner_ = i;
    arp_learned_at_ = now;
    ctx_.events.emit(now, engine::EventKind::kVipArpRefreshed,
                     {{"component", host_.name()}, {"node", node_name(i)}});
  }
  if (a.release_vip)
    ctx_.events.emit(now, engine::EventKind::kVipReleased,
                     {{"component", host_.name()},
                      {"node", node_name(i)},
                      {"cause", a.advert_priority == 0 && a.send_advert ? "stop" : "preempted"}});
}

void VrrpGroup::send_adverts(int from, int priority) {
  const int address = from + 1;
  const double interval = p_.advert_int.seconds;
  const engine::NodeId from_node = routers_[static_cast<size_t>(from)].node;
  for (size_t to = 0; to < routers_.size(); ++to) {
    if (static_cast<int>(to) == from) continue;
    auto d = ctx_.net.transit(from_node, routers_[to].node, kAdvertBytes);
    if (!d) continue;
    const uint64_t epoch = routers_[to].epoch;
    ctx_.sched.after(*d, [this, to, epoch, priority, address, interval] {
      Router& r = routers_[to];
      if (!r.running || r.epoch != epoch || !ctx_.platform.is_up(r.node)) return;
      apply(static_cast<int>(to), r.vrrp->on_advert(priority, address, interval, ctx_.sched.now()));
    });
  }
}

int VrrpGroup::gateway_target() {
  if (arp_owner_ < 0) return -1;
  const double now = ctx_.sched.now();
  if (now - arp_learned_at_ >= p_.arp_reresolve.seconds) {
    // The gateway's entry went stale and was probed: whoever is master now answers.
    if (!is_master(arp_owner_))
      for (size_t i = 0; i < routers_.size(); ++i)
        if (is_master(static_cast<int>(i))) {
          arp_owner_ = static_cast<int>(i);
          ctx_.events.emit(now, engine::EventKind::kVipArpReresolved,
                           {{"component", host_.name()}, {"node", node_name(arp_owner_)}});
          break;
        }
    arp_learned_at_ = now;
  }
  return arp_owner_;
}

std::optional<engine::NodeId> VrrpGroup::vip_holder() const {
  if (arp_owner_ >= 0 && is_master(arp_owner_))
    return routers_[static_cast<size_t>(arp_owner_)].node;
  for (size_t i = 0; i < routers_.size(); ++i)
    if (is_master(static_cast<int>(i))) return routers_[i].node;
  return std::nullopt;
}

std::optional<engine::NodeId> VrrpGroup::backup() const {
  for (size_t i = 0; i < routers_.size(); ++i)
    if (routers_[i].running && !is_master(static_cast<int>(i))) return routers_[i].node;
  return std::nullopt;
}

// Each value's range is its domain (vrrp_params.cpp); here only what ties it to the nodes.
void check_vrrp(const ComponentCheck& c, const VrrpParams& p) {
  if (p.priority.size() != 1 && p.priority.size() != c.node_count())
    c.fail_param("priority",
                 fmt::format("give one priority, or one per node ({} nodes, {} priorities)",
                             c.node_count(), p.priority.size()));
}

}  // namespace mailsim::models
