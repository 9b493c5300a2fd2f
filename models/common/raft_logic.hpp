#pragma once
// Raft consensus as a state machine, without SimGrid: events in (a message arrived, a timer
// fired, a proposal, a linearizable read), actions out (messages to send, timers to arm,
// committed entries, confirmed reads). Shared by the etcd model and any other Raft-based
// model (CockroachDB ranges); the host shell owns transport, timers and the meaning of
// entries (an opaque 64-bit handle per entry).
//
// Follows etcd-io/raft (raft.go) where it matters for failure timing:
//  - randomized election timeout drawn anew in [T, T(1 + spread)) each time it is reset
//    (resetRandomizedElectionTimeout: spread = 1, i.e. [T, 2T), in etcd-io/raft);
//  - pre-vote (Raft thesis 9.6): a node asks for votes in term+1 without raising its own
//    term, so a node cut off from the majority cannot disrupt the cluster when it returns;
//  - check-quorum: a leader that has not heard from a majority within one election timeout
//    steps down; followers that heard a leader within an election timeout ignore (pre-)vote
//    requests (the "in lease" rule);
//  - a new leader appends an empty entry of its term; entries of earlier terms commit only
//    with it (Raft 5.4.2). Hosts treat its commit as "leader ready" (etcd promotes its lessor
//    there);
//  - ReadIndex: a read is confirmed once a majority acknowledged a heartbeat round sent after
//    it arrived;
//  - leadership transfer (Raft thesis 3.10; etcd-io/raft MsgTransferLeader): the leader stops
//    taking proposals, brings the transferee's log up to date and sends it MsgTimeoutNow; the
//    transferee campaigns at once, without pre-vote, and its vote requests override the
//    in-lease rule. A transfer not done within one election timeout is aborted.
//  - log compaction and snapshots (Raft 7; etcd-io/raft MemoryStorage.Compact, MsgSnap): the
//    host compacts a node's log up to an applied index (when is the host's policy: etcd's
//    snapshot-count, CockroachDB's raft log queue); a leader whose follower needs a compacted
//    entry sends it a snapshot instead, and the follower drops its log and continues from the
//    snapshot's index. The snapshot stands for the state machine: hosts whose state is shared
//    per group (cockroachdb) need nothing from it.
// Persistent state (term, vote, log, commit, snapshot) survives restart(); everything else is
// volatile.
#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

namespace mailsim::models::raft {

enum class Role : uint8_t { kFollower, kPreCandidate, kCandidate, kLeader };
const char* role_name(Role r);

enum class MsgType : uint8_t { kPreVote, kPreVoteResp, kVote, kVoteResp, kAppend, kAppendResp, kTimeoutNow, kSnapshot };

struct Entry {
  uint64_t term = 0;
  uint64_t data = 0;  // opaque handle of the host's command; 0 = the leader's empty entry
};

struct Message {
  MsgType type = MsgType::kAppend;
  int from = -1;
  int to = -1;
  uint64_t term = 0;
  uint64_t log_index = 0;  // votes: candidate's last index; append: index before `entries`; snapshot: its last index
  uint64_t log_term = 0;   // term at log_index
  std::vector<Entry> entries;
  uint64_t commit = 0;
  bool reject = false;
  uint64_t match = 0;   // append response: last index known to match (or a hint on reject)
  uint64_t round = 0;   // append: the leader's heartbeat round, echoed back (ReadIndex)
  bool transfer = false;  // vote: a campaign started by MsgTimeoutNow (etcd-io/raft campaignTransfer)
  double snapshot_bytes = 0;  // snapshot: the state machine it carries (RaftConfig::snapshot_bytes)
  double bytes() const { return 64.0 + 48.0 * static_cast<double>(entries.size()) + snapshot_bytes; }
};

enum class TimerKind : uint8_t { kElection, kHeartbeat };
struct TimerArm {
  TimerKind kind;
  double delay;  // < 0: cancel
};

// The timing and options come from the host model's params (etcd_raft_config,
// cockroachdb_raft_config); the defaults live only in those tables.
struct RaftConfig {
  int id = 0;
  int peers = 1;                // cluster size, ids 0..peers-1
  double heartbeat_interval{};  // seconds
  double election_timeout{};    // seconds (T: the shortest randomized election timeout)
  double election_timeout_spread{};  // the timeout is drawn in [T, T x (1 + spread)); 1 in etcd-io/raft
  bool pre_vote{};
  bool check_quorum{};
  size_t max_entries_per_msg = 64;  // mailsim: a bound on one append's batch, not a tunable
  double snapshot_bytes = 0;        // the size of a snapshot on the wire (the host's state)
  // How long the host takes to stream one snapshot (CockroachDB's rate limit; 0: one message).
  // A follower's progress stays paused that long plus one election timeout before a resend.
  double snapshot_stream_time = 0;
};

struct Committed {
  uint64_t index;
  Entry entry;
};

struct RaftActions {
  std::vector<Message> send;
  std::vector<TimerArm> timers;
  bool state_changed = false;          // role, term or leader changed
  std::vector<Committed> committed;    // newly committed, in log order
  std::vector<uint64_t> reads_ready;   // ReadIndex ids confirmed by a quorum
  std::vector<uint64_t> reads_failed;  // ReadIndex ids dropped: this node stopped leading
  uint64_t snapshot_installed = 0;     // a follower: its log now starts after this index
};

class RaftLogic {
 public:
  // uniform01: the host's seeded stream, [0, 1); draws only when an election timer is reset.
  RaftLogic(RaftConfig cfg, std::function<double()> uniform01);

