#include "models/nfs/nfs.hpp"

#include <algorithm>

#include "models/disk/node_disk.hpp"
#include "core/error.hpp"
#include "engine/flow.hpp"
#include "engine/step_features.hpp"

namespace mailsim::models {

using engine::NodeId;
using engine::Outcome;
using engine::Request;

struct Nfs::Op {
  Request* r;
  uint32_t gen;
  NodeId caller;
  MaildirOp kind;
  double data_bytes, req_bytes, resp_bytes;
  engine::Component* holder;
  RpcTimeouts timeouts;
  GraceBackoff backoff;
  double rpc_t0 = 0;
  uint32_t rpc = 0;  // bumped when a new RPC replaces the call's transmissions (grace retry)
  bool done = false;
};

namespace {
bool needs_state(MaildirOp k) { return k != MaildirOp::kList; }  // OPEN / RENAME refused in grace
}  // namespace

Nfs::Nfs(const config::ComponentSpec& spec, const config::Topology& topo, NfsParams params, engine::Context& ctx)
    : Component(spec.name, ctx.platform.ids_of(spec.nodes)),
      p_(std::move(params)),
      ctx_(ctx) {
  inst_.reserve(nodes().size());
  for (size_t i = 0; i < nodes().size(); ++i) {
    engine::Disk* disk = node_disk(ctx, topo, spec.nodes[i], p_.disk);
    MAILSIM_ASSERT(disk != nullptr, "nfs server without a disk survived validation");
    Instance in{nodes()[i], Role::kServer, false, 0, disk};
    if (p_.mode == "appliance") in.role = Role::kHead;
    if (instances_mode()) {
      const auto& role = p_.instances[i];
      in.role = role == "master" ? Role::kMaster : role == "replica" ? Role::kReplica : Role::kBackup;
      if (in.role == Role::kMaster) active_ = static_cast<int>(i);
    }
    inst_.push_back(std::move(in));
  }
  heartbeat_heard_.assign(inst_.size(), 0);
  // RuPost's check runs on the mail nodes: the nodes of every step just before a call to this
  // store, in topology order.
  for (const auto& svc : topo.services)
    for (size_t i = 1; i < svc.steps.size(); ++i) {
      if (svc.steps[i].component != spec.name) continue;
      const config::ComponentSpec* caller = topo.find_component(svc.steps[i - 1].component);
      if (caller == nullptr) continue;
      for (const auto& n : caller->nodes) {
        const NodeId id = ctx.platform.id_of(n);
        if (std::find(checkers_.begin(), checkers_.end(), id) == checkers_.end()) checkers_.push_back(id);
      }
    }
}

int Nfs::register_op(const std::string& op) { return static_cast<int>(nfs_ops().at(op)); }

void Nfs::start() {
  ledger_store_ = ctx_.ledger.add_store(name(), engine::DurabilityLedger::Holds::kMessages);
  ctx_.ledger.at_end([this] { count_lost_at_end(); });
  for (auto& in : inst_) in.serving = true;
  now_serving("start");
  if (instances_mode()) {
    check_timer_.arm(ctx_.sched, p_.switch_check_interval.seconds, [this] { check_master(); });
    start_syncs();
  }
  if (p_.mode == "appliance") heartbeat_timer_.arm(ctx_.sched, p_.heartbeat_interval.seconds, [this] { heartbeat_tick(); });
}

// --- the client side: one call, its transmissions and timeouts --------------------------

void Nfs::on_request(Request& r) {
  // The step's `request` size is the operation's data: written by deliver, read by fetch.
  const auto kind = static_cast<MaildirOp>(ctx_.flow.op_slot(r));
  const double data = ctx_.flow.request_bytes(r);
  const double rpc = p_.rpc_bytes.bytes;
  auto op = std::make_shared<Op>(Op{&r, r.gen, r.at, kind, data, rpc + (kind == MaildirOp::kDeliver ? data : 0),
                                    rpc + (kind == MaildirOp::kFetch ? data : 0), ctx_.features.held_workers.holder(r),
                                    RpcTimeouts(p_.timeo.seconds, p_.retrans, p_.timeo_max.seconds),
                                    GraceBackoff(p_.grace_retry_min.seconds, p_.grace_retry_max.seconds)});
  op->rpc_t0 = ctx_.sched.now();
  send(op);
  arm_tick(op);
}

bool Nfs::op_abandoned(const Op& op) const {
  if (!ctx_.flow.alive(*op.r, op.gen)) return true;
  if (op.holder != nullptr && ctx_.features.held_workers.holder(*op.r) != op.holder) return true;  // the blocked process died
  return !ctx_.platform.is_up(op.caller);
}

void Nfs::send(const std::shared_ptr<Op>& op) {
  Instance& in = inst_[static_cast<size_t>(active_)];
  auto there = ctx_.net.transit(op->caller, in.node, op->req_bytes);
  if (!there) return;  // no reply: the timeout retransmits
  const uint64_t epoch = in.epoch;
  const uint32_t rpc = op->rpc;
  Instance* ip = &in;
  ctx_.sched.after(*there, [this, op, ip, epoch, rpc] {
    if (op->done || op->rpc != rpc) return;
    if (!ip->serving || ip->epoch != epoch || !ctx_.platform.is_up(ip->node)) return;  // silent
    const double now = ctx_.sched.now();
    if (needs_state(op->kind) && now < grace_until_) {
      // NFS4ERR_GRACE: the RPC completed with an error; the client waits and sends a new one.
      auto back = ctx_.net.transit(ip->node, op->caller, p_.rpc_bytes.bytes);
      if (!back) return;
      ctx_.sched.after(*back + op->backoff.next(), [this, op, rpc] {
        if (op->done || op->rpc != rpc) return;
        if (op_abandoned(*op)) {
          op->done = true;
          return;
        }
        ++op->rpc;
        op->timeouts = RpcTimeouts(p_.timeo.seconds, p_.retrans, p_.timeo_max.seconds);
        op->rpc_t0 = ctx_.sched.now();
        send(op);
        arm_tick(op);
      });
      return;
    }
    const double end = ip->disk->submit(now, maildir_op(op->kind, op->data_bytes));
    ctx_.sched.at(end, [this, op, ip, epoch, rpc] {
      if (op->done || op->rpc != rpc) return;
      if (!ip->serving || ip->epoch != epoch) return;  // the server died with the call
      auto back = ctx_.net.transit(ip->node, op->caller, op->resp_bytes);
      if (!back) return;
      ctx_.sched.after(*back, [this, op, rpc, ip] {
        if (op->done || op->rpc != rpc) return;
        if (op->kind == MaildirOp::kDeliver && ctx_.flow.alive(*op->r, op->gen)) {
          ctx_.ledger.acknowledged(ledger_store_, op->r->service, ctx_.sched.now());
          acked_[op->r->service].add(ctx_.sched.now());
          delivered(*ip, op->r->service, op->data_bytes);  // acknowledged: downstream copies owe it
        }
        complete(op);
      });
    });
  });
}

void Nfs::arm_tick(const std::shared_ptr<Op>& op) {
  const RpcTimeouts::Tick tick = op->timeouts.next();
  const uint32_t rpc = op->rpc;
  ctx_.sched.at(op->rpc_t0 + tick.at, [this, op, rpc, tick] {
    if (op->done || op->rpc != rpc) return;
    if (op_abandoned(*op)) {
      op->done = true;
      return;
    }
    if (tick.major) {
      if (!not_responding_) {
        not_responding_ = true;  // the kernel's "nfs: server ... not responding"
        ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kNfsNotResponding,
                         {{"component", name()}, {"server", ctx_.platform.name_of(inst_[static_cast<size_t>(active_)].node)},
                          {"mount", p_.mount}});
      }
      if (p_.mount == "soft") {
        op->done = true;
        return ctx_.flow.fail(*op->r, Outcome::kIoError);
      }
    }
    send(op);
    arm_tick(op);
  });
}

