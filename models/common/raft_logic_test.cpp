// RaftLogic in a tiny discrete-event harness (no SimGrid): fixed 1 ms message latency,
// crashes and cuts, timers with generations, as the etcd shell drives it.
#include "models/common/raft_logic.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <queue>

#include "core/rng.hpp"
#include "models/etcd/etcd_params.hpp"

namespace mailsim::models::raft {
namespace {

constexpr double kLatency = 0.001;

// etcd's Raft timing from its params table (heartbeat 100 ms, election timeout 1 s,
// pre-vote, check-quorum) for member `id` of `peers`.
RaftConfig etcd_defaults(int id, int peers) { return etcd_raft_config(etcd_params().defaults(), id, peers); }

struct Harness {
  struct Ev {
    double t;
    uint64_t seq;
    int node;
    bool is_timer;
    TimerKind kind;
    uint64_t gen;
    Message msg;
    bool operator>(const Ev& o) const { return t != o.t ? t > o.t : seq > o.seq; }
  };
  std::vector<std::unique_ptr<RaftLogic>> nodes;
  std::vector<core::RngStream> rngs;
  std::vector<char> up;
  std::vector<std::array<uint64_t, 2>> gens;
  std::vector<std::vector<char>> cut;  // cut[a][b]: a cannot reach b
  std::priority_queue<Ev, std::vector<Ev>, std::greater<>> q;
  uint64_t seq = 0;
  double now = 0;
  std::map<uint64_t, std::vector<int>> leaders_by_term;  // term -> nodes that led in it
  std::vector<std::vector<Committed>> committed;
  std::vector<uint64_t> ready, failed;

