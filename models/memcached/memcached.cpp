#include "models/memcached/memcached.hpp"

#include "engine/flow.hpp"

namespace mailsim::models {

using engine::NodeId;
using engine::Outcome;
using engine::Request;

namespace {
constexpr double kAdvertBytes = 60;  // RFC 3768 5.1 + Ethernet, as in vip_balancer
}

Memcached::Memcached(const config::ComponentSpec& spec, MemcachedParams params, engine::Context& ctx)
    : Component(spec.name, ctx.platform.ids_of(spec.nodes)),
      p_(std::move(params)),
      ctx_(ctx),
      rng_(ctx.seed, spec.name) {
  inst_.reserve(nodes().size());  // referenced by address from timers
  for (size_t i = 0; i < nodes().size(); ++i) {
    Instance in;
    in.node = nodes()[i];
    in.index = static_cast<int>(i);
    in.gate = RetryGate(p_.retry_interval.seconds);
    in.tko = TkoTracker(p_.failures_until_tko, p_.probe_delay_initial.seconds, p_.probe_delay_max.seconds);
    inst_.push_back(std::move(in));
  }
}

void Memcached::start() {
  // Steady state at time 0: every instance warm; in vip mode the election winner (highest
  // priority, then the later-listed node) holds the VIP and only it has served (is warm).
  size_t winner = 0;
  auto prio = [this](size_t i) { return p_.priority.size() == 1 ? p_.priority[0] : p_.priority[i]; };
  for (size_t i = 1; i < inst_.size(); ++i)
    if (prio(i) >= prio(winner)) winner = i;
  for (size_t i = 0; i < inst_.size(); ++i) boot(inst_[i], i == winner, p_.mode != "vip" || i == winner);
}

void Memcached::boot(Instance& in, bool as_master, bool warm) {
  in.running = true;
  ++in.epoch;
  in.filled_since = warm ? -1e9 : ctx_.sched.now();
  if (p_.mode != "vip") return;
  int prio = p_.priority.size() == 1 ? p_.priority[0] : p_.priority[static_cast<size_t>(in.index)];
  in.vrrp = std::make_unique<VrrpLogic>(VrrpConfig{2, p_.advert_int.seconds, prio, true, in.index + 1});
  apply(in, in.vrrp->startup(as_master));
}

void Memcached::halt(Instance& in, bool graceful, const std::string& cause) {
  if (!in.running) return;
  in.running = false;
  ++in.epoch;
  if (p_.mode != "vip") return;
  bool was_master = in.vrrp->state() == VrrpState::kMaster;
  if (graceful) apply(in, in.vrrp->shutdown());
  else in.vrrp->reset();
  in.master_down.cancel();
  in.advert.cancel();
  if (was_master && holder_lost_ < 0) {
    holder_lost_ = in.index;
    ctx_.events.emit(ctx_.sched.now(), "failover.started",
                     {{"component", name()}, {"from", ctx_.platform.name_of(in.node)}, {"cause", cause}});
  }
}

void Memcached::apply(Instance& in, const VrrpActions& a) {
  if (a.send_advert) send_adverts(in, a.advert_priority);
  if (a.cancel_master_down) in.master_down.cancel();
  if (a.arm_master_down)
    in.master_down.arm(ctx_.sched, *a.arm_master_down, [this, &in] { apply(in, in.vrrp->on_master_down_timer()); });
  if (a.cancel_advert) in.advert.cancel();
  if (a.arm_advert) in.advert.arm(ctx_.sched, *a.arm_advert, [this, &in] { apply(in, in.vrrp->on_advert_timer()); });
  if (a.acquire_vip || (a.refresh_arp && arp_owner_ != in.index)) {
    arp_owner_ = in.index;
    if (in.filled_since < -1) in.filled_since = -1e9;  // stays warm
    else if (a.acquire_vip && ctx_.sched.now() > 0) in.filled_since = ctx_.sched.now();  // starts serving: empty
    ctx_.events.emit(ctx_.sched.now(), "vip.acquired", {{"component", name()}, {"node", ctx_.platform.name_of(in.node)}});
    if (holder_lost_ >= 0) {
      ctx_.events.emit(ctx_.sched.now(), "failover.completed",
                       {{"component", name()},
                        {"from", ctx_.platform.name_of(inst_[static_cast<size_t>(holder_lost_)].node)},
                        {"to", ctx_.platform.name_of(in.node)}});
      holder_lost_ = -1;
    }
  }
}

void Memcached::send_adverts(Instance& from, int priority) {
  const int address = from.index + 1;
  const double interval = p_.advert_int.seconds;
  for (auto& to : inst_) {
    if (&to == &from) continue;
    auto d = ctx_.net.transit(from.node, to.node, kAdvertBytes);
    if (!d) continue;
    Instance* tp = &to;
    uint64_t epoch = to.epoch;
    ctx_.sched.after(*d, [this, tp, epoch, priority, address, interval] {
      if (!tp->running || tp->epoch != epoch || !ctx_.platform.is_up(tp->node)) return;
      apply(*tp, tp->vrrp->on_advert(priority, address, interval));
    });
  }
}

void Memcached::miss(Request& r) {
  if (ctx_.flow.step_falls_back(r)) return ctx_.flow.next_step(r);
  ctx_.flow.fail(r, Outcome::kUnavailable);
}

void Memcached::on_request(Request& r) {
  Instance* target = nullptr;
  if (p_.mode == "vip") {
    if (arp_owner_ >= 0) target = &inst_[static_cast<size_t>(arp_owner_)];
  } else if (p_.mode == "mcrouter") {
    target = &inst_[static_cast<size_t>(rng_.uniform() * static_cast<double>(inst_.size())) % inst_.size()];  // key hash
  } else {
    target = &inst_[0];
  }
  if (target == nullptr) return miss(r);
  const double now = ctx_.sched.now();
  if (p_.mode == "mcrouter" ? target->tko.tko() : !target->gate.open(now)) return miss(r);  // skipped: fail fast
  const double wait = p_.mode == "mcrouter" ? p_.server_timeout.seconds : p_.timeout.seconds;
  const NodeId caller = r.at;
  const double bytes = ctx_.flow.request_bytes(r) + 64;
  const uint32_t gen = r.gen;
  Request* rp = &r;
  auto answered = std::make_shared<bool>(false);
  ctx_.sched.after(wait, [this, rp, gen, target, answered] {  // the client's timeout
    if (*answered || !ctx_.flow.alive(*rp, gen)) return;
    *answered = true;
    lookup_failed(*rp, *target);
  });
  auto there = ctx_.net.transit(caller, target->node, bytes);
  if (!there) return;
  ctx_.sched.after(*there, [this, rp, gen, target, caller, answered, bytes] {
    if (*answered || !ctx_.flow.alive(*rp, gen)) return;
    bool serving = target->running && ctx_.platform.is_up(target->node) &&
                   (p_.mode != "vip" || target->vrrp->state() == VrrpState::kMaster);
    if (!serving) return;  // silent: the client times out
    auto back = ctx_.net.transit(target->node, caller, bytes);
    if (!back) return;
    const double age = ctx_.sched.now() - target->filled_since;
    const bool hit = rng_.bernoulli(hit_probability(p_.hit_ratio.value, age, p_.warmup.seconds));
    ctx_.sched.after(*back, [this, rp, gen, target, answered, hit] {
      if (*answered || !ctx_.flow.alive(*rp, gen)) return;
      *answered = true;
      target->tko.on_success();
      if (hit && ctx_.flow.step_falls_back(*rp)) return ctx_.flow.skip_next_step(*rp);
      ctx_.flow.next_step(*rp);
    });
  });
}

void Memcached::lookup_failed(Request& r, Instance& target) {
  if (p_.mode == "mcrouter") {
    if (target.tko.on_timeout()) {
      ctx_.events.emit(ctx_.sched.now(), "cache.tko", {{"component", name()}, {"server", ctx_.platform.name_of(target.node)}});
      Instance* tp = &target;
      target.probe.arm(ctx_.sched, target.tko.next_probe_delay(), [this, tp] { probe(*tp); });
    }
  } else if (target.gate.open(ctx_.sched.now())) {
    target.gate.failed(ctx_.sched.now());
    ctx_.events.emit(ctx_.sched.now(), "cache.server_skipped",
                     {{"component", name()}, {"server", ctx_.platform.name_of(target.node)},
                      {"for_s", p_.retry_interval.seconds}});
  }
  miss(r);
}

// mcrouter's probe of a TKO server: a round trip; no answer within server_timeout keeps the
// TKO and schedules the next probe.
void Memcached::probe(Instance& in) {
  const bool ok = in.running && ctx_.platform.is_up(in.node);
  if (ok) {
    in.tko.on_success();
    ctx_.events.emit(ctx_.sched.now(), "cache.tko_ended", {{"component", name()}, {"server", ctx_.platform.name_of(in.node)}});
    return;
  }
  Instance* ip = &in;
  in.probe.arm(ctx_.sched, p_.server_timeout.seconds + in.tko.next_probe_delay(), [this, ip] { probe(*ip); });
}

void Memcached::on_node_down(NodeId n) { halt(inst_[static_cast<size_t>(instance_of(n))], false, "crash"); }
void Memcached::on_node_up(NodeId n) { boot(inst_[static_cast<size_t>(instance_of(n))], false, false); }
void Memcached::stop_instance(NodeId n) { halt(inst_[static_cast<size_t>(instance_of(n))], true, "stop"); }
void Memcached::start_instance(NodeId n) {
  Instance& in = inst_[static_cast<size_t>(instance_of(n))];
  if (!in.running) boot(in, false, false);
}

std::optional<NodeId> Memcached::resolve_role(const std::string& role) const {
  const MemcachedRole wanted = memcached_roles().at(role);
  for (const auto& in : inst_) {
    if (!in.running) continue;
    const bool master = in.vrrp && in.vrrp->state() == VrrpState::kMaster;
    if (wanted == MemcachedRole::kVipHolder && master) return in.node;
    if (wanted == MemcachedRole::kBackup && in.vrrp && !master) return in.node;
    if (wanted == MemcachedRole::kAny) return in.node;
  }
  return std::nullopt;
}

bool Memcached::accepts(NodeId n) const {
  int i = instance_of(n);
  return i >= 0 && inst_[static_cast<size_t>(i)].running;
}

nlohmann::json Memcached::resolved_params() const { return memcached_params().resolved(p_); }

}  // namespace mailsim::models