  // First boot. leader >= 0 starts the cluster in steady state: everyone in term 1 with that
  // leader (the host's choice, like a VRRP master at t = 0); -1 starts with an election.
  RaftActions start(double now, int leader);
  // The process died: volatile state is lost. restart() boots again from the persistent state
  // and re-reports every committed entry (the host rebuilds its state machine from them).
  void crash();
  RaftActions restart(double now);

  RaftActions on_message(double now, const Message& m);
  RaftActions on_timer(double now, TimerKind kind);
  // Leader only: appends an entry; returns its index, 0 when not leader (the host answers
  // "not leader" or forwards).
  uint64_t propose(double now, uint64_t data, RaftActions& out);
  // Leader only: a linearizable read; false when not leader.
  bool read_index(double now, uint64_t id, RaftActions& out);
  // Leader only: hand leadership to `to` (a graceful stop's MoveLeader). Proposals are
  // dropped until it is done or aborted.
  RaftActions transfer_leadership(double now, int to);
  int transferee() const { return transferee_; }
  // Drops the entries up to `index` (at most the commit index): they are in the snapshot.
  void compact(uint64_t index);

  Role role() const { return role_; }
  bool is_leader() const { return role_ == Role::kLeader; }
  uint64_t term() const { return term_; }
  int leader() const { return lead_; }
  uint64_t commit_index() const { return commit_; }
  uint64_t last_index() const { return snap_index_ + log_.size(); }
  uint64_t first_index() const { return snap_index_ + 1; }  // the first entry still in the log
  // An entry still in the log: first_index() <= index <= last_index().
  const Entry& entry(uint64_t index) const { return log_[index - snap_index_ - 1]; }
  // Whether this node holds the committed entry (index, term): in its snapshot (which holds
  // only committed entries) or in its log (Log Matching: the same index and term is the same
  // entry).
  bool holds_committed(uint64_t index, uint64_t term) const {
    return index <= snap_index_ || (index <= last_index() && term_at(index) == term);
  }
  // Leader's view of a follower: its last matching index, and whether it answered within the
  // last election timeout (check-quorum's recent activity).
  uint64_t match(int peer) const { return match_[static_cast<size_t>(peer)]; }
  bool recently_active(int peer) const { return recent_active_[static_cast<size_t>(peer)] != 0; }
  int quorum() const { return cfg_.peers / 2 + 1; }
  const RaftConfig& config() const { return cfg_; }

 private:
  // 0 for an index past the log or before the snapshot (compacted: unknown).
  uint64_t term_at(uint64_t index) const {
    if (index == snap_index_) return snap_term_;
    return index < snap_index_ || index > last_index() ? 0 : entry(index).term;
  }
  bool log_up_to_date(uint64_t index, uint64_t term) const;
  void reset_election_timer(RaftActions& out);
  void become_follower(uint64_t term, int lead, RaftActions& out);
  void become_pre_candidate(RaftActions& out);
  void become_candidate(RaftActions& out);
  void become_leader(double now, RaftActions& out);
  void campaign(double now, RaftActions& out, bool transfer = false);
  void send_timeout_now(RaftActions& out);
  void broadcast_append(RaftActions& out);
  void send_append(int to, RaftActions& out);
  void send_snapshot(int to, RaftActions& out);
  void install_snapshot(const Message& m, RaftActions& out);
  void follow(double now, int from, RaftActions& out);
  Message append_response(const Message& m) const;
  void advance_commit(uint64_t to, RaftActions& out);
  void maybe_commit(RaftActions& out);
  void maybe_release_reads(RaftActions& out);
  void fail_reads(RaftActions& out);
  int count(const std::vector<char>& v) const;

  RaftConfig cfg_;
  std::function<double()> uniform01_;
  // persistent
  uint64_t term_ = 0;
  int vote_ = -1;
  std::deque<Entry> log_;  // the entries after snap_index_
  uint64_t snap_index_ = 0, snap_term_ = 0;  // the last entry compacted into the snapshot
  uint64_t commit_ = 0;
  // volatile
  Role role_ = Role::kFollower;
  int lead_ = -1;
  double heard_leader_at_ = -1e300;
  std::vector<char> votes_, rejects_, recent_active_;
  std::vector<uint64_t> next_, match_, acked_round_;
  // Per follower: the heartbeat round a snapshot was sent in (0: none in flight). Nothing else
  // goes to it for the snapshot's stream time plus one election timeout of rounds, or until it
  // answers (etcd-io/raft StateSnapshot pauses the follower's progress), so a slow transfer is
  // not sent again.
  std::vector<uint64_t> snapshot_round_;
  uint64_t round_ = 0;
  int transferee_ = -1;  // leader: the member leadership is being handed to
  struct PendingRead {
    uint64_t id;
    uint64_t round;
  };
  std::vector<PendingRead> reads_;
};

}  // namespace mailsim::models::raft
