#include "models/tarantool/tarantool.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "core/error.hpp"
#include "engine/flow.hpp"
#include "models/common/endpoint_probe.hpp"
#include "models/etcd/etcd.hpp"

namespace mailsim::models {

using engine::NodeId;
using engine::Outcome;
using engine::Request;

Tarantool::Tarantool(const config::ComponentSpec& spec, TarantoolParams params, engine::Context& ctx)
    : Component(spec.name, ctx.platform.ids_of(spec.nodes)),
      p_(std::move(params)),
      ctx_(ctx),
      coordinator_(ctx.platform.ids_of({p_.coordinator_node}).at(0)),
      inst_(spec.nodes.size()) {
  for (size_t i = 0; i < inst_.size(); ++i) {
    inst_[i].node = nodes()[i];
    inst_[i].index = static_cast<int>(i);
    inst_[i].fence = FencingWatch(p_.fencing_timeout.seconds);
  }
}

int Tarantool::index_of(const std::string& node_name) const {
  for (const auto& in : inst_)
    if (ctx_.platform.name_of(in.node) == node_name) return in.index;
  return -1;
}

void Tarantool::start() {
  provider_ = dynamic_cast<Etcd*>(ctx_.component(p_.state_provider));
  MAILSIM_ASSERT(provider_ != nullptr, "tarantool state_provider survived validation without being an etcd: " + p_.state_provider);
  // Steady state: the first instance leads; the coordinator finds no appointment in the
  // state provider and makes the first one in node order (coordinator.lua make_decision).
  for (auto& in : inst_) boot(in);
  set_role(inst_[0], "initial");
  take_control();
  tick_.arm(ctx_.sched, p_.protocol_period.seconds, [this] { tick(); });
}

// ---------------------------------------------------------------- the instances

void Tarantool::boot(Instance& in) {
  in.running = true;
  ++in.epoch;
  in.rw = false;  // read-only until the appointment read from the state provider names it
  in.fenced = false;
  watch(in);
}

void Tarantool::lose(NodeId n, const std::string& cause) {
  Instance& in = inst_[static_cast<size_t>(instance_of(n))];
  if (!in.running) return;
  in.running = false;
  in.rw = false;
  ++in.epoch;
  in.longpoll.cancel();
  in.fencing.cancel();
  // The run's failover record; nobody is told: the coordinator and the routers find out
  // through their own pings and connections.
  if (in.index == router_ && failover_from_ < 0) {
    failover_from_ = in.index;
    ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kFailoverStarted,
                     {{"component", name()}, {"from", ctx_.platform.name_of(n)}, {"cause", cause}});
  }
}

void Tarantool::on_node_down(NodeId n) { lose(n, "crash"); }
void Tarantool::stop_instance(NodeId n) { lose(n, "stop"); }
void Tarantool::on_node_up(NodeId n) { start_instance(n); }
void Tarantool::start_instance(NodeId n) {
  Instance& in = inst_[static_cast<size_t>(instance_of(n))];
  if (!in.running) boot(in);
}

void Tarantool::set_role(Instance& in, const std::string& cause) {
  const bool rw = in.running && !in.fenced && in.believed_leader == in.index;
  if (rw == in.rw) return;
  in.rw = rw;
  ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kTarantoolRole,
                   {{"component", name()},
                    {"node", ctx_.platform.name_of(in.node)},
                    {"role", rw ? "leader" : in.fenced ? "fenced" : "replica"},
                    {"cause", cause}});
  if (rw && p_.fencing_enabled) {
    in.fence.arm(ctx_.sched.now());
    in.fencing.arm(ctx_.sched, p_.fencing_pause.seconds, [this, &in] { fencing_check(in); });
  }
  // A leader back before any new appointment serves again where the routers send.
  if (rw && in.index == router_ && failover_from_ == in.index) {
    failover_from_ = -1;
    const std::string node = ctx_.platform.name_of(in.node);
    ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kFailoverCompleted,
                     {{"component", name()}, {"from", node}, {"to", node}});
  }
}

