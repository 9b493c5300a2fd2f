// The cockroachdb shell on a test bed (no SimGrid): epoch-based leases tied to node
// liveness. Windows come from the component's params (liveness_ttl, the heartbeat interval,
// the Raft election timeout and tick); the initial lease placement from CrdbLogic, the
// model's own SimGrid-free logic (replica 0 of each range holds its lease at t = 0).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "models/cockroachdb/cockroachdb_logic.hpp"
#include "models/cockroachdb/cockroachdb_params.hpp"
#include "tests/engine/shells/test_bed_helpers.hpp"

namespace mailsim::testing {
namespace {

using engine::Outcome;

struct CrdbBed {
  std::unique_ptr<engine::TestBed> bed = test_bed("topologies/tutorial/crdb-3.yaml", quiet_scenario("300s", "30s"));
  models::CockroachDbParams p = params_of(*bed, "crdb", models::cockroachdb_params());
  int node_count = static_cast<int>(bed->topology().find_component("crdb")->nodes.size());

  // The ranges (by event name, "r1"...) whose lease `node_index` holds at t = 0.
  std::set<std::string> initial_leases_of(int node_index) const {
    models::CrdbLogic logic(node_count, p.ranges, p.replication_factor, p.liveness_ttl.seconds);
    std::set<std::string> out;
    for (int g = 0; g < p.ranges; ++g)
      if (logic.lease(g).holder == node_index) out.insert("r" + std::to_string(g + 1));
    return out;
  }
  // An epoch increment and a lease request are each a Raft round trip on the LAN.
  double slack() const { return 20 * bed->platform().latency(bed->node("crdb-1"), bed->node("crdb-2")); }
};

TEST(CrdbShell, NodeLossStopsOnlyTheRangesWhoseLeaseItHeldUntilLivenessExpiryPlusAcquisition) {
  CrdbBed t;
  auto& bed = *t.bed;
  const double ttl = t.p.liveness_ttl.seconds, tick = t.p.raft_tick_interval.seconds;
  // A survivor must lead the range before it can take the lease: its election (a random
  // [T, 2T) after the last heartbeat heard) ends before the record expires with the
  // defaults, so the record's expiry is what the ranges wait for.
  ASSERT_LT(2 * t.p.election_timeout(), ttl);
  bed.start();
  const double crash = 30.5;
  bed.run_until(crash);
  bed.crash("crdb-2");
  bed.run_until(crash + ttl + tick + 1);
  const std::set<std::string> held = t.initial_leases_of(1);
  ASSERT_FALSE(held.empty());
  std::set<std::string> stopped;
  for (const auto& e : bed.events(engine::EventKind::kCrdbRangeUnavailable)) {
    stopped.insert(e.fields["range"].get<std::string>());
    EXPECT_DOUBLE_EQ(e.t_s, crash) << e.fields.dump();
    EXPECT_EQ(e.fields["holder"], "crdb-2");
  }
  EXPECT_EQ(stopped, held) << "a range whose lease another node holds keeps serving (2 of 3 replicas)";
  std::set<std::string> back;
  for (const auto& e : bed.events(engine::EventKind::kCrdbRangeAvailable)) {
    back.insert(e.fields["range"].get<std::string>());
    // crdb-2 heartbeated its record at most one interval before the crash; it expires ttl
    // after that heartbeat. The range's Raft leader notices at its next tick.
    const double gap = e.fields["unavailable_s"].get<double>();
    EXPECT_GE(gap, ttl - t.p.liveness_heartbeat_interval.seconds) << e.fields.dump();
    EXPECT_LE(gap, ttl + tick + t.slack()) << e.fields.dump();
    EXPECT_NE(e.fields["node"], "crdb-2");
  }
  EXPECT_EQ(back, held);
  const auto increments = bed.events(engine::EventKind::kCrdbLivenessEpochIncremented);
  ASSERT_FALSE(increments.empty()) << "a lease moves only after the dead holder's epoch was incremented";
  EXPECT_EQ(increments[0].fields["node"], "crdb-2");
  EXPECT_EQ(increments[0].fields["epoch"], 2);
  for (const auto& e : bed.events(engine::EventKind::kCrdbLeaseAcquired)) EXPECT_GE(e.t_s, increments[0].t_s);
}

TEST(CrdbShell, RequestsOfTheStoppedRangesWaitForTheNewLeaseWhileTheOthersAreServedAtOnce) {
  CrdbBed t;
  auto& bed = *t.bed;
  const double ttl = t.p.liveness_ttl.seconds, tick = t.p.raft_tick_interval.seconds;
  bed.start();
  const double crash = 30.5;
  std::vector<std::unique_ptr<Sent>> sent;
  for (int i = 0; i < 40; ++i) send_at(bed, crash + 0.1 + 0.1 * i, i % 2 ? "read" : "write", sent);
  bed.run_until(crash);
  bed.crash("crdb-2");
  bed.run_until(crash + ttl + tick + 30);
  int fast = 0, waited = 0;
  for (const auto& s : sent) {
    ASSERT_TRUE(s->ended) << s->at;
    EXPECT_EQ(s->outcome, Outcome::kOk) << "the client timeout outlasts the gap: nothing fails, at " << s->at;
    const double latency = s->end - s->at;
    EXPECT_LE(s->end, crash + ttl + tick + 1) << "served by the new leaseholder at the latest";
    if (latency < 0.1) ++fast;
    else ++waited;
  }
  EXPECT_GT(fast, 0) << "ranges whose lease another node holds answer at once";
  EXPECT_GT(waited, 0) << "ranges crdb-2 held park their requests until the lease moves";
}

// A partition, not a crash: crdb-2 keeps running but no message crosses the cut. Nobody
// reads its state; its leases move only once the others see its liveness record expire,
// which they learn through the liveness range (its heartbeats no longer reach a majority).
TEST(CrdbShell, APartitionedLeaseholderLosesItsLeasesOnlyWhenItsLivenessRecordExpires) {
  CrdbBed t;
  auto& bed = *t.bed;
  const double ttl = t.p.liveness_ttl.seconds, tick = t.p.raft_tick_interval.seconds;
  bed.start();
  const double cut_at = 30.5;
  bed.run_until(cut_at);
  bed.ctx().net.add_cut({bed.node("crdb-2")}, {bed.node("crdb-1"), bed.node("crdb-3")}, false);
  bed.run_until(cut_at + ttl + tick + 5);
  const std::set<std::string> held = t.initial_leases_of(1);
  ASSERT_FALSE(held.empty());
  std::set<std::string> moved;
  for (const auto& e : bed.events(engine::EventKind::kCrdbLeaseAcquired)) {
    if (e.t_s < cut_at) continue;
    EXPECT_EQ(e.fields["from"], "crdb-2") << e.fields.dump();
    EXPECT_NE(e.fields["node"], "crdb-2");
    // Its last heartbeat was at most one interval before the cut; the record lives ttl.
    EXPECT_GE(e.t_s, cut_at + ttl - t.p.liveness_heartbeat_interval.seconds) << e.fields.dump();
    EXPECT_LE(e.t_s, cut_at + ttl + tick + t.slack()) << e.fields.dump();
    moved.insert(e.fields["range"].get<std::string>());
  }
  EXPECT_EQ(moved, held) << "every lease crdb-2 held moves to the majority side, and no other";
  const auto increments = bed.events(engine::EventKind::kCrdbLivenessEpochIncremented);
  ASSERT_FALSE(increments.empty());
  EXPECT_EQ(increments[0].fields["node"], "crdb-2");
  EXPECT_GE(increments[0].t_s, cut_at + ttl - t.p.liveness_heartbeat_interval.seconds);
}

TEST(CrdbShell, ReturningNodeDisturbsNoRange) {
  CrdbBed t;
  auto& bed = *t.bed;
  bed.start();
  const double crash = 30.5, back = crash + 60;
  bed.run_until(crash);
  bed.crash("crdb-2");
  bed.run_until(back);
  const size_t unavailable_before = bed.events(engine::EventKind::kCrdbRangeUnavailable).size();
  bed.restart("crdb-2");
  bed.run_until(back + 60);
  EXPECT_EQ(bed.events(engine::EventKind::kCrdbRangeUnavailable).size(), unavailable_before)
      << "its first heartbeat bumps its own epoch; leases stay where they are";
}

}  // namespace
}  // namespace mailsim::testing
