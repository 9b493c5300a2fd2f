#include "models/memcached/memcached.hpp"

#include "engine/flow.hpp"
#include "engine/step_features.hpp"

namespace mailsim::models {

using engine::NodeId;
using engine::Outcome;
using engine::Request;

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
  if (p_.mode == "vip") {
    vrrp_ = std::make_unique<VrrpGroup>(*this, p_.vrrp, ctx);
    // The new holder serves from its own cache: one that has not served since it started
    // is empty when it takes the VIP and refills over `warmup`; a warm one stays warm.
    vrrp_->on_acquired([this](int i) {
      Instance& in = inst_[static_cast<size_t>(i)];
      if (in.filled_since >= -1 && ctx_.sched.now() > 0) in.filled_since = ctx_.sched.now();
    });
  }
}

void Memcached::start() {
  // Steady state at time 0: every instance warm; in vip mode the election winner holds the
  // VIP and only it has served (is warm).
  const int winner = vrrp_ ? vrrp_->steady_state_master() : -1;
  for (auto& in : inst_) boot(in, in.index == winner, !vrrp_ || in.index == winner);
}

void Memcached::boot(Instance& in, bool as_master, bool warm) {
  in.running = true;
  in.filled_since = warm ? -1e9 : ctx_.sched.now();
  if (vrrp_) vrrp_->boot(in.index, as_master);
}

void Memcached::halt(Instance& in, bool graceful, const std::string& cause) {
  if (!in.running) return;
  in.running = false;
  if (vrrp_) vrrp_->halt(in.index, graceful, cause);
}

void Memcached::miss(Request& r) {
  if (ctx_.features.cache_skip.falls_back(r)) return ctx_.flow.next_step(r);
  ctx_.flow.fail(r, Outcome::kUnavailable);
}

void Memcached::on_request(Request& r) {
  Instance* target = nullptr;
  if (vrrp_) {
    if (const int owner = vrrp_->gateway_target(); owner >= 0) target = &inst_[static_cast<size_t>(owner)];
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
                   (!vrrp_ || vrrp_->is_master(target->index));
    if (!serving) return;  // silent: the client times out
    auto back = ctx_.net.transit(target->node, caller, bytes);
    if (!back) return;
    const double age = ctx_.sched.now() - target->filled_since;
    const bool hit = rng_.bernoulli(hit_probability(p_.hit_ratio.value, age, p_.warmup.seconds));
    ctx_.sched.after(*back, [this, rp, gen, target, answered, hit] {
      if (*answered || !ctx_.flow.alive(*rp, gen)) return;
      *answered = true;
      target->tko.on_success();
      if (hit && ctx_.features.cache_skip.falls_back(*rp)) return ctx_.features.cache_skip.hit(*rp);
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
  switch (memcached_roles().at(role)) {
    case MemcachedRole::kVipHolder: return vrrp_ ? vrrp_->vip_holder() : std::nullopt;
    case MemcachedRole::kBackup: return vrrp_ ? vrrp_->backup() : std::nullopt;
    case MemcachedRole::kAny:
      for (const auto& in : inst_)
        if (in.running) return in.node;
      break;
  }
  return std::nullopt;
}

bool Memcached::accepts(NodeId n) const {
  int i = instance_of(n);
  return i >= 0 && inst_[static_cast<size_t>(i)].running;
}

nlohmann::json Memcached::resolved_params() const { return memcached_params().resolved(p_); }

}  // namespace mailsim::models