// The instance's longpoll of the appointments (cartridge/failover.lua): an etcd watch on the
// key plus a read at each change, and the longpoll issued again every longpoll_timeout (which
// also replaces a stream that died with its etcd member).
void Tarantool::watch(Instance& in) {
  const uint64_t e = in.epoch;
  provider_->watch(in.node, key(), [this, &in, e] {
    if (in.running && in.epoch == e) fetch(in);
  });
  fetch(in);
  in.longpoll.arm(ctx_.sched, p_.longpoll_timeout.seconds, [this, &in] { watch(in); });
}

void Tarantool::fetch(Instance& in) {
  const uint64_t e = in.epoch;
  EtcdRequest req;
  req.kind = EtcdRequest::Kind::kRange;
  req.key = key();
  provider_->call(in.node, req, p_.call_timeout.seconds, [this, &in, e](const EtcdReply& rep) {
    if (!in.running || in.epoch != e) return;
    if (!rep.ok)
      return ctx_.sched.after(p_.longpoll_reconnect.seconds, [this, &in, e] {
        if (in.running && in.epoch == e) fetch(in);
      });
    auto it = rep.kvs.find(key());
    if (it != rep.kvs.end()) learn(in, it->second);
  });
}

void Tarantool::learn(Instance& in, const std::string& leader) {
  const int idx = index_of(leader);
  if (idx < 0) return;
  // A fenced leader stays read-only until a new appointment names it (its cache of leaders
  // must change for failover.lua to reconfigure it).
  if (in.fenced && idx != in.believed_leader) in.fenced = false;
  in.believed_leader = idx;
  set_role(in, "appointment");
}

// Cartridge's fencing watchdog: the state provider, else every replica, must answer.
void Tarantool::fencing_check(Instance& in) {
  if (!in.rw) return;
  struct Round {
    bool provider_ok = false;
    size_t replicas_ok = 0, replicas = 0, pending = 0;
  };
  auto round = std::make_shared<Round>();
  const uint64_t e = in.epoch;
  const double pause = p_.fencing_pause.seconds, deadline = ctx_.sched.now() + pause;
  auto done = [this, &in, e, round] {
    if (--round->pending > 0 || !in.running || in.epoch != e || !in.rw) return;
    const bool replicas_ok = round->replicas_ok == round->replicas;
    if (in.fence.checked(round->provider_ok, replicas_ok, ctx_.sched.now())) {
      in.fenced = true;
      return set_role(in, "fencing");
    }
    in.fencing.arm(ctx_.sched, std::max(0.0, p_.fencing_pause.seconds), [this, &in] { fencing_check(in); });
  };
  round->pending = 1;
  for (const auto& other : inst_)
    if (other.index != in.index) ++round->replicas, ++round->pending;
  EtcdRequest req;
  req.kind = EtcdRequest::Kind::kRange;
  req.key = key();
  provider_->call(in.node, req, pause, [round, done](const EtcdReply& rep) {
    round->provider_ok = rep.ok;
    done();
  });
  for (const auto& other : inst_) {
    if (other.index == in.index) continue;
    probe_endpoint(ctx_, in.node, other.node, *this, "tcp", p_.probe_bytes.bytes, {deadline, deadline},
                   [this, round, done](double t, ProbeResult res) {
                     ctx_.sched.at(t, [round, done, res] {
                       if (res == ProbeResult::kOk) ++round->replicas_ok;
                       done();
                     });
                   });
  }
}

// ---------------------------------------------------------------- the coordinator's membership

void Tarantool::tick() {
  tick_.arm(ctx_.sched, p_.protocol_period.seconds, [this] { tick(); });
  const bool up = ctx_.platform.is_up(coordinator_);  // its own host: it runs or it does not
  if (!up) {
    if (coordinator_up_) {
      coordinator_up_ = false;
      coordinator_died_at_ = ctx_.sched.now();
      in_control_ = appointing_ = false;
      ++control_epoch_;
      control_retry_.cancel();
      immunity_.cancel();
    }
    return;
  }
  if (!coordinator_up_) coordinator_back();
  for (auto& in : inst_) probe(in);
}

