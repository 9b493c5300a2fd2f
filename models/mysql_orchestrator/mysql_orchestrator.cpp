#include "models/mysql_orchestrator/mysql_orchestrator.hpp"

#include <memory>

#include "engine/flow.hpp"
#include "models/common/endpoint_probe.hpp"

namespace mailsim::models {

using engine::NodeId;
using engine::Outcome;
using engine::Request;

MysqlOrchestrator::MysqlOrchestrator(const config::ComponentSpec& spec,
                                     MysqlOrchestratorParams params, engine::Context& ctx)
    : Component(spec.name, ctx.platform.ids_of(spec.nodes)),
      p_(std::move(params)),
      ctx_(ctx),
      orchestrator_(ctx.platform.ids_of({p_.orchestrator_node}).at(0)),
      running_(spec.nodes.size(), 1),
      replicating_(spec.nodes.size(), 1),
      gate_(p_.recovery_block.seconds),
      received_(spec.nodes.size(), 0),
      lineage_(spec.nodes.size(), 0),
      streaming_(spec.nodes.size(), 0) {
  replicating_[0] = 0;  // the first instance starts as the primary
  ledger_store_ = ctx.ledger.add_store(name(), engine::DurabilityLedger::Holds::kCommits);
  ctx.ledger.at_end([this] { count_lost_at_end(); });
}

void MysqlOrchestrator::start() {
  poll_.arm(ctx_.sched, p_.instance_poll.seconds, [this] { poll(); });
}

// ---------------------------------------------------------------- the instances

void MysqlOrchestrator::lose(NodeId n, const std::string& cause) {
  const int i = instance_of(n);
  if (!running_[static_cast<size_t>(i)]) return;
  running_[static_cast<size_t>(i)] = 0;
  // The timeline's record of the outage: the writer is gone. Nothing here tells
  // Orchestrator or the clients; they find out through their own connections.
  if (i == primary_ && failover_from_ < 0) {
    failover_from_ = i;
    ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kFailoverStarted,
                     {{"component", name()}, {"from", ctx_.platform.name_of(n)}, {"cause", cause}});
  }
}

void MysqlOrchestrator::back(NodeId n) {
  const int i = instance_of(n);
  if (running_[static_cast<size_t>(i)]) return;
  running_[static_cast<size_t>(i)] = 1;
  stream(static_cast<size_t>(i));  // a replica's IO thread reconnects and resumes
  // A primary back before any recovery serves again at the same address.
  if (i == primary_ && failover_from_ == i) {
    failover_from_ = -1;
    ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kFailoverCompleted,
                     {{"component", name()},
                      {"from", ctx_.platform.name_of(n)},
                      {"to", ctx_.platform.name_of(n)}});
  }
}

// ---------------------------------------------------------------- Orchestrator

void MysqlOrchestrator::poll() {
  poll_.arm(ctx_.sched, p_.instance_poll.seconds, [this] { poll(); });
  if (busy_ || !ctx_.platform.is_up(orchestrator_)) return;  // a dead Orchestrator polls nothing
  busy_ = true;
  const double now = ctx_.sched.now(), deadline = now + p_.connect_timeout.seconds;
  probe_endpoint(ctx_, orchestrator_, nodes()[static_cast<size_t>(primary_)], *this, "tcp",
                 p_.probe_bytes.bytes, {deadline, deadline}, [this](double t, ProbeResult res) {
                   ctx_.sched.at(t, [this, res] {
                     if (res == ProbeResult::kOk) {
                       busy_ = false;
                       return;
                     }
                     primary_unreachable();
                   });
                 });
}

// Orchestrator restarts each replica's IO thread and reads it back: the replica either
// reconnected to the primary within connect_timeout or is still "Connecting".
void MysqlOrchestrator::ask_replica(int replica, std::function<void(ReplicaView)> done) {
  const NodeId rn = nodes()[static_cast<size_t>(replica)];
  const NodeId primary = nodes()[static_cast<size_t>(primary_)];
  const double deadline = ctx_.sched.now() + p_.connect_timeout.seconds;
  const double bytes = p_.probe_bytes.bytes;
  probe_endpoint(ctx_, orchestrator_, rn, *this, "tcp", bytes, {deadline, deadline},
                 [this, rn, primary, bytes, done](double t, ProbeResult res) {
                   ctx_.sched.at(t, [this, rn, primary, bytes, done, res] {
                     if (res != ProbeResult::kOk) return done(ReplicaView::kUnreachable);
                     const double io_deadline = ctx_.sched.now() + p_.connect_timeout.seconds;
                     probe_endpoint(ctx_, rn, primary, *this, "tcp", bytes,
                                    {io_deadline, io_deadline},
                                    [this, rn, bytes, done](double t2, ProbeResult io) {
                                      ctx_.sched.at(t2, [this, rn, bytes, done, io] {
                                        // The replica's status travels back to Orchestrator.
                                        auto back = ctx_.net.transit(rn, orchestrator_, bytes);
                                        if (!back) return done(ReplicaView::kUnreachable);
                                        const ReplicaView v = io == ProbeResult::kOk
                                                                  ? ReplicaView::kReplicating
                                                                  : ReplicaView::kLostPrimary;
                                        ctx_.sched.after(*back, [done, v] { done(v); });
                                      });
                                    });
                   });
                 });
}

