#include "models/cockroachdb/cockroachdb.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "models/disk/disk_logic.hpp"
#include "models/disk/node_disk.hpp"
#include "engine/flow.hpp"

namespace mailsim::models {

using engine::NodeId;
using engine::Outcome;
using engine::Request;

namespace {
}  // namespace

CockroachDb::CockroachDb(const config::ComponentSpec& spec, const config::Topology& topo, CockroachDbParams params,
                         engine::Context& ctx)
    : Component(spec.name, ctx.platform.ids_of(spec.nodes)),
      p_(std::move(params)),
      ctx_(ctx),
      logic_(static_cast<int>(nodes().size()), p_.ranges, p_.replication_factor, p_.liveness_ttl.seconds) {
  MAILSIM_ASSERT(p_.replication_factor <= static_cast<int>(nodes().size()),
                 "cockroachdb replication_factor > nodes survived validation");
  nodes_.reserve(nodes().size());  // timers capture nodes by address: never reallocate
  for (size_t i = 0; i < nodes().size(); ++i) {
    Node n;
    n.id = nodes()[i];
    n.index = static_cast<int>(i);
    n.name = ctx.platform.name_of(n.id);
    n.rng = core::RngStream(ctx.seed, name() + "@" + n.name);
    n.disk = node_disk(ctx, topo, n.name, "");
    nodes_.push_back(std::move(n));
  }
  groups_.resize(static_cast<size_t>(logic_.groups()));
  for (int g = 0; g < logic_.groups(); ++g) {
    const auto& reps = logic_.replicas(g);
    for (size_t j = 0; j < reps.size(); ++j) {
      auto rep = std::make_unique<Replica>();
      rep->group = g;
      rep->rid = static_cast<int>(j);
      rep->node = reps[j];
      rep->rng = core::RngStream(ctx.seed, name() + "/" + group_name(g) + "@" + nodes_[static_cast<size_t>(reps[j])].name);
      core::RngStream* rng = &rep->rng;
      rep->raft = std::make_unique<raft::RaftLogic>(cockroachdb_raft_config(p_, rep->rid, static_cast<int>(reps.size())),
                                                    [rng] { return rng->uniform(); });
      groups_[static_cast<size_t>(g)].reps.push_back(std::move(rep));
    }
  }
}

std::string CockroachDb::group_name(int g) const {
  return g == logic_.liveness_group() ? std::string("liveness") : "r" + std::to_string(g + 1);
}

int CockroachDb::register_op(const std::string& op) { return static_cast<int>(data_ops().at(op)); }

// ---------------------------------------------------------------- lifecycle

void CockroachDb::start() {
  ledger_store_ = ctx_.ledger.add_store(name(), engine::DurabilityLedger::Holds::kCommits);
  ctx_.ledger.at_end([this] { count_surviving_copies(); });
  for (auto& n : nodes_) boot(n, true);
  tick_.arm(ctx_.sched, p_.raft_tick_interval.seconds, [this] { tick(); });
}

void CockroachDb::boot(Node& n, bool first) {
  const double now = ctx_.sched.now();
  n.running = true;
  ++n.epoch;
  n.dead.cancel();
  n.down_since = -1;
  n.dead_reported = false;
  for (int g = 0; g < logic_.groups(); ++g) {
    if (logic_.replica_index(g, n.index) < 0) continue;
    Replica& rep = replica(g, n.index);
    // Steady state at t = 0: replica 0 leads term 1 (no cold-start election).
    apply(rep, first ? rep.raft->start(now, 0) : rep.raft->restart(now));
  }
  Node* np = &n;
  if (first) {
    // Everyone heartbeated at t = 0 (the logic's initial records); the loops are out of phase.
    n.hb.arm(ctx_.sched, n.rng.uniform(0, p_.liveness_heartbeat_interval.seconds), [this, np] { attempt_heartbeat(*np); });
    return;
  }
  // node_liveness.go Start: the first heartbeat after a restart increments the node's epoch.
  n.bump_epoch = true;
  attempt_heartbeat(n);
}

void CockroachDb::halt(Node& n, const std::string& cause) {
  if (!n.running) return;
  const double now = ctx_.sched.now();
  n.running = false;
  n.draining = false;
  n.drain.cancel();
  ++n.epoch;
  n.hb.cancel();
  n.hb_retry.cancel();
  n.down_since = now;
  Node* np = &n;
  n.dead.arm(ctx_.sched, p_.time_until_store_dead.seconds, [this, np] {
    np->dead_reported = true;
    ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kCrdbStoreDead, {{"component", name()}, {"node", np->name}});
  });
  for (int g = 0; g < logic_.groups(); ++g) {
    if (logic_.replica_index(g, n.index) < 0) continue;
    Replica& rep = replica(g, n.index);
    rep.election.cancel();
    rep.heartbeat.cancel();
    rep.inbox_timer.cancel();
    rep.inbox.clear();  // appends not yet on disk are gone with the process
    rep.raft->crash();
    if (rep.was_leader) {
      rep.was_leader = false;
      ctx_.events.emit(now, engine::EventKind::kRaftLeaderSteppedDown,
                       {{"component", name()}, {"group", group_name(g)}, {"node", n.name}, {"term", rep.raft->term()}, {"cause", cause}});
    }
  }
  // Writes this node proposed die with it (the proxy decides what the client sees).
  for (auto it = cmds_.begin(); it != cmds_.end();) {
    if (it->second.kind == CmdKind::kWrite && it->second.proposer == n.index) {
      Cmd c = it->second;
      it = cmds_.erase(it);
      if (ctx_.flow.alive(*c.r, c.gen)) ctx_.flow.orphan(*c.r);
    } else {
      ++it;
    }
  }
  scan(now);
}

