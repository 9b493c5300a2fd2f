// PostgreSQL streaming replication under Patroni (models/patroni_postgres/patroni_wal_stream.cpp)
// on the lab topology (topologies/labs/patroni.yaml: 100 Mbit/s links, 8 KiB of WAL per
// commit, so the link carries at most about 100e6 / 8 / 8192 = 1526 commits/s). The primary
// crashes at 60.5 s. Expected figures follow from the mechanism: what was acknowledged but
// not yet shipped is lost in asynchronous mode, nothing in synchronous mode, and a replica
// further behind than maximum_lag_on_failover is not promoted. One simulation per case.
#include <gtest/gtest.h>

#include <map>

#include "runset/child_run.hpp"
#include "tests/engine/run_helpers.hpp"

using mailsim::testing::events_of;

namespace {

constexpr double kWalPerCommit = 8192;      // wal_per_write in the lab topology
constexpr double kMaxSendSize = 16 * 8192;  // PostgreSQL walsender.c MAX_SEND_SIZE
constexpr double kCrash = 60.5;

nlohmann::json run_at(double rate, const std::map<std::string, std::string>& pg_params = {}) {
  auto in = mailsim::app::load_inputs("topologies/labs/patroni.yaml", "scenarios/labs/patroni-primary-crash.yaml");
  in.scenario.load.at(0).rate.per_s = rate;
  for (auto& c : in.topology.components)
    if (c.name == "pg")
      for (const auto& [k, v] : pg_params) c.params[k] = v;
  return mailsim::app::run_one(in, in.scenario.seed);
}

nlohmann::json only(const std::vector<nlohmann::json>& events) {
  EXPECT_EQ(events.size(), 1u);
  return events.empty() ? nlohmann::json::object() : events.front();
}

// The flush lag the primary last saw before the crash.
double last_lag_before_crash(const nlohmann::json& r) {
  double lag = -1;
  for (const auto& e : events_of(r, "pg.replication_lag"))
    if (e["t_s"].get<double>() < kCrash) lag = e["flush_lag_bytes"].get<double>();
  return lag;
}

}  // namespace

TEST(WalStream, AsyncFailoverLosesExactlyTheAcknowledgedWalTheNewPrimaryNeverReceived) {
  auto r = run_at(1200);
  const auto crashed = only(events_of(r, "pg.read_only"));
  const auto promoted = only(events_of(r, "pg.promoted"));
  ASSERT_EQ(promoted.value("node", ""), "pg-2");
  const double old_lsn = crashed["lsn"].get<double>(), new_lsn = promoted["lsn"].get<double>();
  // Every commit pg-1 wrote was acknowledged (asynchronous); pg-2 starts from what reached it.
  EXPECT_DOUBLE_EQ(promoted["lost_commits"].get<double>() * kWalPerCommit, old_lsn - new_lsn);
  EXPECT_GT(promoted["lost_commits"].get<int>(), 0);
  // Below the link's capacity the stream keeps up: what was missing is at most the message
  // on the wire plus the WAL written while it travelled, far below 1 MiB.
  EXPECT_LT(old_lsn - new_lsn, 2 * kMaxSendSize);
  ASSERT_EQ(r["failovers"].size(), 1u);
  EXPECT_EQ(r["failovers"][0]["lost_commits"], promoted["lost_commits"]);
}

TEST(WalStream, SynchronousModeFailoverLosesNoAcknowledgedCommit) {
  auto r = run_at(1200, {{"synchronous_mode", "true"}});
  const auto promoted = only(events_of(r, "pg.promoted"));
  ASSERT_EQ(promoted.value("node", ""), "pg-2");
  EXPECT_EQ(promoted["lost_commits"].get<int>(), 0);
  // The old primary may have written WAL it never acknowledged (parked commits).
  EXPECT_LE(promoted["lsn"].get<double>(), only(events_of(r, "pg.read_only"))["lsn"].get<double>());
}

TEST(WalStream, LagGrowsWithoutBoundWhenTheWalRateExceedsTheLink) {
  auto r = run_at(1700);  // 1700 x 8 KiB/s = 13.9 MB/s over a 12.5 MB/s link
  std::vector<double> lags;
  for (const auto& e : events_of(r, "pg.replication_lag"))
    if (e["t_s"].get<double>() < kCrash) lags.push_back(e["flush_lag_bytes"].get<double>());
  ASSERT_GE(lags.size(), 5u);
  for (size_t i = 1; i < lags.size(); ++i) EXPECT_GT(lags[i], lags[i - 1]);
  EXPECT_GT(lags.back(), 1024.0 * 1024);
}