void MysqlOrchestrator::primary_unreachable() {
  std::vector<int> replicas;
  for (size_t i = 0; i < replicating_.size(); ++i)
    if (replicating_[i]) replicas.push_back(static_cast<int>(i));
  if (replicas.empty()) return analysed({}, {});
  struct Round {
    std::vector<ReplicaView> views;
    size_t pending;
  };
  auto round = std::make_shared<Round>(
      Round{std::vector<ReplicaView>(replicas.size(), ReplicaView::kUnreachable), replicas.size()});
  for (size_t k = 0; k < replicas.size(); ++k)
    ask_replica(replicas[k], [this, round, replicas, k](ReplicaView v) {
      round->views[k] = v;
      if (--round->pending == 0) analysed(round->views, replicas);
    });
}

void MysqlOrchestrator::analysed(const std::vector<ReplicaView>& views,
                                 const std::vector<int>& replicas) {
  const MasterAnalysis a = analyse_master(false, views);
  const bool dead = a == MasterAnalysis::kDeadMaster;
  const bool recover = dead && gate_.may_recover(ctx_.sched.now());
  ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kOrchestratorAnalysis,
                   {{"component", name()},
                    {"primary", ctx_.platform.name_of(nodes()[static_cast<size_t>(primary_)])},
                    {"analysis", analysis_name(a)},
                    {"recovery", recover ? "started"
                                 : dead  ? "blocked"
                                         : "none"}});
  if (!recover) {
    busy_ = false;
    return;
  }
  gate_.recovered(ctx_.sched.now());
  const int from = primary_;
  if (failover_from_ < 0) {  // a primary cut off, not lost: the record opens at detection
    failover_from_ = from;
    ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kFailoverStarted,
                     {{"component", name()},
                      {"from", ctx_.platform.name_of(nodes()[static_cast<size_t>(from)])},
                      {"cause", "dead_master"}});
  }
  const std::vector<int> confirmed = confirmed_replicas(views, replicas);
  // A replica Orchestrator could not read cannot be moved below the new primary: it is lost
  // to the cluster (DetachLostReplicasAfterMasterFailover).
  for (int r : replicas) replicating_[static_cast<size_t>(r)] = 0;
  if (!stops_replicas_first(confirmed.size())) return regroup(confirmed);
  run_phase(RecoveryPhase::kStopReplicas, confirmed, [this](std::vector<int> stopped) { regroup(stopped); });
}

// ---------------------------------------------------------------- the recovery

void MysqlOrchestrator::regroup(const std::vector<int>& replicas) {
  const int to = most_advanced(replicas, received_);
  if (to < 0) return abandon_recovery();
  std::vector<int> others;
  for (int r : replicas)
    if (r != to) others.push_back(r);
  run_phase(RecoveryPhase::kRepointReplicas, others, [this, to](std::vector<int> moved) {
    for (int r : moved) {  // they follow the candidate, fetching what they miss (GTID)
      replicating_[static_cast<size_t>(r)] = 1;
      received_[static_cast<size_t>(r)] = received_[static_cast<size_t>(to)];
    }
    run_phase(RecoveryPhase::kPromote, {to}, [this, to](std::vector<int> promoted) {
      if (promoted.empty()) return abandon_recovery();
      run_phase(RecoveryPhase::kHook, {to}, [this, to](std::vector<int> hooked) {
        if (hooked.empty()) return abandon_recovery();
        ctx_.sched.after(p_.hook_time.seconds, [this, to] { promote(to); });
      });
    });
  });
}