void CockroachDb::on_node_down(NodeId n) { halt(nodes_[static_cast<size_t>(instance_of(n))], "crash"); }
void CockroachDb::on_node_up(NodeId n) { boot(nodes_[static_cast<size_t>(instance_of(n))], false); }
// cockroach node drain, then shutdown (server/drain.go): unready for drain_wait, then the
// leases and Raft leaderships go to other replicas, for at most lease_transfer_wait.
void CockroachDb::stop_instance(NodeId n) {
  Node& node = nodes_[static_cast<size_t>(instance_of(n))];
  if (!node.running || node.draining) return;
  node.draining = true;
  Node* np = &node;
  const uint64_t epoch = node.epoch;
  const double deadline = ctx_.sched.now() + p_.drain_wait.seconds + p_.lease_transfer_wait.seconds;
  node.drain.arm(ctx_.sched, p_.drain_wait.seconds, [this, np, epoch, deadline] {
    if (np->running && np->epoch == epoch) drain(*np, deadline);
  });
}

void CockroachDb::drain(Node& n, double deadline) {
  const double now = ctx_.sched.now();
  bool holds = false;
  for (int g = 0; g < logic_.groups(); ++g) {
    const int ri = logic_.replica_index(g, n.index);
    if (ri < 0) continue;
    Replica& mine = replica(g, n.index);
    int to = -1;  // the first other replica on a running node that is not draining
    for (int node : logic_.replicas(g))
      if (node != n.index && to < 0 && nodes_[static_cast<size_t>(node)].running && !nodes_[static_cast<size_t>(node)].draining)
        to = node;
    if (to < 0) continue;
    const bool lease_here = logic_.lease_valid(g, now) && logic_.lease(g).holder == n.index;
    if (lease_here) {
      holds = true;
      if (Replica* l = leader_of(g); l && groups_[static_cast<size_t>(g)].acquiring_until < now) {
        const uint64_t id = next_cmd_++;
        Cmd c;
        c.kind = CmdKind::kTransfer;
        c.node = to;
        c.range = g;
        c.proposer = n.index;
        cmds_[id] = c;
        raft::RaftActions a;
        if (l->raft->propose(now, id, a) == 0) cmds_.erase(id);
        else groups_[static_cast<size_t>(g)].acquiring_until = now + p_.liveness_retry_interval.seconds;
        apply(*l, std::move(a));
      }
    } else if (mine.raft->is_leader() && mine.raft->transferee() < 0) {
      // Raft leadership follows the lease (maybeTransferRaftLeadershipToLeaseholder).
      holds = true;
      const int holder = logic_.lease(g).holder;
      const int target = holder >= 0 && holder != n.index ? holder : to;
      apply(mine, mine.raft->transfer_leadership(now, logic_.replica_index(g, target)));
    } else if (mine.raft->is_leader()) {
      holds = true;
    }
  }
  if (!holds || now >= deadline - 1e-9) return halt(n, "stop");
  Node* np = &n;
  const uint64_t epoch = n.epoch;
  n.drain.arm(ctx_.sched, p_.raft_tick_interval.seconds, [this, np, epoch, deadline] {
    if (np->running && np->epoch == epoch) drain(*np, deadline);
  });
}
void CockroachDb::start_instance(NodeId n) {
  Node& node = nodes_[static_cast<size_t>(instance_of(n))];
  if (!node.running) boot(node, false);
}