// A restarted coordinator has a fresh membership; it tries the lock every reconnect_period
// and gets it once the lock of its previous life expired.
void Tarantool::coordinator_back() {
  coordinator_up_ = true;
  for (auto& in : inst_) {
    in.view.reset();
    in.suspect.cancel();
  }
  const double now = ctx_.sched.now();
  const double expiry = lock_expiry(coordinator_died_at_, p_.lock_delay.seconds);
  const double period = std::max(p_.reconnect_period.seconds, 1e-3);
  const double wait = expiry <= now ? 0 : std::ceil((expiry - now) / period) * period;
  control_retry_.arm(ctx_.sched, wait, [this] { take_control(); });
}

// membership.lua protocol_step: a direct ping, then indirect pings through the other live
// members, each waited for ack_timeout.
void Tarantool::probe(Instance& in) {
  const double start = ctx_.sched.now(), deadline = start + p_.ack_timeout.seconds;
  Instance* ip = &in;
  probe_endpoint(ctx_, coordinator_, in.node, *this, "tcp", p_.probe_bytes.bytes, {deadline, deadline},
                 [this, ip, deadline](double t, ProbeResult res) {
                   if (res == ProbeResult::kOk) return ctx_.sched.at(t, [this, ip] { probed(*ip, true); });
                   // UDP: a stopped process answers nothing either; wait the whole ack_timeout.
                   ctx_.sched.at(deadline, [this, ip] {
                     if (ip->view.status() != SwimStatus::kDead) indirect(*ip, ctx_.sched.now());
                   });
                 });
}

void Tarantool::indirect(Instance& in, double started) {
  const double deadline = started + p_.ack_timeout.seconds, bytes = p_.probe_bytes.bytes;
  double best = -1;
  for (const auto& via : inst_) {
    if (via.index == in.index || via.view.status() != SwimStatus::kAlive) continue;
    if (!ctx_.platform.is_up(via.node) || !via.running) continue;  // the relay must run to relay
    auto a = ctx_.net.transit(coordinator_, via.node, bytes);
    auto b = ctx_.net.transit(via.node, in.node, bytes);
    if (!a || !b || !ctx_.platform.is_up(in.node) || !in.running) continue;
    auto c = ctx_.net.transit(in.node, via.node, bytes);
    auto d = ctx_.net.transit(via.node, coordinator_, bytes);
    if (!c || !d) continue;
    const double t = started + *a + *b + *c + *d;
    if (t <= deadline && (best < 0 || t < best)) best = t;
  }
  Instance* ip = &in;
  const bool acked = best >= 0;
  ctx_.sched.at(acked ? best : deadline, [this, ip, acked] { probed(*ip, acked); });
}

void Tarantool::probed(Instance& in, bool acked) {
  if (!coordinator_up_ || !in.view.probed(acked, ctx_.sched.now())) return;
  const std::string node = ctx_.platform.name_of(in.node);
  ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kMembershipStatus,
                   {{"component", name()}, {"member", node}, {"status", swim_status_name(in.view.status())}});
  if (in.view.status() == SwimStatus::kSuspect) {
    Instance* ip = &in;
    in.suspect.arm(ctx_.sched, p_.failover_timeout.seconds, [this, ip] {
      if (!ip->view.expire(ctx_.sched.now(), p_.failover_timeout.seconds)) return;
      ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kMembershipStatus,
                       {{"component", name()},
                        {"member", ctx_.platform.name_of(ip->node)},
                        {"status", swim_status_name(ip->view.status())}});
      control();
    });
  } else {
    in.suspect.cancel();
  }
  control();  // membership.subscribe(): the control loop wakes on every status change
}

// ---------------------------------------------------------------- the coordinator's control loop

void Tarantool::take_control() {
  if (!coordinator_up_) return;
  const uint64_t e = ++control_epoch_;
  EtcdRequest req;
  req.kind = EtcdRequest::Kind::kRange;
  req.key = key();
  provider_->call(coordinator_, req, p_.call_timeout.seconds, [this, e](const EtcdReply& rep) {
    if (e != control_epoch_) return;
    if (!rep.ok) return control_retry_.arm(ctx_.sched, p_.reconnect_period.seconds, [this] { take_control(); });
    in_control_ = true;
    // control_loop: the appointments found in the state provider are immune again.
    auto it = rep.kvs.find(key());
    decision_ = it == rep.kvs.end() ? Decision{}
                                    : Decision{index_of(it->second), ctx_.sched.now() + p_.immunity_timeout.seconds};
    control();
  });
}