void Nfs::complete(const std::shared_ptr<Op>& op) {
  op->done = true;
  if (op_abandoned(*op)) {
    if (ctx_.flow.alive(*op->r, op->gen) && op->holder == nullptr) ctx_.flow.lose(*op->r);
    return;
  }
  if (not_responding_) {
    not_responding_ = false;
    ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kNfsOk,
                     {{"component", name()}, {"server", ctx_.platform.name_of(inst_[static_cast<size_t>(active_)].node)}});
  }
  ctx_.flow.next_step(*op->r);
}

// --- the server side ---------------------------------------------------------------------

void Nfs::begin_grace() {
  grace_until_ = ctx_.sched.now() + p_.grace_period.seconds;
  const uint64_t g = ++grace_gen_;
  const std::string server = ctx_.platform.name_of(inst_[static_cast<size_t>(active_)].node);
  ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kNfsGraceStarted, {{"component", name()}, {"server", server}});
  ctx_.sched.at(grace_until_, [this, g, server] {
    if (g == grace_gen_) ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kNfsGraceEnded, {{"component", name()}, {"server", server}});
  });
}

void Nfs::server_lost(Instance& in, const std::string& cause) {
  if (!in.serving) return;
  in.serving = false;
  ++in.epoch;
  in.disk->reset(ctx_.sched.now());
  const bool was_active = &in == &inst_[static_cast<size_t>(active_)];
  if (!was_active) return;
  const std::string from = ctx_.platform.name_of(in.node);
  ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kStoreNotServing,
                   {{"component", name()}, {"node", from}, {"cause", cause}});
  if (in.role == Role::kHead) {
    // Logged for the run's failover record; the partner learns of it only through the
    // missing heartbeats and mailbox stamps (heartbeat_tick).
    ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kFailoverStarted, {{"component", name()}, {"from", from}, {"cause", cause}});
  } else if (in.role == Role::kMaster && !switched_) {
    ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kFailoverStarted, {{"component", name()}, {"from", from}, {"cause", cause}});
  }
}