// ---------------------------------------------------------------- Raft plumbing

void CockroachDb::apply(Replica& rep, raft::RaftActions a) {
  Node& n = nodes_[static_cast<size_t>(rep.node)];
  const uint64_t epoch = n.epoch;
  Replica* rp = &rep;
  for (const auto& t : a.timers) {
    engine::Timer& timer = t.kind == raft::TimerKind::kElection ? rep.election : rep.heartbeat;
    if (t.delay < 0) {
      timer.cancel();
      continue;
    }
    const raft::TimerKind kind = t.kind;
    timer.arm(ctx_.sched, t.delay, [this, rp, kind] { apply(*rp, rp->raft->on_timer(ctx_.sched.now(), kind)); });
  }
  for (const auto& msg : a.send) send(rep, msg);
  if (a.state_changed) {
    const bool leader = rep.raft->is_leader();
    if (leader && !rep.was_leader) {
      rep.was_leader = true;
      ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kRaftLeaderElected,
                       {{"component", name()}, {"group", group_name(rep.group)}, {"node", n.name}, {"term", rep.raft->term()}});
    } else if (!leader && rep.was_leader) {
      rep.was_leader = false;
      ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kRaftLeaderSteppedDown,
                       {{"component", name()}, {"group", group_name(rep.group)}, {"node", n.name}, {"term", rep.raft->term()},
                        {"cause", rep.raft->leader() < 0 ? "check_quorum" : "higher_term"}});
    }
  }
  for (const auto& c : a.committed) {
    if (!n.running || n.epoch != epoch) return;
    on_committed(rep, c);
  }
  if (a.snapshot_installed)
    ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kCrdbSnapshotApplied,
                     {{"component", name()}, {"range", group_name(rep.group)}, {"node", n.name},
                      {"index", a.snapshot_installed}, {"transfer_s", ctx_.sched.now() - rep.snapshot_started}});
  if (!a.committed.empty() || a.snapshot_installed) after_commit(rep);
}

void CockroachDb::send(Replica& from, const raft::Message& msg) {
  Group& G = groups_[static_cast<size_t>(from.group)];
  Replica* to = G.reps[static_cast<size_t>(msg.to)].get();
  Node& tn = nodes_[static_cast<size_t>(to->node)];
  auto d = ctx_.net.transit(nodes_[static_cast<size_t>(from.node)].id, tn.id, msg.bytes() + p_.request_bytes.bytes);
  if (!d) return;
  if (msg.type == raft::MsgType::kSnapshot) return stream_snapshot(from, *to, msg, *d);
  const uint64_t epoch = tn.epoch;
  Node* tp = &tn;
  ctx_.sched.after(*d, [this, to, tp, epoch, msg] {
    if (!tp->running || tp->epoch != epoch || !ctx_.platform.is_up(tp->id)) return;
    receive(*to, msg);
  });
}

// A snapshot is a stream (store_snapshot.go sendSnapshot), not one datagram: the sender's rate
// limiter paces it, so it ends max(network transit, snapshot_bytes / snapshot_max_rate) after
// it started, and it breaks if either end goes down meanwhile.
void CockroachDb::stream_snapshot(Replica& from, Replica& to, const raft::Message& msg, double transit) {
  Node* sender = &nodes_[static_cast<size_t>(from.node)];
  Node* receiver = &nodes_[static_cast<size_t>(to.node)];
  const double started = ctx_.sched.now();
  const double d = std::max(transit, p_.snapshot_stream_time());
  Replica* tp = &to;
  ctx_.sched.after(d, [this, tp, sender, receiver, msg, started, sender_epoch = sender->epoch, epoch = receiver->epoch] {
    if (!sender->running || sender->epoch != sender_epoch) return;
    if (!receiver->running || receiver->epoch != epoch || !ctx_.platform.is_up(receiver->id)) return;
    tp->snapshot_started = started;
    receive(*tp, msg);
  });
}

