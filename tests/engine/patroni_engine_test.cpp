// Patroni + etcd + the back-end balancer under faults, end to end through SimGrid. Expected
// windows come from the documented mechanisms and defaults (Patroni ttl 30 s, loop_wait
// 10 s, retry_timeout 10 s; etcd election timeout T = 1 s, randomized in [T, 2T), lessor
// checks every 0.5 s; haproxy inter 3 s, rise 2 as in Patroni's haproxy example; a
// replica that keeps up with replay promotes in its end-of-recovery writes, well under a
// millisecond: PostgreSQL's fast promotion), never from constants of the model's code.
#include <gtest/gtest.h>

#include "core/units.hpp"
#include "tests/engine/run_helpers.hpp"

using mailsim::testing::events_of;

namespace {
constexpr double kTtl = 30, kLoopWait = 10, kRetryTimeout = 10;
constexpr double kLessorTick = 0.5, kPromote = 0;
constexpr double kInter = 3, kRise = 2;
constexpr double kT = 1.0, kHeartbeat = 0.1;
constexpr double kSlack = 0.1;  // LAN hops, DCS round trips

nlohmann::json run(const std::string& topology, const std::string& scenario) {
  auto in = mailsim::app::load_inputs("topologies/tutorial/" + topology + ".yaml", "scenarios/db/" + scenario + ".yaml");
  return mailsim::app::run_one(in, in.scenario.seed);
}

std::vector<nlohmann::json> failovers_of(const nlohmann::json& r, const std::string& comp) {
  std::vector<nlohmann::json> out;
  for (const auto& f : r["failovers"])
    if (f["component"] == comp) out.push_back(f);
  return out;
}

std::vector<nlohmann::json> events_for(const nlohmann::json& r, const std::string& kind, const std::string& comp) {
  std::vector<nlohmann::json> out;
  for (const auto& e : events_of(r, kind))
    if (e.value("component", "") == comp) out.push_back(e);
  return out;
}

double longest_outage_start_at_or_after(const nlohmann::json& svc, double t0, double* start) {
  double best = 0;
  for (const auto& o : svc["outages"]) {
    double s = o["start_s"].get<double>(), e = o["end_s"].get<double>();
    if (s >= t0 - kSlack && e - s > best) {
      best = e - s;
      *start = s;
    }
  }
  return best;
}
}  // namespace

TEST(PatroniEngine, LeaderCrashWriteOutageFallsInPatroniWindowPlusBalancerDetection) {
  auto r = run("pg-patroni", "patroni-leader-crash");
  const double crash = 60.5;
  auto fo = failovers_of(r, "pg");
  ASSERT_EQ(fo.size(), 1u);
  EXPECT_EQ(fo[0]["from"], "pg-1");
  EXPECT_EQ(fo[0]["to"], "pg-2");
  EXPECT_DOUBLE_EQ(fo[0]["start_s"].get<double>(), crash);
  ASSERT_TRUE(fo[0].contains("lost_commits"));
  // The leader key's lease was last refreshed at most loop_wait before the crash; the lessor
  // notices its expiry within one tick.
  double revoked = -1;
  for (const auto& e : events_for(r, "etcd.lease_revoked", "etcd"))
    for (const auto& k : e["keys"])
      if (k == "/service/pg/leader" && revoked < 0) revoked = e["t_s"].get<double>();
  ASSERT_GT(revoked, 0);
  EXPECT_GE(revoked, crash + kTtl - kLoopWait - kSlack);
  EXPECT_LE(revoked, crash + kTtl + kLessorTick + kSlack);
  // The watch wakes pg-2 at once: race, then promotion.
  const double promoted = fo[0]["end_s"].get<double>();
  EXPECT_GE(promoted, revoked + kPromote - kSlack);
  EXPECT_LE(promoted, revoked + kPromote + kSlack);
  // Writes are back once haproxy saw /primary answer 200 `rise` times.
  double start = 0;
  const double outage = longest_outage_start_at_or_after(r["services"]["smtp"], crash, &start);
  EXPECT_NEAR(start, crash, 0.2);
  EXPECT_GE(outage, kTtl - kLoopWait + kPromote + (kRise - 1) * kInter - kSlack);
  EXPECT_LE(outage, kTtl + kLessorTick + kPromote + kRise * kInter + kSlack);
  EXPECT_GE(start + outage, promoted + (kRise - 1) * kInter - kSlack);  // the balancer's own delay adds
  bool up = false;
  for (const auto& e : events_of(r, "backend.up")) up = up || (e["server"] == "pg-2" && e["t_s"].get<double>() > promoted);
  EXPECT_TRUE(up);
  // pg-1 returns at 150.5 s and rejoins as a replica (pg_rewind): no second failover.
  EXPECT_EQ(events_for(r, "pg.promoted", "pg").size(), 1u);
  EXPECT_EQ(r["checks"]["single_writable_primary"]["violations"], 0);
  EXPECT_EQ(r["checks"]["raft_single_leader_per_term"]["violations"], 0);
}

