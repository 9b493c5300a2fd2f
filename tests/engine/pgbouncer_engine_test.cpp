// PgBouncer between the back-end balancer and Patroni PostgreSQL, end to end through
// SimGrid. Expected figures come from the mechanisms and their parameters (PgBouncer's
// pool size and query_wait_timeout as set in the tutorial topologies; Patroni ttl 30 s,
// loop_wait 10 s; haproxy inter 3 s, rise 2; etcd's lessor tick 0.5 s; the promote_time
// assumption 1 s), never from constants of the model's code.
#include <gtest/gtest.h>

#include <algorithm>

#include "runset/child_run.hpp"
#include "tests/engine/run_helpers.hpp"

using mailsim::testing::events_of;

namespace {
constexpr double kTtl = 30, kLoopWait = 10, kLessorTick = 0.5, kPromote = 0;
constexpr double kInter = 3, kRise = 2;
constexpr double kSlack = 0.1;
// PgBouncer defaults (doc/config.md): server_connect_timeout 15 s, server_login_retry 15 s.
constexpr double kConnectTimeout = 15, kLoginRetry = 15;
// pg-pgbouncer-pool.yaml: default_pool_size 4, query_wait_timeout 5 s, 10 ms queries.
constexpr double kPool = 4, kQueryWaitTimeout = 5, kQuery = 0.010;

nlohmann::json run(const std::string& topology, const std::string& scenario, std::optional<uint64_t> seed = {}) {
  auto in = mailsim::app::load_inputs("topologies/tutorial/" + topology + ".yaml", "scenarios/db/" + scenario + ".yaml");
  return mailsim::app::run_one(in, seed.value_or(in.scenario.seed));
}

std::vector<nlohmann::json> failovers_of(const nlohmann::json& r, const std::string& comp) {
  std::vector<nlohmann::json> out;
  for (const auto& f : r["failovers"])
    if (f["component"] == comp) out.push_back(f);
  return out;
}

// Mean of the per-window mean latencies (ok requests) over windows [from, to).
double mean_latency_ms(const nlohmann::json& svc, int from, int to) {
  const auto& lat = svc["series"]["latency_mean_ms"];
  const auto& ok = svc["series"]["ok"];
  double sum = 0, n = 0;
  for (int i = from; i < to && i < static_cast<int>(lat.size()); ++i) {
    const double w = ok[static_cast<size_t>(i)].get<double>();
    sum += lat[static_cast<size_t>(i)].get<double>() * w;
    n += w;
  }
  return n > 0 ? sum / n : 0;
}

int failed_in(const nlohmann::json& svc, int from, int to) {
  const auto& f = svc["series"]["failed"];
  int n = 0;
  for (int i = from; i < to && i < static_cast<int>(f.size()); ++i) n += f[static_cast<size_t>(i)].get<int>();
  return n;
}
}  // namespace

TEST(PgBouncerEngine, PoolSaturationQueuesThenFailsOnlyPastQueryWaitTimeout) {
  auto r = run("pg-pgbouncer-pool", "pgbouncer-pool-saturation");
  const auto& q = r["services"]["query"];
  // Phase 1 (200/s, half the pool): a query barely waits.
  const double calm = mean_latency_ms(q, 5, 40);
  EXPECT_GE(calm, kQuery * 1e3);
  EXPECT_LT(calm, kQuery * 1e3 + 2);
  // Phase 2 (360/s, about 90% of 4 connections x 10 ms): queueing raises the latency.
  const double busy = mean_latency_ms(q, 45, 80);
  EXPECT_GT(busy, calm + 2) << "calm " << calm << " ms, busy " << busy << " ms";
  // No error before the overload, and none among arrivals of its first query_wait_timeout:
  // a query fails only after waiting that long.
  EXPECT_EQ(failed_in(q, 0, 80 + static_cast<int>(kQueryWaitTimeout)), 0);
  // Phase 3 (500/s, 125%): the queue grows until queries wait query_wait_timeout, then
  // PgBouncer disconnects them: errors, all of them `overload` (query_wait_timeout).
  EXPECT_GT(q["failed"].get<int>(), 0);
  ASSERT_TRUE(q["failures"].contains("overload")) << q["failures"].dump();
  EXPECT_EQ(q["failures"].size(), 1u) << q["failures"].dump();
  EXPECT_GT(failed_in(q, 80, 125), 0);
  // Served queries waited at most query_wait_timeout (plus their own run and the LAN), and
  // the longest waits came close to it: the queue was full to the timeout.
  const double max_ms = q["latency_ms"]["max"].get<double>();
  EXPECT_LE(max_ms, (kQueryWaitTimeout + kQuery) * 1e3 + 5);
  EXPECT_GE(max_ms, 0.8 * kQueryWaitTimeout * 1e3);
  // Throughput during the overload is the pool's: about kPool / kQuery per second.
  const auto& ok = q["series"]["ok"];
  double served = 0;
  for (int i = 100; i < 120; ++i) served += ok[static_cast<size_t>(i)].get<double>();
  EXPECT_LE(served / 20, kPool / kQuery * 1.05);
  EXPECT_GE(served / 20, kPool / kQuery * 0.85);
  // After the load drops, the queue drains and every query succeeds again.
  EXPECT_EQ(failed_in(q, 130, 160), 0);
  EXPECT_LT(mean_latency_ms(q, 140, 160), kQuery * 1e3 + 2);
  EXPECT_FALSE(events_of(r, "pool.exhausted").empty());
}

