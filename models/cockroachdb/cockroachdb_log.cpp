// The range logs of the cockroachdb model: truncation by the raft log queue's rule, and
// what the durability ledger counts at the end (models/cockroachdb/cockroachdb.hpp).
#include <algorithm>

#include "models/cockroachdb/cockroachdb.hpp"
#include "models/cockroachdb/crdb_log_truncation.hpp"

namespace mailsim::models {

void CockroachDb::after_commit(Replica& rep) {
  Group& G = groups_[static_cast<size_t>(rep.group)];
  // Each replica truncates once it has applied the TruncateLog entry (its commit index covers
  // it; CockroachDB's loosely coupled truncation waits for the applied index to be durable).
  if (G.truncate_to > 0 && rep.raft->commit_index() >= G.truncate_entry) rep.raft->compact(G.truncate_to);
  if (!rep.raft->is_leader()) return;
  // Writes every replica has committed are on every replica's disk (log or snapshot): keep
  // only their count, so the ledger's memory does not grow with the run.
  uint64_t everywhere = rep.raft->commit_index();
  for (const auto& r : G.reps) everywhere = std::min(everywhere, r->raft->commit_index());
  while (G.acked_head < G.acked.size() && G.acked[G.acked_head].index <= everywhere) {
    const AckedWrite& w = G.acked[G.acked_head++];
    WriteWindow& win = G.on_every_replica[w.service];
    if (win.n++ == 0) win.first = w.t;
    win.last = w.t;
  }
  if (G.acked_head > 1024 && G.acked_head * 2 > G.acked.size()) {  // amortised O(1) per write
    G.acked.erase(G.acked.begin(), G.acked.begin() + static_cast<std::ptrdiff_t>(G.acked_head));
    G.acked_head = 0;
  }
  maybe_truncate(rep);
}

// pkg/kv/kvserver/raft_log_queue.go: the leader truncates the range's log to what its
// followers have (or, once the log is too large, to the quorum's commit index), by proposing
// a TruncateLog command through the range's Raft group. One at a time.
void CockroachDb::maybe_truncate(Replica& leader) {
  Group& G = groups_[static_cast<size_t>(leader.group)];
  const raft::RaftLogic& raft = *leader.raft;
  if (G.truncation_entry > raft.commit_index()) return;  // the last one is not applied yet
  // Cheap test first (this runs after every commit): fewer than 100 entries in a log under
  // 64 KiB can never be worth a truncation.
  const auto entries = raft.last_index() + 1 - raft.first_index();
  if (entries < crdb::kRaftLogQueueStaleThreshold &&
      static_cast<double>(entries) * p_.request_bytes.bytes < crdb::kRaftLogQueueStaleSize)
    return;
  crdb::TruncationInput in;
  in.first_index = raft.first_index();
  in.last_index = raft.last_index();
  in.commit = raft.commit_index();
  in.log_bytes = static_cast<double>(entries) * p_.request_bytes.bytes;
  in.max_log_bytes = p_.raft_log_truncation_threshold.bytes;
  for (const auto& r : G.reps)
    if (r.get() != &leader) in.followers.push_back({raft.match(r->rid), raft.recently_active(r->rid)});
  const uint64_t up_to = crdb::truncate_up_to(in);
  if (up_to == 0) return;
  Cmd c;
  c.kind = CmdKind::kTruncateLog;
  c.range = leader.group;
  c.up_to = up_to;
  raft::RaftActions a;
  const uint64_t index = propose_cmd(leader, c, a);
  if (index == 0) return;
  G.truncation_entry = index;
  apply(leader, std::move(a));
}

uint64_t CockroachDb::propose_cmd(Replica& leader, const Cmd& c, raft::RaftActions& a) {
  const uint64_t id = next_cmd_++;
  cmds_[id] = c;
  const uint64_t index = leader.raft->propose(ctx_.sched.now(), id, a);
  if (index == 0) cmds_.erase(id);
  return index;
}

// A copy survives on a replica whose node is up at the end and that holds the committed
// entry, in its log at that index with that term (Raft's Log Matching: then it holds the same
// entry) or in its snapshot. A crashed node's log is on its disk, but a node that never came
// back holds no copy anyone can read.
void CockroachDb::count_surviving_copies() {
  for (const auto& G : groups_) {
    std::vector<const Replica*> up;
    for (const auto& rep : G.reps)
      if (ctx_.platform.is_up(nodes_[static_cast<size_t>(rep->node)].id)) up.push_back(rep.get());
    if (up.empty())
      for (const auto& [service, w] : G.on_every_replica) ctx_.ledger.lost(ledger_store_, service, w.first, w.last, w.n);
    for (size_t i = G.acked_head; i < G.acked.size(); ++i) {
      const AckedWrite& w = G.acked[i];
      const bool kept = std::any_of(up.begin(), up.end(), [&](const Replica* r) { return r->raft->holds_committed(w.index, w.term); });
      if (!kept) ctx_.ledger.lost(ledger_store_, w.service, w.t);
    }
  }
}

}  // namespace mailsim::models
