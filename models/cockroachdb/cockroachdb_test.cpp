// CrdbLogic: placement, key -> range, node liveness and epoch-based leases, without SimGrid.
#include <gtest/gtest.h>

#include <set>

#include "models/cockroachdb/cockroachdb_logic.hpp"
#include "models/cockroachdb/crdb_log_truncation.hpp"

namespace mailsim::models {
namespace {

constexpr double kTtl = 9;

TEST(CrdbLogic, PlacesReplicasRoundRobinOnDistinctNodesAndSpreadsLeases) {
  CrdbLogic l(5, 10, 3, kTtl);
  std::vector<int> leases(5, 0);
  for (int g = 0; g < l.ranges(); ++g) {
    const auto& r = l.replicas(g);
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(std::set<int>(r.begin(), r.end()).size(), 3u) << "range " << g;
    EXPECT_EQ(r[0], g % 5);
    EXPECT_EQ(l.lease(g).holder, r[0]);
    ++leases[static_cast<size_t>(r[0])];
  }
  for (int n : leases) EXPECT_EQ(n, 2);
  EXPECT_EQ(l.replicas(l.liveness_group()), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(l.replica_index(1, 3), 2);
  EXPECT_EQ(l.replica_index(1, 0), -1);
  EXPECT_EQ(l.quorum(), 2);
}

TEST(CrdbLogic, KeysSpreadOverEveryRange) {
  CrdbLogic l(3, 9, 3, kTtl);
  std::vector<int> hits(9, 0);
  for (uint64_t k = 0; k < 9000; ++k) ++hits[static_cast<size_t>(l.range_of(k))];
  for (int h : hits) {
    EXPECT_GT(h, 800);
    EXPECT_LT(h, 1200);
  }
}

TEST(CrdbLogic, LeaseStaysValidWhileTheHolderHeartbeatsAndLapsesWithItsRecord) {
  CrdbLogic l(3, 3, 3, kTtl);
  EXPECT_TRUE(l.lease_valid(0, 8.9));
  EXPECT_FALSE(l.lease_valid(0, 9.0));  // steady state: everyone heartbeated at 0
  l.heartbeat(0, 4.5, false);
  EXPECT_TRUE(l.lease_valid(0, 13.4));
  EXPECT_FALSE(l.lease_valid(0, 13.5));
  EXPECT_EQ(l.record(0).epoch, 1u);
  // A late heartbeat never moves the expiration back.
  l.heartbeat(0, 1.0, false);
  EXPECT_DOUBLE_EQ(l.record(0).expiration, 13.5);
}

TEST(CrdbLogic, AnotherReplicaTakesTheLeaseOnlyAfterExpiryAndAnEpochIncrement) {
  CrdbLogic l(3, 3, 3, kTtl);
  l.heartbeat(1, 5, false);  // node 1 stays live until 14
  // Node 0 (holder of range 0) stops heartbeating: its record expires at 9.
  EXPECT_FALSE(l.can_acquire(0, 1, 8.0));
  EXPECT_EQ(l.needs_epoch_increment(0, 8.0), -1);
  EXPECT_FALSE(l.increment_epoch(0, 8.0));  // still live: ConditionFailed
  EXPECT_EQ(l.needs_epoch_increment(0, 9.5), 0);
  EXPECT_FALSE(l.can_acquire(0, 1, 9.5)) << "the holder's epoch must be incremented first";
  EXPECT_TRUE(l.increment_epoch(0, 9.5));
  EXPECT_EQ(l.record(0).epoch, 2u);
  EXPECT_EQ(l.needs_epoch_increment(0, 9.5), -1);
  EXPECT_TRUE(l.can_acquire(0, 1, 9.6));
  EXPECT_FALSE(l.can_acquire(0, 2, 9.6)) << "node 2's own record expired at 9";
  EXPECT_TRUE(l.acquire(0, 1, 9.6));
  EXPECT_EQ(l.lease(0).holder, 1);
  EXPECT_TRUE(l.lease_valid(0, 9.6));
  EXPECT_FALSE(l.acquire(0, 2, 9.7));  // valid lease: rejected below Raft
  // Node 0 returns: its first heartbeat bumps its own epoch; range 0 stays with node 1.
  l.heartbeat(0, 30, true);
  EXPECT_EQ(l.record(0).epoch, 3u);
  EXPECT_TRUE(l.is_live(0, 30));
  EXPECT_EQ(l.lease(0).holder, 1);
}

TEST(CrdbLogic, HolderWhoseRecordLapsedWithoutIncrementGetsItsLeaseBackByHeartbeating) {
  CrdbLogic l(3, 3, 3, kTtl);
  EXPECT_FALSE(l.lease_valid(1, 10));
  l.heartbeat(1, 10, false);  // same epoch: the old lease is valid again, nobody took it
  EXPECT_TRUE(l.lease_valid(1, 10.1));
  EXPECT_EQ(l.lease(1).holder, 1);
}

TEST(CrdbLogic, RestartedHolderCannotReuseALeaseOfItsOldEpoch) {
  CrdbLogic l(3, 3, 3, kTtl);
  l.heartbeat(2, 20, true);  // node 2 restarted (epoch 2) before anyone touched range 2
  EXPECT_FALSE(l.lease_valid(2, 20.5));
  EXPECT_TRUE(l.can_acquire(2, 2, 20.5));
  EXPECT_TRUE(l.acquire(2, 2, 20.5));
  EXPECT_EQ(l.lease(2).epoch, 2u);
}

}  // namespace
}  // namespace mailsim::models

// The raft log queue's decision (raft_log_queue.go computeTruncateDecision, ShouldTruncate).
namespace mailsim::models::crdb {
namespace {

TruncationInput log_of(uint64_t first, uint64_t last, uint64_t commit, double bytes_per_entry = 256) {
  TruncationInput in;
  in.first_index = first;
  in.last_index = last;
  in.commit = commit;
  in.log_bytes = static_cast<double>(last + 1 - first) * bytes_per_entry;
  in.max_log_bytes = 16.0 * 1024 * 1024;
  return in;
}

TEST(CrdbLogTruncation, TruncatesToWhatEveryFollowerHasOnceAHundredEntriesAreStale) {
  auto in = log_of(1, 150, 150);
  in.followers = {{150, true}, {120, true}};
  EXPECT_EQ(truncate_up_to(in), 120u) << "the slowest active follower's match";
  in.followers = {{150, true}, {60, true}};
  in.log_bytes = 1000;  // small log: fewer than 100 stale entries is not worth a truncation
  EXPECT_EQ(truncate_up_to(in), 0u);
}

TEST(CrdbLogTruncation, NeverPastTheCommitIndex) {
  auto in = log_of(1, 400, 250);
  in.followers = {{400, true}, {400, true}};
  EXPECT_EQ(truncate_up_to(in), 250u);
}

TEST(CrdbLogTruncation, AnInactiveFollowerIsCutOffOnlyWhenTheLogIsTooLarge) {
  auto in = log_of(1, 1000, 1000);
  in.followers = {{1000, true}, {10, false}};
  EXPECT_EQ(truncate_up_to(in), 10u) << "no further than the follower that went away while the log is small";
  in.log_bytes = 17.0 * 1024 * 1024;
  EXPECT_EQ(truncate_up_to(in), 999u) << "past raft_log_truncation_threshold: to the commit index, the last entry kept";
  in.followers = {{1000, true}, {10, true}};
  EXPECT_EQ(truncate_up_to(in), 10u) << "a recently active follower is never cut off, however large the log";
}

TEST(CrdbLogTruncation, AnyStaleEntryOnceTheLogHoldsSixtyFourKiB) {
  auto in = log_of(1, 300, 300, 256);  // 75 KiB
  in.followers = {{50, true}, {300, true}};
  EXPECT_EQ(truncate_up_to(in), 50u);
}

}  // namespace
}  // namespace mailsim::models::crdb