TEST(PatroniEngine, EtcdLeaderCrashElectsNewLeaderAndPatroniIsUnaffected) {
  auto r = run("pg-patroni", "etcd-leader-crash");
  auto fo = failovers_of(r, "etcd");
  ASSERT_EQ(fo.size(), 1u);
  EXPECT_EQ(fo[0]["from"], "etcd-1");
  EXPECT_NE(fo[0]["to"], "etcd-1");
  // Followers heard the last heartbeat at most one interval before the crash and campaign
  // after a random [T, 2T); pre-vote and vote add four LAN hops.
  const double d = fo[0]["duration_s"].get<double>();
  EXPECT_GE(d, kT - kHeartbeat - kSlack);
  EXPECT_LE(d, 2 * kT + kSlack);
  auto elected = events_for(r, "raft.leader_elected", "etcd");
  ASSERT_GE(elected.size(), 2u);
  EXPECT_EQ(elected.back()["term"], 2);  // pre-vote: one election, one term
  EXPECT_TRUE(failovers_of(r, "pg").empty());
  EXPECT_TRUE(events_for(r, "pg.demoted", "pg").empty());
  EXPECT_TRUE(events_for(r, "patroni.dcs_unreachable", "pg").empty());
  EXPECT_EQ(r["services"]["smtp"]["failed"], 0);
  EXPECT_EQ(r["checks"]["raft_single_leader_per_term"]["violations"], 0);
}

TEST(PatroniEngine, EtcdQuorumLossDemotesThePrimaryAfterRetryTimeoutWithoutSplitBrain) {
  auto r = run("pg-patroni", "etcd-quorum-loss");
  const double loss = 30.5, back = 90.5;
  auto demoted = events_for(r, "pg.demoted", "pg");
  ASSERT_EQ(demoted.size(), 1u);
  EXPECT_EQ(demoted[0]["node"], "pg-1");
  // The first cycle after the loss starts within loop_wait; its DCS calls fail for retry_timeout.
  const double t = demoted[0]["t_s"].get<double>();
  EXPECT_GE(t, loss + kRetryTimeout - kSlack);
  EXPECT_LE(t, loss + kLoopWait + kRetryTimeout + kSlack);
  EXPECT_LT(t, loss + kTtl);  // before any lease could expire: Patroni's timing rule
  for (const auto& e : events_for(r, "pg.promoted", "pg")) EXPECT_GT(e["t_s"].get<double>(), back) << e.dump();
  EXPECT_GT(r["services"]["smtp"]["failures"].value("read_only", 0), 0);
  // No etcd leader while two of three members are down.
  for (const auto& e : events_for(r, "raft.leader_elected", "etcd")) {
    double te = e["t_s"].get<double>();
    EXPECT_TRUE(te < loss || te > back) << e.dump();
  }
  // When quorum returns, the lessor extends the leases: pg-1 still holds the key and promotes again.
  auto fo = failovers_of(r, "pg");
  ASSERT_EQ(fo.size(), 1u);
  EXPECT_EQ(fo[0]["to"], "pg-1");
  EXPECT_EQ(r["checks"]["single_writable_primary"]["violations"], 0);
}

TEST(PatroniEngine, PartitionDemotesMinorityPromotesMajorityAndNeverTwoWritablePrimaries) {
  auto r = run("pg-patroni", "primary-partition");
  const double cut = 60.5;
  auto demoted = events_for(r, "pg.demoted", "pg");
  ASSERT_GE(demoted.size(), 1u);
  EXPECT_EQ(demoted[0]["node"], "pg-1");
  const double td = demoted[0]["t_s"].get<double>();
  EXPECT_GE(td, cut + kRetryTimeout - kSlack);
  EXPECT_LE(td, cut + kLoopWait + kRetryTimeout + kSlack);
  auto promoted = events_for(r, "pg.promoted", "pg");
  ASSERT_GE(promoted.size(), 1u);
  EXPECT_EQ(promoted[0]["node"], "pg-2");
  const double tp = promoted[0]["t_s"].get<double>();
  EXPECT_GE(tp, cut + kTtl - kLoopWait - kSlack);  // only after pg-1's lease expired
  EXPECT_GT(tp, td);
  // pg-1 kept acknowledging writes until it demoted; pg-2 never received them.
  EXPECT_GT(promoted[0]["lost_commits"].get<int>(), 0);
  EXPECT_EQ(r["checks"]["single_writable_primary"]["violations"], 0);
  EXPECT_TRUE(r["checks"]["single_writable_primary"]["intervals"].empty());
}

