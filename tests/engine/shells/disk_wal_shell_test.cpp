// PostgreSQL's WAL flush on a metered disk (patroni_postgres on nodes that declare a disk):
// a commit counts once its WAL is written and fsynced on the primary's disk, and commits
// that arrive during a flush share the next one (group commit). On a hard disk, whose flush
// costs a rotation, a rising commit rate raises commit latency and the disk's utilisation.
// Fast promotion's three synchronous writes go through the same device: on a busy disk they
// wait for what it serves first.
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

// The replica's promotion after pg-1 crashes at `crash` (no client load, so nothing is left to
// replay): how long from taking the leader key to taking writes. `backlog` operations are put
// on pg-2's disk at the crash, as another user of the device would (a checkpoint's writes).
struct Promotion {
  double lock_at = -1, promoted_at = -1;
};
Promotion promote_with_backlog(int backlog, const core::DiskOp& op, double crash) {
  auto bed = test_bed("tests/engine/inputs/pg-wal-hdd.yaml", quiet_scenario("200s", "10s"));
  bed->start();
  bed->run_until(crash);
  bed->crash("pg-1");
  const auto hdd = disk_figures(models::disk_params("hdd").defaults());
  engine::Disk& disk = bed->ctx().disks.open(bed->node("pg-2"), "pg-2", "wal", hdd);  // the one pg-2's WAL uses
  for (int i = 0; i < backlog; ++i) disk.submit(crash, op);
  bed->run_until(crash + 150);
  return {first_event_at(*bed, engine::EventKind::kPatroniLockAcquired, "node", "pg-2"),
          first_event_at(*bed, engine::EventKind::kPgPromoted, "node", "pg-2")};
}

TEST(DiskWal, FastPromotionsThreeSynchronousWritesQueueOnTheDiskSoABusyDiskDelaysThePromotion) {
  const auto hdd = disk_figures(models::disk_params("hdd").defaults());
  // Each of the history file, the end-of-recovery WAL page and pg_control: 8 kB written and
  // fsynced, the next issued once the previous is durable; on an idle hard disk each takes
  // its access latency (write + one rotation for the flush), 20.3 ms.
  const double one_write = core::disk_time(hdd, models::log_append_op(8192));
  constexpr double kCrash = 35;
  const Promotion idle = promote_with_backlog(0, {}, kCrash);
  ASSERT_GT(idle.promoted_at, 0);
  EXPECT_NEAR(idle.promoted_at - idle.lock_at, 3 * one_write, 1e-9) << "an idle device: three writes, one after another";
  // A backlog of 6000 flushed 64 KiB writes holds the device for 6000 x (1/550 s + 8.3 ms) =
  // 60.7 s, past the key's expiry (at most ttl = 30 s after the crash): the first write waits
  // until the device is free, then the three take their idle time.
  const core::DiskOp checkpoint_write = models::log_append_op(65536);
  constexpr int kBacklog = 6000;
  const double busy_until = kCrash + kBacklog * core::disk_occupancy(hdd, checkpoint_write);
  const Promotion busy = promote_with_backlog(kBacklog, checkpoint_write, kCrash);
  ASSERT_GT(busy.promoted_at, 0);
  ASSERT_LT(busy.lock_at, busy_until) << "the key must be taken while the device is still busy";
  EXPECT_NEAR(busy.promoted_at, busy_until + 3 * one_write, 1e-6);
  EXPECT_GT(busy.promoted_at - busy.lock_at, idle.promoted_at - idle.lock_at + 1) << "the queue delays the promotion";
}

}  // namespace
}  // namespace mailsim::testing