// A follower writes appended entries to its Raft log, and flushes it, before it handles the
// message (etcd-io/raft: persist entries, then send the MsgAppResp); it writes a snapshot to
// its store and syncs it before it applies it (CockroachDB ingests the snapshot's SSTs, then
// answers). What arrives meanwhile waits behind it, so the replica handles messages in
// arrival order.
void CockroachDb::receive(Replica& to, const raft::Message& msg) {
  const double now = ctx_.sched.now();
  Node& n = nodes_[static_cast<size_t>(to.node)];
  double ready = now;
  if (n.disk != nullptr && msg.type == raft::MsgType::kAppend && !msg.entries.empty())
    ready = n.disk->submit(now, log_append_op(msg.bytes() + p_.request_bytes.bytes));
  if (n.disk != nullptr && msg.type == raft::MsgType::kSnapshot) ready = n.disk->submit(now, sst_ingest_op(msg.snapshot_bytes));
  if (to.inbox.empty() && ready <= now) return apply(to, to.raft->on_message(now, msg));
  if (!to.inbox.empty()) ready = std::max(ready, to.inbox.back().first);
  to.inbox.emplace_back(ready, msg);
  if (to.inbox.size() == 1) arm_inbox(to);
}

void CockroachDb::arm_inbox(Replica& rep) {
  Replica* rp = &rep;
  Node* np = &nodes_[static_cast<size_t>(rep.node)];
  rep.inbox_timer.arm(ctx_.sched, rep.inbox.front().first - ctx_.sched.now(), [this, rp, np, epoch = np->epoch] {
    while (!rp->inbox.empty() && rp->inbox.front().first <= ctx_.sched.now()) {
      if (!np->running || np->epoch != epoch) return;
      const raft::Message msg = std::move(rp->inbox.front().second);
      rp->inbox.pop_front();
      apply(*rp, rp->raft->on_message(ctx_.sched.now(), msg));
    }
    if (!rp->inbox.empty()) arm_inbox(*rp);
  });
}

void CockroachDb::acknowledge_write(const Cmd& cmd, int group, const raft::Committed& c) {
  if (!ctx_.flow.alive(*cmd.r, cmd.gen)) return;
  const double now = ctx_.sched.now();
  groups_[static_cast<size_t>(group)].acked.push_back({c.index, c.entry.term, cmd.r->service, now});
  ctx_.ledger.acknowledged(ledger_store_, cmd.r->service, now);
  ctx_.flow.next_step(*cmd.r);
}

CockroachDb::Replica* CockroachDb::leader_of(int g) {
  Replica* best = nullptr;
  for (auto& rep : groups_[static_cast<size_t>(g)].reps)
    if (nodes_[static_cast<size_t>(rep->node)].running && rep->raft->is_leader() &&
        (!best || rep->raft->term() > best->raft->term()))
      best = rep.get();
  return best;
}