  explicit Harness(int n, uint64_t seed = 1, bool pre_vote = true, double snapshot_stream_time = 0) {
    rngs.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      rngs.emplace_back(seed, "raft" + std::to_string(i));
      core::RngStream* r = &rngs.back();
      RaftConfig c = etcd_defaults(i, n);
      c.pre_vote = pre_vote;
      c.snapshot_stream_time = snapshot_stream_time;
      nodes.push_back(std::make_unique<RaftLogic>(c, [r] { return r->uniform(); }));
    }
    up.assign(static_cast<size_t>(n), 1);
    gens.assign(static_cast<size_t>(n), {0, 0});
    cut.assign(static_cast<size_t>(n), std::vector<char>(static_cast<size_t>(n), 0));
    committed.resize(static_cast<size_t>(n));
  }
  void apply(int i, RaftActions a) {
    auto& node = *nodes[static_cast<size_t>(i)];
    for (auto& t : a.timers) {
      auto& g = gens[static_cast<size_t>(i)][static_cast<size_t>(t.kind)];
      ++g;
      if (t.delay >= 0) q.push({now + t.delay, seq++, i, true, t.kind, g, {}});
    }
    for (auto& m : a.send)
      if (!cut[static_cast<size_t>(i)][static_cast<size_t>(m.to)]) q.push({now + kLatency, seq++, m.to, false, {}, 0, m});
    for (auto& c : a.committed) committed[static_cast<size_t>(i)].push_back(c);
    for (auto id : a.reads_ready) ready.push_back(id);
    for (auto id : a.reads_failed) failed.push_back(id);
    if (a.state_changed && node.is_leader()) {
      auto& v = leaders_by_term[node.term()];
      if (std::find(v.begin(), v.end(), i) == v.end()) v.push_back(i);
    }
  }
  void start(int leader) {
    for (int i = 0; i < static_cast<int>(nodes.size()); ++i) apply(i, nodes[static_cast<size_t>(i)]->start(now, leader));
  }
  void run_until(double t) {
    while (!q.empty() && q.top().t <= t) {
      Ev e = q.top();
      q.pop();
      now = e.t;
      const auto n = static_cast<size_t>(e.node);
      if (!up[n]) continue;
      if (e.is_timer) {
        if (gens[n][static_cast<size_t>(e.kind)] != e.gen) continue;
        apply(e.node, nodes[n]->on_timer(now, e.kind));
      } else {
        apply(e.node, nodes[n]->on_message(now, e.msg));
      }
    }
    now = t;
  }
  void crash(int i) {
    up[static_cast<size_t>(i)] = 0;
    nodes[static_cast<size_t>(i)]->crash();
    gens[static_cast<size_t>(i)][0]++;
    gens[static_cast<size_t>(i)][1]++;
  }
  void restart(int i) {
    up[static_cast<size_t>(i)] = 1;
    committed[static_cast<size_t>(i)].clear();
    apply(i, nodes[static_cast<size_t>(i)]->restart(now));
  }
  void isolate(int i, bool on) {
    for (size_t j = 0; j < nodes.size(); ++j) {
      if (static_cast<int>(j) == i) continue;
      cut[static_cast<size_t>(i)][j] = on;
      cut[j][static_cast<size_t>(i)] = on;
    }
  }
  int leader() const {  // the unique live leader of the highest term, or -1
    int best = -1;
    for (size_t i = 0; i < nodes.size(); ++i)
      if (up[i] && nodes[i]->is_leader() && (best < 0 || nodes[i]->term() > nodes[static_cast<size_t>(best)]->term()))
        best = static_cast<int>(i);
    return best;
  }
  int live_leaders() const {
    int n = 0;
    for (size_t i = 0; i < nodes.size(); ++i) n += up[i] && nodes[i]->is_leader();
    return n;
  }
  uint64_t propose(int i, uint64_t data) {
    RaftActions a;
    uint64_t idx = nodes[static_cast<size_t>(i)]->propose(now, data, a);
    apply(i, std::move(a));
    return idx;
  }
  bool has_committed(int i, uint64_t data) const {
    for (const auto& c : committed[static_cast<size_t>(i)])
      if (c.entry.data == data) return true;
    return false;
  }
  void expect_single_leader_per_term() const {
    for (const auto& [term, v] : leaders_by_term) EXPECT_EQ(v.size(), 1u) << "term " << term;
  }
};

TEST(RaftLogic, ElectionTimeoutIsRandomizedInTTo2T) {
  for (double u : {0.0, 0.5, 0.999999}) {
    RaftConfig c = etcd_defaults(0, 3);
    RaftLogic r(c, [u] { return u; });
    auto a = r.start(0, -1);
    ASSERT_EQ(a.timers.size(), 1u);
    EXPECT_EQ(a.timers[0].kind, TimerKind::kElection);
    EXPECT_GE(a.timers[0].delay, c.election_timeout);
    EXPECT_LT(a.timers[0].delay, 2 * c.election_timeout);
  }
}

TEST(RaftLogic, ElectionTimeoutSpreadSetsTheWidthOfTheRandomPart) {
  // The Raft paper's Figure 16 draws the timeout in 150-151 ms (spread 1/150) as well as in
  // 150-300 ms (spread 1); spread 0 removes the randomness.
  for (double spread : {0.0, 1.0 / 150, 1.0}) {
    for (double u : {0.0, 0.5, 0.999999}) {
      RaftConfig c = etcd_defaults(0, 3);
      c.election_timeout = 0.150;
      c.election_timeout_spread = spread;
      RaftLogic r(c, [u] { return u; });
      auto a = r.start(0, -1);
      ASSERT_EQ(a.timers.size(), 1u);
      EXPECT_DOUBLE_EQ(a.timers[0].delay, 0.150 * (1 + spread * u)) << "spread " << spread << ", u " << u;
    }
  }
  EXPECT_EQ(etcd_defaults(0, 3).election_timeout_spread, 1.0);  // etcd's [T, 2T)
}

TEST(RaftLogic, ColdStartElectsOneLeaderWithinTwoElectionTimeouts) {
  Harness h(3);
  h.start(-1);
  h.run_until(1.0 - 1e-9);
  EXPECT_EQ(h.leader(), -1);  // nobody's timer can fire before T
  h.run_until(2.0 + 0.01);    // the first timer fires before 2T; pre-vote + vote take 4 hops
  ASSERT_GE(h.leader(), 0);
  EXPECT_EQ(h.live_leaders(), 1);
  EXPECT_EQ(h.nodes[static_cast<size_t>(h.leader())]->term(), 1u);  // pre-vote: no term inflation
  h.run_until(30);
  EXPECT_EQ(h.live_leaders(), 1);
  h.expect_single_leader_per_term();
}

TEST(RaftLogic, MajorityCommitsAndMinorityDoesNot) {
  Harness h(3);
  h.start(0);
  h.run_until(0.5);
  ASSERT_EQ(h.leader(), 0);
  EXPECT_GT(h.propose(0, 42), 0u);
  h.run_until(0.51);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(h.has_committed(i, 42) || i != 0) << i;
  EXPECT_TRUE(h.has_committed(0, 42));
  EXPECT_EQ(h.propose(1, 43), 0u);  // followers do not accept proposals
  // The leader alone: its new entry cannot commit.
  h.isolate(0, true);
  EXPECT_GT(h.propose(0, 44), 0u);
  h.run_until(0.9);
  EXPECT_FALSE(h.has_committed(0, 44));
}

TEST(RaftLogic, LeaderCrashElectsNewLeaderAndOldOneRejoinsAsFollower) {
  Harness h(3, 7);
  h.start(0);
  h.run_until(1.0);
  h.propose(0, 1);
  h.run_until(1.05);
  h.crash(0);
  // Followers heard the last heartbeat within 100 ms before the crash; their randomized
  // timeouts fire in [T, 2T) after it, then pre-vote and vote take four 1 ms hops.
  h.run_until(1.05 + 0.9);
  EXPECT_EQ(h.leader(), -1);
  h.run_until(1.05 + 2.0 + 0.01);
  int l = h.leader();
  ASSERT_TRUE(l == 1 || l == 2);
  EXPECT_EQ(h.nodes[static_cast<size_t>(l)]->term(), 2u);
  h.propose(l, 2);
  h.run_until(3.5);
  EXPECT_TRUE(h.has_committed(l, 1));  // committed before the crash: kept (Raft 5.4)
  EXPECT_TRUE(h.has_committed(l, 2));
  h.restart(0);
  h.run_until(10);
  EXPECT_EQ(h.leader(), l);  // the returning node does not disrupt the leader
  EXPECT_FALSE(h.nodes[0]->is_leader());
  EXPECT_TRUE(h.has_committed(0, 1));
  EXPECT_TRUE(h.has_committed(0, 2));
  h.expect_single_leader_per_term();
}

TEST(RaftLogic, CheckQuorumMakesAnIsolatedLeaderStepDown) {
  Harness h(3, 3);
  h.start(0);
  h.run_until(0.95);
  h.isolate(0, true);
  // The leader's check-quorum period is T; it saw both followers in the period ending at
  // t = 1, so it steps down at the end of the next one, at t = 2.
  h.run_until(1.99);
  EXPECT_TRUE(h.nodes[0]->is_leader());
  h.run_until(2.01);
  EXPECT_FALSE(h.nodes[0]->is_leader());
  // The followers heard the leader last at 0.95 s: their timers fire in [1.95, 2.95).
  h.run_until(2.95 + 0.01);
  EXPECT_GE(h.leader(), 1);
  h.run_until(20);
  // Pre-vote: the isolated node kept failing pre-votes and never raised its term.
  EXPECT_EQ(h.nodes[0]->term(), 1u);
  h.isolate(0, false);
  int l = h.leader();
  uint64_t term = h.nodes[static_cast<size_t>(l)]->term();
  h.run_until(30);
  EXPECT_EQ(h.leader(), l);
  EXPECT_EQ(h.nodes[static_cast<size_t>(l)]->term(), term);
  h.expect_single_leader_per_term();
}

TEST(RaftLogic, WithoutPreVoteAnIsolatedFollowerInflatesItsTerm) {
  Harness h(3, 3, false);
  h.start(0);
  h.run_until(0.5);
  h.isolate(2, true);
  h.run_until(10);
  EXPECT_GT(h.nodes[2]->term(), 3u);  // each timeout starts a real election
}

TEST(RaftLogic, ReadIndexNeedsAQuorumAndFailsOnStepDown) {
  Harness h(3);
  h.start(0);
  h.run_until(0.5);
  RaftActions a;
  ASSERT_TRUE(h.nodes[0]->read_index(h.now, 7, a));
  h.apply(0, std::move(a));
  h.run_until(0.51);
  ASSERT_EQ(h.ready.size(), 1u);
  EXPECT_EQ(h.ready[0], 7u);
  h.isolate(0, true);
  RaftActions b;
  ASSERT_TRUE(h.nodes[0]->read_index(h.now, 8, b));
  h.apply(0, std::move(b));
  h.run_until(3);
  EXPECT_EQ(h.ready.size(), 1u);
  ASSERT_EQ(h.failed.size(), 1u);
  EXPECT_EQ(h.failed[0], 8u);
  RaftActions c;
  EXPECT_FALSE(h.nodes[0]->read_index(h.now, 9, c));  // no longer leader
}


TEST(RaftLogic, LeadershipTransferHandsOverInAFewHopsWithoutAnElectionTimeout) {
  Harness h(3, 7);
  h.start(0);
  h.run_until(1.0);
  h.propose(0, 1);
  h.run_until(1.05);
  h.apply(0, h.nodes[0]->transfer_leadership(h.now, 2));
  EXPECT_EQ(h.propose(0, 2), 0u) << "proposals are dropped while leadership is handed over";
  // MsgTimeoutNow (the transferee's log is current), then a vote round: three hops.
  h.run_until(1.05 + 3 * kLatency + 1e-9);
  EXPECT_EQ(h.leader(), 2);
  EXPECT_EQ(h.nodes[2]->term(), 2u);
  EXPECT_FALSE(h.nodes[0]->is_leader());
  h.run_until(1.5);
  EXPECT_TRUE(h.has_committed(2, 1)) << "nothing committed is lost";
  h.expect_single_leader_per_term();
}

TEST(RaftLogic, ATransferWaitsForTheTransfereeToCatchUp) {
  Harness h(3, 7);
  h.start(0);
  h.run_until(1.0);
  h.isolate(2, true);
  h.propose(0, 1);  // etcd-2 misses it
  h.run_until(1.05);
  h.isolate(2, false);
  h.apply(0, h.nodes[0]->transfer_leadership(h.now, 2));
  // An append to catch up, its answer, then MsgTimeoutNow and the vote round.
  h.run_until(1.05 + 3 * kLatency + 1e-9);
  EXPECT_EQ(h.leader(), 0) << "no TimeoutNow before the transferee holds the leader's log";
  h.run_until(1.05 + 5 * kLatency + 1e-9);
  EXPECT_EQ(h.leader(), 2);
  EXPECT_TRUE(h.has_committed(2, 1));
}

TEST(RaftLogic, ATransferNotDoneWithinAnElectionTimeoutIsAborted) {
  Harness h(3, 7);
  h.start(0);
  h.run_until(1.0);
  h.isolate(2, true);
  h.apply(0, h.nodes[0]->transfer_leadership(h.now, 2));
  EXPECT_EQ(h.nodes[0]->transferee(), 2);
  h.run_until(1.0 + 2 * h.nodes[0]->config().election_timeout);
  EXPECT_EQ(h.leader(), 0);
  EXPECT_EQ(h.nodes[0]->transferee(), -1);
  EXPECT_GT(h.propose(0, 3), 0u) << "proposals are taken again";
}

// Compaction (Raft 7): a log compacted up to the commit index keeps the entries after it,
// and the cluster goes on committing; a node that restarts re-reports only what is not in
// its snapshot.
TEST(RaftLogic, CompactionDropsCommittedEntriesAndTheClusterGoesOn) {
  Harness h(3);
  h.start(0);
  h.run_until(0.5);
  for (uint64_t d = 1; d <= 50; ++d) h.propose(0, d);
  h.run_until(0.75);  // followers learn the commit index with the next heartbeat
  auto& leader = *h.nodes[0];
  ASSERT_EQ(leader.commit_index(), 51u);  // the leader's empty entry + 50
  leader.compact(1000);                    // clamped to the commit index
  EXPECT_EQ(leader.first_index(), 52u);
  EXPECT_EQ(leader.last_index(), 51u);
  EXPECT_TRUE(leader.holds_committed(10, 1));
  for (int i = 1; i < 3; ++i) h.nodes[static_cast<size_t>(i)]->compact(40);
  EXPECT_EQ(h.nodes[1]->first_index(), 41u);
  EXPECT_EQ(h.nodes[1]->entry(45).data, 44u);
  h.propose(0, 100);
  h.run_until(0.95);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(h.has_committed(i, 100)) << i;
  h.crash(1);
  h.restart(1);
  ASSERT_FALSE(h.committed[1].empty());
  EXPECT_EQ(h.committed[1].front().index, 41u) << "entries up to 40 are in the snapshot";
}

// A follower that was down while the leader compacted past its log gets a snapshot, then
// appends (etcd-io/raft MsgSnap); the snapshot is on the wire with its size, once.
TEST(RaftLogic, AFollowerBehindTheCompactedLogCatchesUpFromASnapshot) {
  Harness h(3, 3);
  h.start(0);
  h.run_until(0.5);
  h.crash(2);
  for (uint64_t d = 1; d <= 200; ++d) h.propose(0, d);
  h.run_until(1.0);
  ASSERT_EQ(h.nodes[0]->commit_index(), 201u);
  h.nodes[0]->compact(150);
  h.nodes[1]->compact(150);
  EXPECT_EQ(h.nodes[2]->last_index(), 1u);
  h.restart(2);
  h.run_until(3.0);
  EXPECT_EQ(h.leader(), 0) << "the returning follower does not disrupt the leader";
  EXPECT_EQ(h.nodes[2]->first_index(), 151u) << "its log starts after the snapshot";
  EXPECT_EQ(h.nodes[2]->last_index(), 201u);
  EXPECT_EQ(h.nodes[2]->commit_index(), 201u);
  EXPECT_TRUE(h.nodes[2]->holds_committed(100, 1));
  EXPECT_TRUE(h.has_committed(2, 200)) << "entries after the snapshot arrive by append";
  EXPECT_FALSE(h.has_committed(2, 100)) << "entries in the snapshot are not re-applied one by one";
  h.propose(0, 300);
  h.run_until(3.3);
  EXPECT_TRUE(h.has_committed(2, 300));
  h.expect_single_leader_per_term();
}

// While a snapshot is in flight, heartbeats do not send it again (etcd-io/raft pauses a
// follower in StateSnapshot): a follower that stays down gets one snapshot per election
// timeout, not one per heartbeat.
// The snapshots the leader sends a follower that stays down, over 50 heartbeats (5 s).
int snapshots_to_a_down_follower(double snapshot_stream_time) {
  Harness h(3, 1, true, snapshot_stream_time);
  h.start(0);
  h.run_until(0.5);
  h.crash(2);
  for (uint64_t d = 1; d <= 20; ++d) h.propose(0, d);
  h.run_until(0.6);
  h.nodes[0]->compact(21);
  int snapshots = 0;
  for (double t = 0.6; t < 5.6; t += 0.1) {
    RaftActions a = h.nodes[0]->on_timer(t, TimerKind::kHeartbeat);
    for (const auto& m : a.send)
      if (m.to == 2 && m.type == MsgType::kSnapshot) {
        ++snapshots;
        EXPECT_GT(m.bytes(), 0.0);
      }
  }
  return snapshots;
}

TEST(RaftLogic, ASnapshotIsNotResentEveryHeartbeat) {
  // 50 heartbeats over 5 s with a 1 s election timeout: at most one snapshot per 11 rounds.
  const int snapshots = snapshots_to_a_down_follower(0);
  EXPECT_GE(snapshots, 4);
  EXPECT_LE(snapshots, 5);
}

// A snapshot the host streams for a while (CockroachDB's rate limit) keeps the follower paused
// for that time too, so it is not sent again while it still streams.
TEST(RaftLogic, ASnapshotIsNotResentWhileItStreams) {
  // Streamed for 1 s, 1 s election timeout: one snapshot per 21 rounds of 100 ms.
  const int snapshots = snapshots_to_a_down_follower(1.0);
  EXPECT_GE(snapshots, 2);
  EXPECT_LE(snapshots, 3);
}

}  // namespace
}  // namespace mailsim::models::raft