void MysqlOrchestrator::run_phase(RecoveryPhase phase, std::vector<int> instances,
                                  std::function<void(std::vector<int> ok)> done) {
  if (instances.empty()) return done({});
  struct Round {
    std::vector<char> ok;
    size_t pending;
  };
  auto round = std::make_shared<Round>(Round{std::vector<char>(instances.size(), 0), instances.size()});
  for (size_t k = 0; k < instances.size(); ++k)
    run_statements(instances[k], phase_statements(phase).size(),
                   [this, phase, round, instances, k, done](bool ok) {
                     ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kOrchestratorRecovery,
                                      {{"component", name()},
                                       {"phase", phase_name(phase)},
                                       {"instance", ctx_.platform.name_of(nodes()[static_cast<size_t>(instances[k])])},
                                       {"result", ok ? "ok" : "failed"}});
                     round->ok[k] = ok ? 1 : 0;
                     if (--round->pending > 0) return;
                     std::vector<int> succeeded;
                     for (size_t j = 0; j < instances.size(); ++j)
                       if (round->ok[j]) succeeded.push_back(instances[j]);
                     done(succeeded);
                   });
}

// One statement is one round trip on Orchestrator's connection to the instance: a dead or
// cut-off host leaves it unanswered (connect_timeout when the connection must be made,
// topology_read_timeout for the answer), a stopped mysqld refuses.
void MysqlOrchestrator::run_statements(int instance, size_t left, std::function<void(bool ok)> done) {
  if (left == 0) return done(true);
  const double now = ctx_.sched.now();
  probe_endpoint(ctx_, orchestrator_, nodes()[static_cast<size_t>(instance)], *this, "tcp", p_.probe_bytes.bytes,
                 {now + p_.connect_timeout.seconds, now + p_.topology_read_timeout.seconds},
                 [this, instance, left, done](double t, ProbeResult res) {
                   ctx_.sched.at(t, [this, instance, left, done, res] {
                     if (res != ProbeResult::kOk) return done(false);
                     run_statements(instance, left - 1, done);
                   });
                 });
}

// A recovery whose statement failed stops there, as Orchestrator's does; the recovery block
// it registered still holds, so no new recovery starts within recovery_block.
void MysqlOrchestrator::abandon_recovery() { busy_ = false; }

// The writer address points at `to`: what the old primary acknowledged past the last
// transaction `to` received is gone (RESET SLAVE ALL ended its relay log; the old primary
// is never re-attached).
void MysqlOrchestrator::promote(int to) {
  const int from = primary_;
  const uint64_t lost = count_lost(received_[static_cast<size_t>(to)]);
  replicating_[static_cast<size_t>(to)] = 0;
  replicating_[static_cast<size_t>(from)] = 0;
  primary_ = to;
  ++generation_;  // the new history: the candidate's and its repointed replicas'
  lineage_[static_cast<size_t>(to)] = generation_;
  for (size_t k = 0; k < replicating_.size(); ++k) {
    streaming_[k] = 0;  // the old primary's streams are gone
    if (replicating_[k]) lineage_[k] = generation_;
  }
  busy_ = false;
  failover_from_ = -1;
  ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kFailoverCompleted,
                   {{"component", name()},
                    {"from", ctx_.platform.name_of(nodes()[static_cast<size_t>(from)])},
                    {"to", ctx_.platform.name_of(nodes()[static_cast<size_t>(to)])},
                    {"lost_commits", lost}});
}

// ---------------------------------------------------------------- clients

void MysqlOrchestrator::on_request(Request& r) {
  const int w = primary_;  // where the writer address points now
  const NodeId target = nodes()[static_cast<size_t>(w)];
  auto run = [this, w](Request& req) {
    if (!running_[static_cast<size_t>(w)]) return ctx_.flow.fail(req, Outcome::kRefused);
    ctx_.flow.run_cpu(req, ctx_.flow.sample_cpu(req), this);
  };
  if (target == r.at) return run(r);
  ctx_.flow.hop(r, target, ctx_.flow.request_bytes(r), run,
                [this](Request& req) { ctx_.flow.syn_unanswered(req); });
}

void MysqlOrchestrator::on_cpu_done(Request& r, bool ok) {
  if (!ok) return ctx_.flow.orphan(r);
  if (static_cast<MysqlOp>(ctx_.flow.op_slot(r)) == MysqlOp::kWrite) commit(instance_of(r.at), r);
  ctx_.flow.next_step(r);
}

bool MysqlOrchestrator::accepts(NodeId n) const {
  const int i = instance_of(n);
  return i >= 0 && running_[static_cast<size_t>(i)];
}

std::optional<NodeId> MysqlOrchestrator::resolve_role(const std::string& role) const {
  switch (mysql_roles().at(role)) {
    case MysqlRole::kPrimary:
      return nodes()[static_cast<size_t>(primary_)];
    case MysqlRole::kReplica:
      for (size_t i = 0; i < replicating_.size(); ++i)
        if (replicating_[i] && running_[i]) return nodes()[i];
      break;
  }
  return std::nullopt;
}

nlohmann::json MysqlOrchestrator::resolved_params() const {
  return mysql_orchestrator_params().resolved(p_);
}

}  // namespace mailsim::models