// The same 1700 commits/s that overrun the 100 Mbit/s link (previous case) over a 1 Gbit/s
// one: the stream keeps up, the lag stays within about one message.
TEST(WalStream, LagShrinksWithBandwidth) {
  auto in = mailsim::app::load_inputs("topologies/labs/patroni.yaml", "scenarios/labs/patroni-primary-crash.yaml");
  in.scenario.load.at(0).rate.per_s = 1700;
  in.topology.network.nic_bandwidth.bytes_per_s *= 10;
  auto r = mailsim::app::run_one(in, in.scenario.seed);
  double worst = 0;
  for (const auto& e : events_of(r, "pg.replication_lag"))
    if (e["t_s"].get<double>() < kCrash) worst = std::max(worst, e["flush_lag_bytes"].get<double>());
  EXPECT_LE(worst, 2 * kMaxSendSize);
}

TEST(WalStream, ReplicaBeyondMaximumLagOnFailoverIsNotPromoted) {
  auto r = run_at(1700);
  EXPECT_GT(last_lag_before_crash(r), 1024.0 * 1024);  // Patroni's default limit
  EXPECT_TRUE(events_of(r, "pg.promoted").empty());
  ASSERT_EQ(r["failovers"].size(), 1u);
  EXPECT_TRUE(r["failovers"][0]["to"].is_null());
}

TEST(WalStream, RaisedMaximumLagPromotesTheLaggingReplicaAndLosesItsLag) {
  auto r = run_at(1700, {{"maximum_lag_on_failover", "1GiB"}});
  const auto promoted = only(events_of(r, "pg.promoted"));
  const double lost_bytes = promoted["lost_commits"].get<double>() * kWalPerCommit;
  // The lag only grew until the crash, so at least the last sampled lag, less the message
  // on the wire, was never received.
  EXPECT_GE(lost_bytes, last_lag_before_crash(r) - kMaxSendSize);
}

// pg_ctl promote replays every WAL record the replica received before it takes writes, then
// fast promotion writes three 8 kB pages (timeline history, end-of-recovery record,
// pg_control) and no checkpoint. A replica whose replay falls behind the 9.8 MB/s of WAL
// (1200 commits/s x 8 KiB) carries unreplayed WAL into the failover, and its promotion lasts
// that WAL over wal_replay_rate: the slower the replay, the more is left and the longer.
TEST(WalStream, PromotionTimeGrowsWithTheWalReceivedButNotYetReplayed) {
  struct Promotion {
    double unreplayed_bytes, seconds;
  };
  // One simulation per process (DESIGN.md decision 1): each rate runs in a child.
  auto promotion_at = [](double replay_bytes_per_s) {
    auto child = mailsim::runset::run_in_child([replay_bytes_per_s] {
      auto in = mailsim::app::load_inputs("topologies/labs/patroni.yaml",
                                          "scenarios/labs/patroni-primary-crash.yaml");
      in.scenario.load.at(0).rate.per_s = 1200;
      in.scenario.duration.seconds = 240;  // room for a long replay after the ~90 s failover
      for (auto& c : in.topology.components)
        if (c.name == "pg")
          c.params["wal_replay_rate"] = std::to_string(replay_bytes_per_s) + "B/s";
      auto r = mailsim::app::run_one(in, in.scenario.seed);
      const auto lock = only(events_of(r, "patroni.lock_acquired"));
      const auto promoted = only(events_of(r, "pg.promoted"));
      return nlohmann::json{lock["unreplayed_wal_bytes"],
                            promoted["t_s"].get<double>() - lock["t_s"].get<double>()}
          .dump();
    });
    EXPECT_EQ(child.exit_code, 0) << child.output;
    const auto got = nlohmann::json::parse(child.output, nullptr, false);
    if (!got.is_array() || got.size() != 2) return Promotion{-1, -1};
    return Promotion{got[0].get<double>(), got[1].get<double>()};
  };
  const double kEndOfRecoveryBytes = 3 * 8192, kDisk = 500e6;  // the lab's disk_write_rate default
  const Promotion fast = promotion_at(100e6), slow = promotion_at(6e6),
                  slower = promotion_at(5.5e6);
  // Replay keeps up at 100 MB/s: nothing left, the promotion is the end-of-recovery writes.
  EXPECT_LE(fast.unreplayed_bytes, 2 * kMaxSendSize);
  EXPECT_LT(fast.seconds, 0.01);
  EXPECT_GT(slow.unreplayed_bytes, 10e6);
  EXPECT_GT(slower.unreplayed_bytes, slow.unreplayed_bytes);
  EXPECT_GT(slower.seconds, slow.seconds);
  EXPECT_GT(slow.seconds, 100 * fast.seconds);
  for (const auto& [p, rate] : {std::pair{slow, 6e6}, std::pair{slower, 5.5e6}}) {
    // The batch being replayed when the key is won counts whole in unreplayed_bytes; at most
    // one batch's flush ahead of the replay, plus the end-of-recovery writes.
    EXPECT_GE(p.seconds, (p.unreplayed_bytes - kMaxSendSize) / rate);
    EXPECT_LE(p.seconds,
              (p.unreplayed_bytes + kMaxSendSize) / rate + kEndOfRecoveryBytes / kDisk + 1e-6);
  }
}