// Committed entries are applied once per group, by the first replica that learns of them
// (every replica applies the same log; the shared liveness and lease tables stand for it).
void CockroachDb::on_committed(Replica& rep, const raft::Committed& c) {
  Group& G = groups_[static_cast<size_t>(rep.group)];
  if (c.index <= G.applied) return;
  G.applied = c.index;
  if (c.entry.data == 0) return;  // a new leader's empty entry
  auto it = cmds_.find(c.entry.data);
  if (it == cmds_.end()) return;
  const Cmd cmd = it->second;
  cmds_.erase(it);
  const double now = ctx_.sched.now();
  switch (cmd.kind) {
    case CmdKind::kWrite: {
      if (cmd.durable_at <= now) return acknowledge_write(cmd, rep.group, c);
      // Committed by the followers before the leader's own append reached its disk.
      Node* proposer = &nodes_[static_cast<size_t>(cmd.proposer)];
      ctx_.sched.at(cmd.durable_at, [this, cmd, g = rep.group, c, proposer, epoch = proposer->epoch] {
        if (proposer->epoch == epoch) return acknowledge_write(cmd, g, c);
        if (ctx_.flow.alive(*cmd.r, cmd.gen)) ctx_.flow.orphan(*cmd.r);  // it died with the leader
      });
      return;
    }
    case CmdKind::kHeartbeat: {
      Node& n = nodes_[static_cast<size_t>(cmd.node)];
      const bool bump = cmd.bump && n.bump_epoch;
      logic_.heartbeat(cmd.node, cmd.time, bump);
      if (bump) n.bump_epoch = false;
      n.hb_applied = std::max(n.hb_applied, cmd.seq);
      return;
    }
    case CmdKind::kIncrementEpoch: {
      if (!logic_.increment_epoch(cmd.node, now)) return;
      ctx_.events.emit(now, engine::EventKind::kCrdbLivenessEpochIncremented,
                       {{"component", name()}, {"node", nodes_[static_cast<size_t>(cmd.node)].name},
                        {"epoch", logic_.record(cmd.node).epoch}, {"by", nodes_[static_cast<size_t>(cmd.proposer)].name},
                        {"range", group_name(cmd.range)}});
      // The requester learns the CPut succeeded one hop later and proposes its lease at once
      // (replica_range_lease.go requestLeaseAsync: IncrementEpoch, then RequestLease).
      Group& T = groups_[static_cast<size_t>(cmd.range)];
      T.acquiring_until = -1;
      auto d = ctx_.net.transit(nodes_[static_cast<size_t>(rep.node)].id, nodes_[static_cast<size_t>(cmd.proposer)].id,
                                p_.request_bytes.bytes);
      if (!d) return;
      const int g = cmd.range;
      ctx_.sched.after(*d, [this, g] {
        if (Replica* l = leader_of(g); l && ctx_.sched.now() >= groups_[static_cast<size_t>(g)].acquiring_until) try_acquire(g, *l);
      });
      return;
    }
    case CmdKind::kTransfer: {
      const int g = rep.group;
      G.acquiring_until = -1;
      if (!logic_.transfer(g, cmd.proposer, cmd.node, now)) return;
      ctx_.events.emit(now, engine::EventKind::kCrdbLeaseAcquired,
                       {{"component", name()}, {"range", group_name(g)}, {"node", nodes_[static_cast<size_t>(cmd.node)].name},
                        {"epoch", logic_.lease(g).epoch}, {"from", nodes_[static_cast<size_t>(cmd.proposer)].name}});
      return;
    }
    case CmdKind::kTruncateLog:
      G.truncate_to = std::max(G.truncate_to, cmd.up_to);
      G.truncate_entry = c.index;
      return;
    case CmdKind::kLease: {
      const int g = rep.group;
      G.acquiring_until = -1;
      const int before = logic_.lease(g).holder;
      if (!logic_.acquire(g, cmd.node, now)) return;
      ctx_.events.emit(now, engine::EventKind::kCrdbLeaseAcquired,
                       {{"component", name()}, {"range", group_name(g)}, {"node", nodes_[static_cast<size_t>(cmd.node)].name},
                        {"epoch", logic_.lease(g).epoch},
                        {"from", before >= 0 ? nodes_[static_cast<size_t>(before)].name : std::string()}});
      if (holder_if_usable(g) >= 0) {
        set_available(g, true, now, "");
        release(g);
      }
      return;
    }
  }
}

// ---------------------------------------------------------------- liveness and leases

void CockroachDb::liveness_call(Node& from, Cmd cmd) {
  Replica* l = leader_of(logic_.liveness_group());
  if (!l || !from.running) return;  // no leader known: the caller retries
  Node& ln = nodes_[static_cast<size_t>(l->node)];
  auto d = ctx_.net.transit(from.id, ln.id, p_.request_bytes.bytes);
  if (!d) return;
  const uint64_t epoch = ln.epoch;
  Node* lp = &ln;
  ctx_.sched.after(*d, [this, l, lp, epoch, cmd] {
    if (!lp->running || lp->epoch != epoch || !l->raft->is_leader()) return;
    const uint64_t id = next_cmd_++;
    cmds_[id] = cmd;
    raft::RaftActions a;
    if (l->raft->propose(ctx_.sched.now(), id, a) == 0) {
      cmds_.erase(id);
      return;
    }
    apply(*l, std::move(a));
  });
}