void Nfs::server_back(Instance& in) {
  if (in.serving) return;
  in.serving = true;
  ++in.epoch;
  in.disk->reset(ctx_.sched.now());
  const bool is_active = &in == &inst_[static_cast<size_t>(active_)];
  if (in.role == Role::kHead && !is_active) {
    // Back as the standby, with no giveback. It watches the serving head from now on: if
    // that head is down too, the missing heartbeats and mailbox stamps make this one take
    // over after takeover_detection, as any standby would.
    heartbeat_heard_[static_cast<size_t>(&in - inst_.data())] = ctx_.sched.now();
    return;
  }
  if (!is_active) return;
  now_serving("restart");
  begin_grace();  // knfsd restarted: clients reclaim state
}

// --- RuPost's check of the master: an NFS NULL RPC over the network -------------------------

void Nfs::check_master() {
  check_timer_.arm(ctx_.sched, p_.switch_check_interval.seconds, [this] { check_master(); });
  if (switched_) return;
  // The check runs on the first live mail node (a dead node runs nothing).
  NodeId from = -1;
  for (NodeId n : checkers_)
    if (ctx_.platform.is_up(n)) {
      from = n;
      break;
    }
  if (from < 0) return;
  const uint64_t seq = ++check_seq_;
  ctx_.sched.after(p_.switch_check_timeout.seconds, [this, seq] {
    if (seq == check_seq_) check_failed();  // no answer in time
  });
  const Instance* master = &inst_[static_cast<size_t>(active_)];
  auto there = ctx_.net.transit(from, master->node, p_.rpc_bytes.bytes);
  if (!there) return;
  ctx_.sched.after(*there, [this, seq, master, from] {
    if (seq != check_seq_ || !ctx_.platform.is_up(master->node)) return;  // a dead host answers nothing
    const bool serving = master->serving;                                  // else knfsd's port refuses
    auto back = ctx_.net.transit(master->node, from, p_.rpc_bytes.bytes);
    if (!back) return;
    ctx_.sched.after(*back, [this, seq, serving] {
      if (seq != check_seq_) return;
      ++check_seq_;  // answered: the timeout no longer counts
      if (!serving) return check_failed();
      check_fails_ = 0;
    });
  });
}

void Nfs::check_failed() {
  ++check_seq_;
  if (switched_ || ++check_fails_ < p_.switch_check_fall) return;
  const Instance& master = inst_[static_cast<size_t>(active_)];
  for (size_t i = 0; i < inst_.size(); ++i) {
    if (inst_[i].role != Role::kReplica) continue;
    const std::string from = ctx_.platform.name_of(master.node);
    active_ = static_cast<int>(i);
    switched_ = true;
    now_serving("switch");
    // What the master acknowledged and no rsync run had copied stays on the old master only.
    uint64_t lost = 0;
    if (Sync* s = sync_from(master)) {
      if (s->running) end_sync(*s, false);
      backlog_lost(s->backlog);
      for (const auto& [svc, n] : s->backlog.by_service()) {
        lost += n;
        ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kMailLost,
                         {{"component", name()}, {"service", ctx_.flow.service(svc).name}, {"count", n}});
      }
      s->backlog.clear();
    }
    ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kFailoverCompleted,
                     {{"component", name()}, {"from", from}, {"to", ctx_.platform.name_of(inst_[i].node)},
                      {"lost_messages", lost}});
    return;
  }
}