// On a 10 GbE LAN an 8 KiB commit is on the replica ~0.1 ms after it was written, so at
// 400 commits/s an asynchronous failover loses at most the WAL of the message then on its
// way (walsender.c MAX_SEND_SIZE, 16 commits of 8 KiB); wal_stream_test.cpp shows the loss
// growing with the write load on a slower link.
TEST(PatroniEngine, AsyncLeaderCrashOnAFastLanLosesAtMostOneWalMessage) {
  auto r = run("pg-patroni", "leader-crash-heavy-writes");
  auto fo = failovers_of(r, "pg");
  ASSERT_EQ(fo.size(), 1u);
  EXPECT_EQ(fo[0]["to"], "pg-2");
  EXPECT_LE(fo[0]["lost_commits"].get<int>(), 16);
}

TEST(PatroniEngine, SynchronousModeLeaderCrashLosesNoCommittedTransaction) {
  auto r = run("pg-patroni-sync", "leader-crash-heavy-writes");
  auto fo = failovers_of(r, "pg");
  ASSERT_EQ(fo.size(), 1u);
  EXPECT_EQ(fo[0]["to"], "pg-2");
  EXPECT_EQ(fo[0]["lost_commits"].get<int>(), 0);
  EXPECT_EQ(r["checks"]["single_writable_primary"]["violations"], 0);
}

// ha.py runs pg_basebackup / pg_rewind as a long action: meanwhile the node's HA cycles only
// report it in progress and never race for the leader key (its old WAL is being replaced).
// On tegu-13 with pg-2's NIC at 50 Mbit/s: pg-1 crashes, pg-2 is promoted on timeline 2, pg-1
// returns and is rebuilt (10 GiB at 50 Mbit/s: about half an hour), and pg-2, its NIC
// saturated, loses the DCS and demotes. No leader while pg-1 rebuilds: it must not take the key.
// pg-1 diverges only if the crash at 30.5 s finds a commit it had flushed but not yet sent
// (1 lost commit); with the seed's WAL disks the commit in flight then is not yet flushed,
// both stop at the same LSN and pg-1 rejoins without a rebuild, so the disks are taken off
// here to keep the case this test was built on.
TEST(PatroniEngine, ANodeBeingRebuiltNeverRacesForTheLeaderKey) {
  auto in = mailsim::app::load_inputs("topologies/tegu-13.yaml", "scenarios/mail/tegu-db-failover.yaml");
  for (auto& n : in.topology.nodes) {
    if (n.name == "pg-2") n.nic = mailsim::core::parse_bandwidth("50Mbps");
    if (n.name == "pg-1" || n.name == "pg-2") n.disks.clear();
  }
  const auto r = mailsim::app::run_one(in, in.scenario.seed);
  double rebuild_start = -1, rebuild_end = -1, no_leader_from = -1;
  for (const auto& e : events_for(r, "pg.resync_started", "pg"))
    if (e["node"] == "pg-1" && rebuild_start < 0) rebuild_start = e["t_s"].get<double>();
  for (const auto& e : events_for(r, "pg.rewound", "pg"))
    if (e["node"] == "pg-1" && rebuild_end < 0) rebuild_end = e["t_s"].get<double>();
  for (const auto& e : events_for(r, "pg.demoted", "pg"))
    if (e["node"] == "pg-2" && no_leader_from < 0) no_leader_from = e["t_s"].get<double>();
  ASSERT_GT(rebuild_start, 0);
  ASSERT_GT(rebuild_end, rebuild_start);
  ASSERT_GT(no_leader_from, rebuild_start) << "the case needs the leader key free during the rebuild";
  ASSERT_LT(no_leader_from, rebuild_end);
  for (const auto* kind : {"patroni.race", "patroni.lock_acquired", "pg.promoted"})
    for (const auto& e : events_for(r, kind, "pg"))
      if (e["node"] == "pg-1") {
        const double t = e["t_s"].get<double>();
        EXPECT_FALSE(t > rebuild_start && t < rebuild_end) << kind << " of pg-1 at " << t << " s, during its rebuild";
      }
}