void Tarantool::control() {
  if (!in_control_ || appointing_) return;
  std::vector<SwimStatus> members;
  for (const auto& in : inst_) members.push_back(in.view.status());
  const double now = ctx_.sched.now();
  const auto to = make_decision(decision_, members, now);
  if (!to) {
    if (now < decision_.immunity) immunity_.arm(ctx_.sched, decision_.immunity - now, [this] { control(); });
    return;
  }
  appoint(*to);
}

// set_leaders: the appointment written to the state provider through etcd's Raft.
void Tarantool::appoint(int to) {
  appointing_ = true;
  const uint64_t e = control_epoch_;
  const int from = router_;
  if (decision_.leader >= 0 && failover_from_ < 0 && to != from) {
    // The leader was cut off, not lost: the run's record opens at the dead verdict.
    failover_from_ = from;
    ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kFailoverStarted,
                     {{"component", name()},
                      {"from", ctx_.platform.name_of(inst_[static_cast<size_t>(from)].node)},
                      {"cause", "membership_dead"}});
  }
  EtcdRequest req;
  req.kind = EtcdRequest::Kind::kPut;
  req.key = key();
  req.value = ctx_.platform.name_of(inst_[static_cast<size_t>(to)].node);
  provider_->call(coordinator_, req, p_.call_timeout.seconds, [this, e, to, from](const EtcdReply& rep) {
    if (e != control_epoch_) return;
    appointing_ = false;
    if (!rep.ok) {  // control_loop breaks; connect_loop retries after RECONNECT_PERIOD
      in_control_ = false;
      ++control_epoch_;
      return control_retry_.arm(ctx_.sched, p_.reconnect_period.seconds, [this] { take_control(); });
    }
    decision_ = Decision{to, ctx_.sched.now() + p_.immunity_timeout.seconds};
    router_ = to;  // the routers' longpoll returns the new appointment
    if (to != from || failover_from_ >= 0) {
      failover_from_ = -1;
      ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kFailoverCompleted,
                       {{"component", name()},
                        {"from", ctx_.platform.name_of(inst_[static_cast<size_t>(from)].node)},
                        {"to", ctx_.platform.name_of(inst_[static_cast<size_t>(to)].node)}});
    }
    control();
  });
}

// ---------------------------------------------------------------- clients

void Tarantool::on_request(Request& r) {
  const int w = router_;
  const NodeId target = nodes()[static_cast<size_t>(w)];
  auto run = [this, w](Request& req) {
    const Instance& in = inst_[static_cast<size_t>(w)];
    if (!in.running) return ctx_.flow.fail(req, Outcome::kRefused);
    if (static_cast<TarantoolOp>(ctx_.flow.op_slot(req)) == TarantoolOp::kWrite && !in.rw)
      return ctx_.flow.fail(req, Outcome::kReadOnly);
    ctx_.flow.run_cpu(req, ctx_.flow.sample_cpu(req), this);
  };
  if (target == r.at) return run(r);
  ctx_.flow.hop(r, target, ctx_.flow.request_bytes(r), run, [this](Request& req) { ctx_.flow.syn_unanswered(req); });
}

void Tarantool::on_cpu_done(Request& r, bool ok) {
  if (!ok) return ctx_.flow.orphan(r);
  ctx_.flow.next_step(r);
}

bool Tarantool::accepts(NodeId n) const {
  const int i = instance_of(n);
  return i >= 0 && inst_[static_cast<size_t>(i)].running;
}

std::optional<NodeId> Tarantool::resolve_role(const std::string& role) const {
  switch (tarantool_roles().at(role)) {
    case TarantoolRole::kLeader:
      return nodes()[static_cast<size_t>(router_)];
    case TarantoolRole::kReplica:
      for (const auto& in : inst_)
        if (in.index != router_ && in.running) return in.node;
      break;
  }
  return std::nullopt;
}

nlohmann::json Tarantool::resolved_params() const { return tarantool_params().resolved(p_); }

}  // namespace mailsim::models