void CockroachDb::attempt_heartbeat(Node& n) {
  if (!n.running) return;
  Node* np = &n;
  // The regular loop (node_liveness.go heartbeat loop: every renewal interval) ...
  if (!n.hb.armed()) n.hb.arm(ctx_.sched, p_.liveness_heartbeat_interval.seconds, [this, np] { attempt_heartbeat(*np); });
  Cmd c;
  c.kind = CmdKind::kHeartbeat;
  c.node = n.index;
  c.time = ctx_.sched.now();
  c.bump = n.bump_epoch;
  c.seq = ++n.hb_sent;
  liveness_call(n, c);
  // ... and a retry while this attempt has not been applied.
  const uint64_t seq = c.seq;
  n.hb_retry.arm(ctx_.sched, p_.liveness_retry_interval.seconds, [this, np, seq] {
    if (np->running && np->hb_applied < seq) attempt_heartbeat(*np);
  });
}

void CockroachDb::try_acquire(int g, Replica& leader) {
  const double now = ctx_.sched.now();
  Node& n = nodes_[static_cast<size_t>(leader.node)];
  if (!n.running || n.draining || !leader.raft->is_leader()) return;
  Group& G = groups_[static_cast<size_t>(g)];
  if (const int old = logic_.needs_epoch_increment(g, now); old >= 0) {
    Cmd c;
    c.kind = CmdKind::kIncrementEpoch;
    c.node = old;
    c.range = g;
    c.proposer = n.index;
    G.acquiring_until = now + p_.liveness_retry_interval.seconds;
    liveness_call(n, c);
    return;
  }
  if (!logic_.can_acquire(g, n.index, now)) return;
  Cmd c;
  c.kind = CmdKind::kLease;
  c.node = n.index;
  c.range = g;
  raft::RaftActions a;
  if (propose_cmd(leader, c, a) == 0) return;
  G.acquiring_until = now + p_.liveness_retry_interval.seconds;
  apply(leader, std::move(a));
}

int CockroachDb::holder_if_usable(int g) const {
  if (!logic_.lease_valid(g, ctx_.sched.now())) return -1;
  const int h = logic_.lease(g).holder;
  return nodes_[static_cast<size_t>(h)].running ? h : -1;
}

void CockroachDb::set_available(int g, bool available, double now, const char* cause) {
  Group& G = groups_[static_cast<size_t>(g)];
  if (available == !G.unavailable) return;
  if (available) {
    G.unavailable = false;
    G.tripped = false;
    const int h = logic_.lease(g).holder;
    ctx_.events.emit(now, engine::EventKind::kCrdbRangeAvailable,
                     {{"component", name()}, {"range", group_name(g)}, {"node", nodes_[static_cast<size_t>(h)].name},
                      {"unavailable_s", now - G.unavailable_since}});
    if (--unavailable_ranges_ == 0 && failover_from_ >= 0) {
      ctx_.events.emit(now, engine::EventKind::kFailoverCompleted,
                       {{"component", name()}, {"from", nodes_[static_cast<size_t>(failover_from_)].name},
                        {"to", nodes_[static_cast<size_t>(h)].name}});
      failover_from_ = -1;
    }
    return;
  }
  G.unavailable = true;
  G.unavailable_since = now;
  G.lost_holder = logic_.lease(g).holder;
  const std::string holder = G.lost_holder >= 0 ? nodes_[static_cast<size_t>(G.lost_holder)].name : std::string();
  ctx_.events.emit(now, engine::EventKind::kCrdbRangeUnavailable, {{"component", name()}, {"range", group_name(g)}, {"holder", holder}, {"cause", cause}});
  if (unavailable_ranges_++ == 0 && failover_from_ < 0 && G.lost_holder >= 0) {
    failover_from_ = G.lost_holder;
    ctx_.events.emit(now, engine::EventKind::kFailoverStarted, {{"component", name()}, {"from", holder}, {"cause", cause}});
  }
}

void CockroachDb::tick() {
  scan(ctx_.sched.now());
  tick_.arm(ctx_.sched, p_.raft_tick_interval.seconds, [this] { tick(); });
}

