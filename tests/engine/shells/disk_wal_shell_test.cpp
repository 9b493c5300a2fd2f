// PostgreSQL's WAL flush on a metered disk (patroni_postgres on nodes that declare a disk):
// a commit counts once its WAL is written and fsynced on the primary's disk, and commits
// that arrive during a flush share the next one (group commit). On a hard disk, whose flush
// costs a rotation, a rising commit rate raises commit latency and the disk's utilisation.
#include <gtest/gtest.h>

#include "core/rng.hpp"
#include "models/disk/disk_logic.hpp"
#include "models/disk/disk_params.hpp"
#include "models/patroni_postgres/patroni_postgres_params.hpp"
#include "tests/engine/shells/test_bed_helpers.hpp"

namespace mailsim::testing {
namespace {

struct WalRun {
  double mean_latency = 0;
  double disk_utilisation = 0;
  size_t ok = 0, sent = 0;
};

// Poisson commits at `rate` for 60 s, after Patroni's steady state.
WalRun commit_at(double rate) {
  auto bed = test_bed("tests/engine/inputs/pg-wal-hdd.yaml", quiet_scenario("200s", "10s"));
  bed->start();
  const double t0 = 35, t1 = t0 + 60;
  std::vector<std::unique_ptr<Sent>> sent;
  core::RngStream rng(3, "commits");
  for (double t = t0 + rng.exponential(1 / rate); t < t1; t += rng.exponential(1 / rate)) send_at(*bed, t, "commit", sent);
  bed->run_until(t1 + 15);
  WalRun w;
  double sum = 0;
  for (const auto& s : sent)
    if (s->ended && s->outcome == engine::Outcome::kOk) {
      sum += s->end - s->at;
      ++w.ok;
    }
  w.sent = sent.size();
  w.mean_latency = w.ok > 0 ? sum / static_cast<double>(w.ok) : 0;
  const nlohmann::json resources = bed->ctx().resources.to_json(t1, t1);
  for (const auto& m : resources["resources"])
    if (m["name"] == "pg-1.wal") w.disk_utilisation = m["utilisation"].get<double>();
  return w;
}

TEST(DiskWal, AFsyncedWalOnAHardDiskRaisesCommitLatencyAsTheCommitRateRises) {
  const auto hdd = disk_figures(models::disk_params("hdd").defaults());
  const double wal = models::patroni_postgres_params().defaults().wal_per_write.bytes;
  const double flush = core::disk_time(hdd, models::log_append_op(wal));  // one commit alone
  double last_latency = 0, last_util = 0;
  double first_latency = 0;
  for (double rate : {2.0, 10.0, 40.0}) {
    const WalRun w = commit_at(rate);
    ASSERT_GT(w.sent, 0u);
    EXPECT_EQ(w.ok, w.sent) << "rate " << rate << ": group commit keeps up below the flush rate";
    EXPECT_GT(w.mean_latency, flush) << "rate " << rate << ": every commit waits for its own flush";
    EXPECT_GT(w.mean_latency, last_latency) << "rate " << rate;
    if (first_latency == 0) first_latency = w.mean_latency;
    EXPECT_GT(w.disk_utilisation, last_util) << "rate " << rate;
    last_latency = w.mean_latency;
    last_util = w.disk_utilisation;
  }
  // At 40 commits/s a flush (about 20 ms on this disk) is under way more than half the time:
  // a commit often waits for the one in progress, then its own.
  EXPECT_GT(last_latency, first_latency + 0.25 * flush);
}

}  // namespace
}  // namespace mailsim::testing