TEST(PgBouncerEngine, LeaderCrashThroughPgBouncerRecoversInPatroniPlusHaproxyWindow) {
  auto r = run("pg-pgbouncer", "pgbouncer-leader-crash");
  const double crash = 60.5;
  auto fo = failovers_of(r, "pg");
  ASSERT_EQ(fo.size(), 1u);
  EXPECT_EQ(fo[0]["from"], "pg-1");
  EXPECT_EQ(fo[0]["to"], "pg-2");
  const double promoted = fo[0]["end_s"].get<double>();
  // The longest smtp (write) outage starts at the crash and lasts the Patroni failover plus
  // haproxy's rise checks of Patroni on pg-2, as without PgBouncer.
  double start = -1, longest = 0;
  for (const auto& o : r["services"]["smtp"]["outages"]) {
    double s = o["start_s"].get<double>(), e = o["end_s"].get<double>();
    if (s >= crash - kSlack && e - s > longest) {
      longest = e - s;
      start = s;
    }
  }
  EXPECT_NEAR(start, crash, 0.2);
  EXPECT_GE(longest, kTtl - kLoopWait + kPromote + (kRise - 1) * kInter - kSlack);
  EXPECT_LE(longest, kTtl + kLessorTick + kPromote + kRise * kInter + kSlack);
  EXPECT_GE(start + longest, promoted + (kRise - 1) * kInter - kSlack);
  // target: local: PgBouncer on pg-2 logs in to its own running PostgreSQL at once.
  EXPECT_TRUE(events_of(r, "pgbouncer.login_failed").empty());
  // Writes recover and stay up: no read-only error (haproxy never sent a write to the
  // replica's PgBouncer) and the tail of the run is clean.
  EXPECT_EQ(r["services"]["smtp"]["failures"].value("read_only", 0), 0);
  const auto& failed = r["services"]["smtp"]["series"]["failed"];
  int tail = 0;
  for (size_t i = static_cast<size_t>(start + longest) + 2; i < failed.size(); ++i) tail += failed[i].get<int>();
  EXPECT_EQ(tail, 0);
  EXPECT_EQ(r["checks"]["single_writable_primary"]["violations"], 0);
}