// One pass over the user ranges, co-scheduled on the Raft tick: notices lapsed leases,
// lets each range's Raft leader ask for the lease, releases waiting requests, and trips the
// circuit breaker of ranges unavailable for unavailable_timeout.
void CockroachDb::scan(double now) {
  for (int g = 0; g < logic_.ranges(); ++g) {
    Group& G = groups_[static_cast<size_t>(g)];
    if (holder_if_usable(g) >= 0) {
      set_available(g, true, now, "");
      if (!G.parked.empty()) release(g);
      continue;
    }
    const int h = logic_.lease(g).holder;
    set_available(g, false, now, h >= 0 && !nodes_[static_cast<size_t>(h)].running ? "holder_down" : "lease_invalid");
    if (Replica* l = leader_of(g); l && now >= G.acquiring_until) try_acquire(g, *l);
    const bool breaker = p_.unavailable_timeout.seconds > 0;  // 0: circuit breakers disabled
    if (breaker && !G.tripped && now - G.unavailable_since >= p_.unavailable_timeout.seconds) {
      G.tripped = true;
      ctx_.events.emit(now, engine::EventKind::kCrdbCircuitBreakerTripped, {{"component", name()}, {"range", group_name(g)}});
      release(g);  // dispatch fails them: unavailable
    }
  }
}

// ---------------------------------------------------------------- request path

int CockroachDb::range_of(const Request& r) const {
  return logic_.range_of((static_cast<uint64_t>(r.service) << 48) ^ r.seq);
}

void CockroachDb::on_request(Request& r) {
  NodeId gateway = r.target;
  if (gateway < 0) {
    // No balancer chose: the client connects to the first node that accepts (a
    // multi-host connection string).
    if (instance_of(r.at) >= 0) gateway = r.at;
    for (const auto& n : nodes_)
      if (gateway < 0 && n.running) gateway = n.id;
    if (gateway < 0) gateway = nodes()[0];
  }
  if (gateway == r.at) return arrive_gateway(r);
  ctx_.flow.hop(r, gateway, ctx_.flow.request_bytes(r), [this](Request& req) { arrive_gateway(req); },
                [this](Request& req) {
                  if (req.step == 0) return ctx_.flow.syn_unanswered(req);
                  ctx_.flow.lose(req);
                });
}

void CockroachDb::arrive_gateway(Request& r) {
  const Node& n = nodes_[static_cast<size_t>(instance_of(r.at))];
  if (!n.running) return ctx_.flow.fail(r, Outcome::kRefused);
  dispatch(r, range_of(r));
}

void CockroachDb::dispatch(Request& r, int g) {
  if (groups_[static_cast<size_t>(g)].tripped) return ctx_.flow.fail(r, Outcome::kUnavailable);  // ReplicaUnavailableError
  const int h = holder_if_usable(g);
  if (h < 0) return park(r, g);
  const NodeId to = nodes_[static_cast<size_t>(h)].id;
  if (to == r.at) return serve(r, g);
  // DistSender: one hop to the leaseholder; an unreachable one is retried after backoff.
  ctx_.flow.hop(r, to, p_.request_bytes.bytes + ctx_.flow.request_bytes(r), [this, g](Request& req) { serve(req, g); },
                [this, g](Request& req) { park(req, g); });
}

void CockroachDb::serve(Request& r, int g) {
  const int i = instance_of(r.at);
  if (i < 0 || !nodes_[static_cast<size_t>(i)].running) return park(r, g);
  if (holder_if_usable(g) != i) return dispatch(r, g);  // NotLeaseHolderError: the lease moved
  ctx_.flow.run_cpu(r, ctx_.flow.sample_cpu(r), this);
}

void CockroachDb::on_cpu_done(Request& r, bool ok) {
  if (!ok) return ctx_.flow.orphan(r);
  const int i = instance_of(r.at);
  if (!nodes_[static_cast<size_t>(i)].running) return ctx_.flow.orphan(r);
  const int g = range_of(r);
  if (holder_if_usable(g) != i) return dispatch(r, g);
  if (static_cast<DataOp>(ctx_.flow.op_slot(r)) != DataOp::kWrite) return ctx_.flow.next_step(r);  // a lease read
  Replica* l = leader_of(g);
  if (!l) return park(r, g);
  if (l->node == i) return propose_write(*l, r, g);
  // The leaseholder is not the Raft leader: the proposal is forwarded to it.
  auto d = ctx_.net.transit(r.at, nodes_[static_cast<size_t>(l->node)].id, ctx_.flow.request_bytes(r));
  if (!d) return park(r, g);
  const uint32_t gen = r.gen;
  Request* rp = &r;
  ctx_.sched.after(*d, [this, rp, gen, l, g] {
    if (!ctx_.flow.alive(*rp, gen)) return;
    if (!nodes_[static_cast<size_t>(l->node)].running || !l->raft->is_leader()) return park(*rp, g);
    propose_write(*l, *rp, g);
  });
}

