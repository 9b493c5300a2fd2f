// CockroachDB (models/cockroachdb) under node loss, end to end through SimGrid. Expected
// windows come from the documented mechanism and defaults (docs/models/cockroachdb.md):
// liveness record TTL 9 s renewed every 4.5 s (retried every 1 s), Raft election timeout
// T = 15 ticks x 200 ms = 3 s randomized in [T, 2T), one scan per Raft tick, the circuit
// breaker at 60 s; never from constants of the model's code.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "runset/child_run.hpp"
#include "tests/engine/run_helpers.hpp"

using mailsim::testing::events_of;

namespace {
constexpr double kTtl = 9, kLivenessHeartbeat = 4.5, kLivenessRetry = 1;
constexpr double kT = 3, kTick = 0.2, kBreaker = 60;
constexpr double kSlack = 0.05;  // LAN round trips (~0.2 ms each): epoch CPut, lease append

nlohmann::json run(const std::string& scenario, std::optional<uint64_t> seed = std::nullopt) {
  auto in = mailsim::app::load_inputs("topologies/tutorial/crdb-3.yaml", "scenarios/db/" + scenario + ".yaml");
  return mailsim::app::run_one(in, seed.value_or(in.scenario.seed));
}

std::map<std::string, std::vector<nlohmann::json>> by_range(const nlohmann::json& r, const std::string& kind) {
  std::map<std::string, std::vector<nlohmann::json>> out;
  for (const auto& e : events_of(r, kind)) out[e["range"].get<std::string>()].push_back(e);
  return out;
}
}  // namespace

TEST(CrdbEngine, OneNodeLossInterruptsOnlyItsLeasesForLivenessExpiryPlusAcquisition) {
  auto r = run("crdb-node-loss");
  const double crash = 30.5, back = 90.5;
  // Leases start on node (range index mod 3): crdb-2 held r2, r5 and r8.
  const std::set<std::string> affected = {"r2", "r5", "r8"};
  auto down = by_range(r, "crdb.range_unavailable");
  auto up = by_range(r, "crdb.range_available");
  std::set<std::string> down_ranges;
  for (const auto& [range, evs] : down) down_ranges.insert(range);
  EXPECT_EQ(down_ranges, affected) << "only the ranges whose lease crdb-2 held stop serving";
  // The gap: crdb-2 last heartbeated within 4.5 s before the crash, so its record expires
  // 4.5-9 s after it; the new Raft leader (elected within 2T = 6 s < 9 s) sees that at its
  // next tick (or at once, on a waiting request), increments the epoch and takes the lease:
  // two LAN round trips.
  double worst = 0;
  for (const auto& range : affected) {
    ASSERT_EQ(down[range].size(), 1u) << range;
    ASSERT_EQ(up[range].size(), 1u) << range;
    EXPECT_DOUBLE_EQ(down[range][0]["t_s"].get<double>(), crash);
    EXPECT_EQ(down[range][0]["holder"], "crdb-2");
    const double gap = up[range][0]["unavailable_s"].get<double>();
    EXPECT_GE(gap, kTtl - kLivenessHeartbeat) << range;
    EXPECT_LE(gap, kTtl + kTick + kSlack) << range;
    EXPECT_NE(up[range][0]["node"], "crdb-2");
    worst = std::max(worst, gap);
  }
  // The epoch was incremented once, before any lease moved; every moved lease carries the
  // new holder's epoch.
  auto inc = events_of(r, "crdb.liveness_epoch_incremented");
  ASSERT_GE(inc.size(), 1u);
  EXPECT_EQ(inc[0]["node"], "crdb-2");
  EXPECT_EQ(inc[0]["epoch"], 2);
  for (const auto& e : inc) EXPECT_EQ(e["node"], "crdb-2");
  auto leases = events_of(r, "crdb.lease_acquired");
  ASSERT_EQ(leases.size(), 3u);
  for (const auto& e : leases) {
    EXPECT_GE(e["t_s"].get<double>(), inc[0]["t_s"].get<double>());
    EXPECT_EQ(e["from"], "crdb-2");
  }
  // One failover of the component, as long as the worst range's gap.
  ASSERT_EQ(r["failovers"].size(), 1u);
  EXPECT_EQ(r["failovers"][0]["component"], "crdb");
  EXPECT_EQ(r["failovers"][0]["from"], "crdb-2");
  EXPECT_NEAR(r["failovers"][0]["duration_s"].get<double>(), worst, 1e-9);
  // Requests of the affected ranges waited (the 30 s client timeout outlasts the gap):
  // nothing failed, in any range, and the slowest waited about the gap.
  for (const char* svc : {"write", "read"}) {
    const auto& s = r["services"][svc];
    EXPECT_EQ(s["failed"], 0) << svc << ": " << s["failures"].dump();
    EXPECT_GT(s["requests"].get<int>(), 10000) << svc;
    EXPECT_GE(s["latency_ms"]["max"].get<double>(), 1000 * (kTtl - kLivenessHeartbeat) - 1000 * kTick) << svc;
    EXPECT_LE(s["latency_ms"]["max"].get<double>(), 1000 * (worst + 0.1)) << svc;
  }
  // crdb-2's return (its first heartbeat bumps its own epoch) disturbs no range.
  for (const auto& e : events_of(r, "crdb.range_unavailable")) EXPECT_LT(e["t_s"].get<double>(), back);
  EXPECT_EQ(r["checks"]["raft_single_leader_per_term"]["violations"], 0);
  // Ranges crdb-2 led elected new leaders; none of the others changed term.
  for (const auto& e : events_of(r, "raft.leader_elected")) {
    if (e["t_s"].get<double>() == 0) continue;
    EXPECT_TRUE(affected.count(e["group"].get<std::string>())) << e.dump();
    EXPECT_LE(e["t_s"].get<double>(), crash + 2 * kT + kSlack) << e.dump();
  }
}