TEST(PgBouncerEngine, LeaderTargetFollowsThePrimaryOnlyThroughHaproxyChecksAndLoginRetries) {
  // PgBouncer on the balancer nodes, behind a local haproxy checking each Patroni's
  // /primary (Patroni's haproxy.cfg: inter 3 s, fall 3, rise 2, timeout connect 4 s, timeout
  // check 5 s). Its logins to the dead primary fail after server_connect_timeout, then
  // server_login_retry spaces the attempts; the new primary is used only once haproxy has
  // marked it UP, at the first login attempt after that.
  constexpr double kFall = 3, kTimeoutConnect = 4;
  auto r = run("pg-pgbouncer-leader", "pgbouncer-leader-crash");
  const double crash = 60.5;
  auto fo = failovers_of(r, "pg");
  ASSERT_EQ(fo.size(), 1u);
  const double promoted = fo[0]["end_s"].get<double>();
  std::vector<double> failed_logins;
  for (const auto& e : events_of(r, "pgbouncer.login_failed")) failed_logins.push_back(e["t_s"].get<double>());
  ASSERT_FALSE(failed_logins.empty());
  // The first write after the crash asks for a login to pg-1, which is silent.
  EXPECT_GE(failed_logins.front(), crash + kConnectTimeout - kSlack);
  EXPECT_LE(failed_logins.front(), crash + kConnectTimeout + 1);
  // haproxy on each PgBouncer node marks pg-1 DOWN after `fall` silent checks, and pg-2 UP
  // `rise` checks after the promotion.
  for (const std::string node : {"pglb-1", "pglb-2"}) {
    double down = -1, up = -1, ok = -1;
    for (const auto& e : events_of(r, "backend.down"))
      if (e["component"] == "pgbouncer" && e["node"] == node && e["server"] == "pg-1" && down < 0) down = e["t_s"].get<double>();
    for (const auto& e : events_of(r, "backend.up"))
      if (e["component"] == "pgbouncer" && e["node"] == node && e["server"] == "pg-2" && up < 0) up = e["t_s"].get<double>();
    for (const auto& e : events_of(r, "pgbouncer.login_ok"))
      if (e["node"] == node && ok < 0) ok = e["t_s"].get<double>();
    // A silent check lasts min(timeout connect, inter) and the next starts inter after it
    // ended; the first one after the crash starts within one interval.
    const double silent_checks = kFall * std::min(kTimeoutConnect, kInter) + (kFall - 1) * kInter;
    EXPECT_GE(down, crash + silent_checks - kSlack) << node;
    EXPECT_LE(down, crash + kInter + silent_checks + kSlack) << node;
    EXPECT_GE(up, promoted + (kRise - 1) * kInter - kSlack) << node;
    EXPECT_LE(up, promoted + kRise * kInter + kSlack) << node;
    // No login reaches pg-2 before haproxy sends it there; the first one after that
    // succeeds, at most one server_login_retry later.
    EXPECT_GE(ok, up) << node;
    EXPECT_LE(ok, up + kLoginRetry + kSlack) << node;
  }
  double start = -1, longest = 0;
  for (const auto& o : r["services"]["smtp"]["outages"]) {
    double s = o["start_s"].get<double>(), e = o["end_s"].get<double>();
    if (s >= crash - kSlack && e - s > longest) {
      longest = e - s;
      start = s;
    }
  }
  double first_ok = 1e9;
  for (const auto& e : events_of(r, "pgbouncer.login_ok")) first_ok = std::min(first_ok, e["t_s"].get<double>());
  EXPECT_NEAR(start, crash, 0.2);
  EXPECT_NEAR(start + longest, first_ok, 0.5);  // the first write after the login succeeds
  // Meanwhile the queued clients filled max_client_conn (100), so new ones were refused
  // (`overload`) rather than queued.
  EXPECT_GT(r["services"]["smtp"]["failures"].value("overload", 0), 0);
  EXPECT_EQ(r["services"]["smtp"]["failures"].value("read_only", 0), 0);
}

TEST(PgBouncerEngine, BalancerRoutesToTheNodeWhosePatroniAnswersPrimary) {
  auto r = run("pg-pgbouncer", "pgbouncer-leader-crash");
  // Steady state: pg-2 answers 503 on /primary (a replica) and starts DOWN; pg-1 serves.
  // After the failover the balancer marks pg-2:6432 UP from Patroni's answer on pg-2.
  const double promoted = failovers_of(r, "pg").at(0)["end_s"].get<double>();
  bool pg2_up = false;
  for (const auto& e : events_of(r, "backend.up"))
    if (e["component"] == "pg_lb" && e["server"] == "pg-2") {
      pg2_up = true;
      EXPECT_GE(e["t_s"].get<double>(), promoted + (kRise - 1) * kInter - kSlack);
      EXPECT_LE(e["t_s"].get<double>(), promoted + kRise * kInter + kSlack);
    }
  EXPECT_TRUE(pg2_up);
  // Before the crash every write and read succeeded: none went to the replica.
  EXPECT_EQ(failed_in(r["services"]["smtp"], 0, 60), 0);
  EXPECT_EQ(failed_in(r["services"]["imap"], 0, 60), 0);
}

TEST(PgBouncerEngine, SameSeedGivesByteIdenticalResult) {
  auto once = [] {
    return mailsim::runset::run_in_child([] { return run("pg-pgbouncer-pool", "pgbouncer-pool-saturation").dump(); });
  };
  auto a = once(), b = once();
  EXPECT_EQ(a.exit_code, 0);
  ASSERT_FALSE(a.output.empty());
  EXPECT_EQ(a.output, b.output);
}
