// The seed clusters' database and mail nodes declare disks (topologies/rupost-13.yaml): a
// CalDAV write's commit waits for PostgreSQL's WAL write + fsync on the primary's disk, and
// an SMTP 250 for Postfix's queue file written and fsynced on the mail node's disk. Without
// them a commit's fsync cost nothing and the seed comparison could not show disk contention.
// Each run in its own child process (one simulation per process).
#include <gtest/gtest.h>

#include "models/disk/disk_logic.hpp"
#include "models/disk/disk_params.hpp"
#include "models/patroni_postgres/patroni_postgres_params.hpp"
#include "runset/child_run.hpp"
#include "tests/engine/run_helpers.hpp"

namespace {

struct Medians {
  double smtp_ms = -1, caldav_ms = -1;
};

// rupost-13 under steady writes; `strip_disks` removes every disk its PostgreSQL and mail
// nodes declare (the seed as it was before they had any).
Medians rupost_medians(bool strip_disks) {
  auto child = mailsim::runset::run_in_child([strip_disks] {
    auto in = mailsim::app::load_inputs("topologies/rupost-13.yaml", "tests/engine/inputs/seed-steady-writes.yaml");
    if (strip_disks)
      for (auto& n : in.topology.nodes)
        if (n.name.rfind("pg-", 0) == 0 || n.name.rfind("rupost-", 0) == 0) n.disks.clear();
    const auto r = mailsim::app::run_one(in, in.scenario.seed);
    const auto& s = r.at("services");
    return nlohmann::json{s.at("smtp").at("latency_ms").at("p50"), s.at("caldav").at("latency_ms").at("p50"),
                          s.at("smtp").at("failed"), s.at("caldav").at("failed")}
        .dump();
  });
  EXPECT_EQ(child.exit_code, 0) << child.output;
  const auto got = nlohmann::json::parse(child.output, nullptr, false);
  if (!got.is_array() || got.size() != 4) return {};
  EXPECT_EQ(got[2].get<int>(), 0);
  EXPECT_EQ(got[3].get<int>(), 0);
  return Medians{got[0].get<double>(), got[1].get<double>()};
}

}  // namespace

TEST(SeedDisks, RupostCommitsWaitForTheWalFsyncAndThe250ForTheQueueFileOnTheNodesSataSsd) {
  namespace m = mailsim::models;
  const auto ssd = m::disk_figures(m::disk_params("sata_ssd").defaults());
  const double wal = m::patroni_postgres_params().defaults().wal_per_write.bytes;
  const double commit_ms = 1e3 * mailsim::core::disk_time(ssd, m::log_append_op(wal));
  const double queue_file_ms = 1e3 * mailsim::core::disk_time(ssd, m::log_append_op(50 * 1024));
  const Medians with = rupost_medians(false), without = rupost_medians(true);
  ASSERT_GT(with.caldav_ms, 0);
  ASSERT_GT(without.caldav_ms, 0);
  // The same seed draws the same requests and CPU demands: the medians differ by the one
  // write + fsync each request waits for on an idle device (within a quarter of it).
  EXPECT_NEAR(with.caldav_ms - without.caldav_ms, commit_ms, 0.25 * commit_ms);
  EXPECT_NEAR(with.smtp_ms - without.smtp_ms, queue_file_ms, 0.25 * queue_file_ms);
}