void CockroachDb::propose_write(Replica& leader, Request& r, int g) {
  const uint64_t id = next_cmd_++;
  Cmd c;
  c.kind = CmdKind::kWrite;
  c.r = &r;
  c.gen = r.gen;
  c.proposer = leader.node;
  c.range = g;
  cmds_[id] = c;
  raft::RaftActions a;
  if (leader.raft->propose(ctx_.sched.now(), id, a) == 0) {
    cmds_.erase(id);
    return park(r, g);
  }
  // The leader appends to its own log while the entry goes out to the followers.
  if (Node& n = nodes_[static_cast<size_t>(leader.node)]; n.disk != nullptr)
    cmds_[id].durable_at = n.disk->submit(ctx_.sched.now(), log_append_op(p_.request_bytes.bytes));
  // A proposal that never commits (the range lost its quorum) leaves the client to its timeout.
  const double left = r.t_start + ctx_.flow.service(r.service).timeout - ctx_.sched.now();
  ctx_.sched.after(std::max(0.0, left), [this, id] {
    auto it = cmds_.find(id);
    if (it == cmds_.end()) return;
    Cmd cmd = it->second;
    cmds_.erase(it);
    if (ctx_.flow.alive(*cmd.r, cmd.gen)) ctx_.flow.lose(*cmd.r);
  });
  apply(leader, std::move(a));
}

void CockroachDb::park(Request& r, int g) {
  const double left = r.t_start + ctx_.flow.service(r.service).timeout - ctx_.sched.now();
  if (left <= 0) return ctx_.flow.lose(r);
  Group& G = groups_[static_cast<size_t>(g)];
  if (G.tripped) return ctx_.flow.fail(r, Outcome::kUnavailable);
  const uint64_t pid = next_park_++;
  parked_[pid] = {&r, r.gen, g};
  G.parked.push_back(pid);
  ctx_.sched.after(left, [this, pid] {
    auto it = parked_.find(pid);
    if (it == parked_.end()) return;
    Parked p = it->second;
    parked_.erase(it);
    if (ctx_.flow.alive(*p.r, p.gen)) ctx_.flow.lose(*p.r);  // the client's timeout
  });
  // A request at a replica without a lease makes it ask for one (redirectOnOrAcquireLease).
  if (Replica* l = leader_of(g); l && ctx_.sched.now() >= G.acquiring_until) try_acquire(g, *l);
}

void CockroachDb::release(int g) {
  std::vector<uint64_t> ids = std::move(groups_[static_cast<size_t>(g)].parked);
  groups_[static_cast<size_t>(g)].parked.clear();
  for (uint64_t pid : ids) {
    auto it = parked_.find(pid);
    if (it == parked_.end()) continue;
    Parked p = it->second;
    parked_.erase(it);
    if (!ctx_.flow.alive(*p.r, p.gen)) continue;
    if (!ctx_.platform.is_up(p.r->at)) {
      ctx_.flow.lose(*p.r);
      continue;
    }
    dispatch(*p.r, g);
  }
}

// ---------------------------------------------------------------- roles, params

std::optional<NodeId> CockroachDb::resolve_role(const std::string& role) const {
  switch (cockroachdb_roles().at(role)) {
    case CockroachDbRole::kLeaseholder: {
      // The holder of the first user range's lease, if usable.
      const int h = holder_if_usable(0);
      if (h >= 0) return nodes_[static_cast<size_t>(h)].id;
      break;
    }
    case CockroachDbRole::kLivenessLeader:
      for (const auto& rep : groups_[static_cast<size_t>(logic_.liveness_group())].reps)
        if (nodes_[static_cast<size_t>(rep->node)].running && rep->raft->is_leader()) return nodes_[static_cast<size_t>(rep->node)].id;
      break;
  }
  return std::nullopt;
}

bool CockroachDb::accepts(NodeId n) const {
  const int i = instance_of(n);
  return i >= 0 && nodes_[static_cast<size_t>(i)].running;
}

nlohmann::json CockroachDb::resolved_params() const { return cockroachdb_params().resolved(p_); }

}  // namespace mailsim::models