TEST(CrdbEngine, TwoNodesLostLeaveEveryRangeUnavailableUntilOneReturns) {
  auto r = run("crdb-two-nodes-lost");
  const double crash = 30.5, back = 120.5;
  auto down = by_range(r, "crdb.range_unavailable");
  auto up = by_range(r, "crdb.range_available");
  auto tripped = by_range(r, "crdb.circuit_breaker_tripped");
  ASSERT_EQ(down.size(), 9u) << "every range, crdb-1's included";
  for (const auto& [range, evs] : down) {
    ASSERT_EQ(evs.size(), 1u) << range;
    const double t = evs[0]["t_s"].get<double>();
    if (evs[0]["holder"] == "crdb-1") {
      // crdb-1 keeps running, but the liveness range has no majority: its record expires
      // 4.5-9 s after the crash and its leases with it (reads fail too).
      EXPECT_GE(t, crash + kTtl - kLivenessHeartbeat) << range;
      EXPECT_LE(t, crash + kTtl + kTick + kSlack) << range;
      EXPECT_EQ(evs[0]["cause"], "lease_invalid");
    } else {
      EXPECT_DOUBLE_EQ(t, crash) << range;
      EXPECT_EQ(evs[0]["cause"], "holder_down");
    }
    // The circuit breaker trips after unavailable_timeout, at the next tick.
    ASSERT_EQ(tripped[range].size(), 1u) << range;
    EXPECT_GE(tripped[range][0]["t_s"].get<double>(), t + kBreaker - 1e-9) << range;
    EXPECT_LE(tripped[range][0]["t_s"].get<double>(), t + kBreaker + kTick + 1e-9) << range;
    // Back once the nodes return: elections (within 2T), liveness heartbeats (retried
    // every second), an epoch increment and a lease request.
    ASSERT_EQ(up[range].size(), 1u) << range;
    const double t_up = up[range][0]["t_s"].get<double>();
    EXPECT_GT(t_up, back) << range;
    EXPECT_LE(t_up, back + 2 * kT + kLivenessRetry + 2 * kTick + kSlack) << range;
  }
  for (const char* svc : {"write", "read"}) {
    const auto& s = r["services"][svc];
    // From crash + TTL + tick (every lease lapsed) to the return, nothing succeeds: one
    // outage spans it. Requests time out first, then fail at once with `unavailable`.
    bool spans = false;
    for (const auto& o : s["outages"])
      spans = spans || (o["start_s"].get<double>() <= crash + kTtl + kTick + kSlack && o["end_s"].get<double>() >= back);
    EXPECT_TRUE(spans) << svc << ": " << s["outages"].dump();
    EXPECT_GT(s["failures"].value("timeout", 0), 0) << svc;
    EXPECT_GT(s["failures"].value("unavailable", 0), 0) << svc;
    // And it recovers: the last outage ends within the recovery window.
    const auto& last = s["outages"].back();
    EXPECT_LE(last["end_s"].get<double>(), back + 2 * kT + kLivenessRetry + 2 * kTick + kSlack) << svc;
    // ok before and after: availability is the share of time outside the outage, roughly.
    EXPECT_GT(s["availability"].get<double>(), 0.4) << svc;
    EXPECT_LT(s["availability"].get<double>(), 0.6) << svc;
  }
  EXPECT_EQ(r["checks"]["raft_single_leader_per_term"]["violations"], 0);
}

TEST(CrdbEngine, SameSeedGivesByteIdenticalResultAndAnotherSeedDiffers) {
  auto once = [](uint64_t seed) {
    auto child = mailsim::runset::run_in_child([&] { return run("crdb-node-loss", seed).dump(); });
    EXPECT_EQ(child.exit_code, 0);
    return child.output;
  };
  const std::string a = once(7), b = once(7), c = once(8);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

// A clean stop drains first (server.shutdown.lease_transfer_wait): crdb-2's leases move to
// other replicas through Raft before it stops, so no range waits for liveness expiry.
TEST(CrdbEngine, ADrainedNodeMovesItsLeasesAwaySoNoRangeStopsServing) {
  auto r = run("crdb-node-drain");
  const double stop = 30.5;
  EXPECT_TRUE(events_of(r, "crdb.range_unavailable").empty()) << "no lease lapses";
  EXPECT_TRUE(r["failovers"].empty());
  std::set<std::string> moved;
  for (const auto& e : events_of(r, "crdb.lease_acquired"))
    if (e["from"] == "crdb-2" && e["t_s"].get<double>() >= stop) {
      moved.insert(e["range"].get<std::string>());
      EXPECT_LT(e["t_s"].get<double>(), stop + kSlack) << "a transfer is one Raft round trip";
    }
  EXPECT_TRUE(moved.count("r2") && moved.count("r5") && moved.count("r8")) << "every user range crdb-2 held";
  // It stops once it holds no lease and no Raft leadership: within the drain, well before
  // lease_transfer_wait (5 s).
  const auto down = events_of(r, "raft.leader_stepped_down");
  for (const auto& e : down)
    if (e["node"] == "crdb-2") EXPECT_LT(e["t_s"].get<double>(), stop + 1.0);
  EXPECT_EQ(r["services"]["read"]["failures"].size(), 0u) << r["services"]["read"]["failures"].dump();
}