// --- the appliance's HA pair: heartbeats over the network, mailbox stamps on shared disks ---

void Nfs::heartbeat_tick() {
  heartbeat_timer_.arm(ctx_.sched, p_.heartbeat_interval.seconds, [this] { heartbeat_tick(); });
  const double now = ctx_.sched.now();
  const Instance& act = inst_[static_cast<size_t>(active_)];
  if (act.serving && ctx_.platform.is_up(act.node) && !taking_over_) {  // the serving head's own beat
    mailbox_stamped_ = now;
    for (size_t i = 0; i < inst_.size(); ++i) {
      if (static_cast<int>(i) == active_) continue;
      auto there = ctx_.net.transit(act.node, inst_[i].node, p_.rpc_bytes.bytes);
      if (!there) continue;
      const uint64_t epoch = inst_[i].epoch;
      ctx_.sched.after(*there, [this, i, epoch] {
        if (inst_[i].epoch == epoch && inst_[i].serving) heartbeat_heard_[i] = ctx_.sched.now();
      });
    }
  }
  if (taking_over_) return;
  for (size_t i = 0; i < inst_.size(); ++i) {  // each live partner watches the serving head
    if (static_cast<int>(i) == active_ || !inst_[i].serving) continue;
    const double silent = p_.takeover_detection.seconds - 1e-9;
    if (now - heartbeat_heard_[i] >= silent && now - mailbox_stamped_ >= silent) return take_over(i);
  }
}

void Nfs::take_over(size_t head) {
  taking_over_ = true;
  const std::string from = ctx_.platform.name_of(inst_[static_cast<size_t>(active_)].node);
  ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kNfsTakeoverStarted,
                   {{"component", name()}, {"from", from}, {"to", ctx_.platform.name_of(inst_[head].node)}});
  const uint64_t epoch = inst_[head].epoch;
  takeover_timer_.arm(ctx_.sched, p_.takeover_export.seconds, [this, head, epoch, from] {
    taking_over_ = false;
    if (inst_[head].epoch != epoch || !inst_[head].serving) return;  // the taking-over head died too
    active_ = static_cast<int>(head);
    heartbeat_heard_.assign(inst_.size(), ctx_.sched.now());
    mailbox_stamped_ = ctx_.sched.now();
    now_serving("takeover");
    ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kFailoverCompleted,
                     {{"component", name()}, {"from", from}, {"to", ctx_.platform.name_of(inst_[head].node)}});
    begin_grace();
  });
}

void Nfs::now_serving(const char* cause) {
  ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kStoreServing,
                   {{"component", name()},
                    {"node", ctx_.platform.name_of(inst_[static_cast<size_t>(active_)].node)},
                    {"cause", cause}});
}

void Nfs::on_node_down(NodeId n) { server_lost(inst_[static_cast<size_t>(instance_of(n))], "crash"); }
void Nfs::on_node_up(NodeId n) { server_back(inst_[static_cast<size_t>(instance_of(n))]); }
void Nfs::stop_instance(NodeId n) { server_lost(inst_[static_cast<size_t>(instance_of(n))], "stop"); }
void Nfs::start_instance(NodeId n) { server_back(inst_[static_cast<size_t>(instance_of(n))]); }

std::optional<NodeId> Nfs::resolve_role(const std::string& role) const {
  const Instance& a = inst_[static_cast<size_t>(active_)];
  const NfsRole wanted = nfs_roles().at(role);
  if (wanted == NfsRole::kActive) return a.serving ? std::optional<NodeId>(a.node) : std::nullopt;
  for (const auto& in : inst_) {
    if (!in.serving) continue;
    if (wanted == NfsRole::kMaster && in.role == Role::kMaster) return in.node;
    if (wanted == NfsRole::kReplica && in.role == Role::kReplica) return in.node;
    if (wanted == NfsRole::kStandby && &in != &a) return in.node;
  }
  return std::nullopt;
}

bool Nfs::accepts(NodeId n) const {
  int i = instance_of(n);
  return i >= 0 && inst_[static_cast<size_t>(i)].serving;
}

nlohmann::json Nfs::resolved_params() const { return nfs_params().resolved(p_); }

}  // namespace mailsim::models
