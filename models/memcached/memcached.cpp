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
  if (p_.mode == "mcrouter") {
    std::vector<std::string> servers;  // "host:port", as mcrouter's pool lists them
    for (const auto& n : spec.nodes) servers.push_back(n + ":11211");
    ring_ = std::make_unique<KetamaRing>(servers);
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

Memcached::Instance* Memcached::pick(const Request& r) {
  if (vrrp_) {
    const int owner = vrrp_->gateway_target();
    return owner >= 0 ? &inst_[static_cast<size_t>(owner)] : nullptr;
  }
  if (ring_) return &inst_[static_cast<size_t>(ring_->server_of(cache_key(r.user)))];
  return &inst_[0];
}

// The key a webmail process caches a user's data under (SOGo keys its cache by user).
std::string Memcached::cache_key(uint64_t user) { return "user:" + std::to_string(user); }

void Memcached::on_request(Request& r) {
  Instance* target = pick(r);
  if (target == nullptr) return miss(r);
  const double now = ctx_.sched.now();
  if (ring_ ? target->tko.tko() : !target->gate.open(now)) return miss(r);  // skipped: fail fast
  const double wait = ring_ ? p_.server_timeout.seconds : p_.timeout.seconds;
  const NodeId caller = r.at;
  const double bytes = ctx_.flow.request_bytes(r) + 64;
  const uint32_t gen = r.gen;
  Request* rp = &r;
  auto answered = std::make_shared<bool>(false);
  ctx_.sched.after(wait, [this, rp, gen, target, caller, answered] {  // the client's timeout
    if (*answered || !ctx_.flow.alive(*rp, gen)) return;
    *answered = true;
    lookup_failed(*rp, *target, caller, false);
  });
  auto there = ctx_.net.transit(caller, target->node, bytes);
  if (!there) return;  // lost on the way (partition): the timeout decides
  ctx_.sched.after(*there, [this, rp, gen, target, caller, answered, bytes] {
    if (*answered || !ctx_.flow.alive(*rp, gen)) return;
    if (!ctx_.platform.is_up(target->node)) return;  // a dead host answers nothing
    if (!target->running || (vrrp_ && !vrrp_->is_master(target->index))) {
      // A live host without the server refuses the connection (RST), except in mode vip:
      // a node without the address drops what the stale ARP entry sends it.
      if (vrrp_) return;
      auto back = ctx_.net.transit(target->node, caller, 64);
      if (!back) return;
      ctx_.sched.after(*back, [this, rp, gen, target, caller, answered] {
        if (*answered || !ctx_.flow.alive(*rp, gen)) return;
        *answered = true;
        lookup_failed(*rp, *target, caller, true);
      });
      return;
    }
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

void Memcached::lookup_failed(Request& r, Instance& target, NodeId client, bool refused) {
  if (ring_) {
    if (refused ? target.tko.on_refused() : target.tko.on_timeout()) {
      ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kCacheTko,
                       {{"component", name()}, {"server", ctx_.platform.name_of(target.node)},
                        {"cause", refused ? "refused" : "timeouts"}});
      target.probe_from = client;  // the mcrouter that saw it fail probes it
      Instance* tp = &target;
      target.probe.arm(ctx_.sched, target.tko.next_probe_delay(), [this, tp] { probe(*tp); });
    }
  } else if (target.gate.open(ctx_.sched.now())) {
    target.gate.failed(ctx_.sched.now());
    ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kCacheServerSkipped,
                     {{"component", name()}, {"server", ctx_.platform.name_of(target.node)},
                      {"for_s", p_.retry_interval.seconds}});
  }
  miss(r);
}

// mcrouter's TKO probe: a `version` request from the mcrouter's node over the network. An
// answer within server_timeout ends the TKO; no answer (server dead or partitioned away) or a
// refusal keeps it, and the next probe goes out after the grown delay.
void Memcached::probe(Instance& in) {
  Instance* ip = &in;
  auto settled = std::make_shared<bool>(false);
  auto failed = [this, ip, settled] {
    if (*settled) return;
    *settled = true;
    ip->probe.arm(ctx_.sched, ip->tko.next_probe_delay(), [this, ip] { probe(*ip); });
  };
  ctx_.sched.after(p_.server_timeout.seconds, failed);
  auto there = ctx_.net.transit(in.probe_from, in.node, 64);
  if (!there) return;
  ctx_.sched.after(*there, [this, ip, settled, failed] {
    if (*settled || !ctx_.platform.is_up(ip->node)) return;
    const bool serving = ip->running;
    auto back = ctx_.net.transit(ip->node, ip->probe_from, 64);
    if (!back) return;
    ctx_.sched.after(*back, [this, ip, settled, failed, serving] {
      if (*settled) return;
      if (!serving) return failed();  // refused
      *settled = true;
      ip->tko.on_success();
      ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kCacheTkoEnded,
                       {{"component", name()}, {"server", ctx_.platform.name_of(ip->node)}});
    });
  });
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
