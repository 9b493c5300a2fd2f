// The cockroachdb shell on a test bed: a follower cut off by Raft log truncation catches up
// from a snapshot, which costs what it costs in CockroachDB. The leader streams it at most at
// snapshot_max_rate (store_snapshot.go: kv.snapshot_recovery.max_rate), and the follower writes
// and syncs it on its disk before it applies it and answers. Until then the range has no
// up-to-date replica there. Expected times come from the params and the disk's figures,
// never from a measured number.
#include <gtest/gtest.h>

#include "core/disk_op.hpp"
#include "models/cockroachdb/cockroachdb_params.hpp"
#include "models/disk/disk_logic.hpp"
#include "models/disk/node_disk.hpp"
#include "tests/engine/shells/test_bed_helpers.hpp"

namespace mailsim::testing {
namespace {

// crdb-3 is away from t = 10 s, while 300 writes commit on the range (its log is truncated
// past crdb-3 once a hundred are stale), and comes back at `back`.
struct SnapshotBed {
  std::unique_ptr<engine::TestBed> bed =
      test_bed("tests/engine/shells/topologies/crdb-snapshot.yaml", quiet_scenario("300s", "30s"));
  models::CockroachDbParams p = params_of(*bed, "crdb", models::cockroachdb_params());
  std::vector<std::unique_ptr<Sent>> sent;
  static constexpr double kAway = 10, kBack = 40;

  explicit SnapshotBed(double disk_slowdown = 1) {
    bed->start();
    for (int i = 0; i < 300; ++i) send_at(*bed, 15 + 0.05 * i, "write", sent);
    bed->run_until(kAway);
    bed->crash("crdb-3");
    bed->run_until(kBack);
    bed->platform().set_disk_slowdown(bed->node("crdb-3"), disk_slowdown);
    bed->restart("crdb-3");
  }
  // The returning follower's disk, as the model opens it.
  const core::DiskFigures& disk() { return models::node_disk(bed->ctx(), bed->topology(), "crdb-3", "")->figures(); }
  // Idle-disk time of the snapshot's ingestion, and of one Raft log append (its disk also
  // takes the liveness range's appends).
  double ingest_time() { return core::disk_time(disk(), models::sst_ingest_op(p.snapshot_bytes.bytes)); }
  double append_time() { return core::disk_time(disk(), models::log_append_op(p.request_bytes.bytes)); }
  // Until the snapshot is surely applied: the leader resends it at most the paused rounds
  // (stream time + election timeout, in heartbeats) after the follower returned.
  double settled() const {
    return kBack + 2 * (p.snapshot_stream_time() + p.election_timeout() + p.heartbeat_interval()) + 10;
  }
  std::vector<engine::Event> applied() const { return bed->events(engine::EventKind::kCrdbSnapshotApplied); }
  // What the durability ledger counts if the run ended now with crdb-1 and crdb-2 lost.
  nlohmann::json ledger_with_only_crdb3_left(double now) {
    bed->crash("crdb-1");
    bed->crash("crdb-2");
    return bed->sim().finish(now).durability["crdb"];
  }
};

TEST(CrdbSnapshotShell, ACutOffFollowerAppliesTheSnapshotAfterTheRateLimitedStreamAndItsDiskWrite) {
  SnapshotBed t;
  const double stream = t.p.snapshot_stream_time();
  // The rate limit binds, not the 10 GbE link: this is what the test pins.
  ASSERT_GT(stream, 10 * t.p.snapshot_bytes.bytes / 1.25e9);
  t.bed->run_until(t.settled());
  const auto applied = t.applied();
  ASSERT_EQ(applied.size(), 1u) << "one snapshot, not resent while it streams";
  const auto& e = applied[0];
  EXPECT_EQ(e.fields["node"], "crdb-3");
  EXPECT_EQ(e.fields["range"], "r1");
  EXPECT_GE(e.t_s, SnapshotBed::kBack + stream + t.ingest_time());
  const double transfer = e.fields["transfer_s"].get<double>();
  EXPECT_GE(transfer, stream + t.ingest_time() - 1e-9);
  // At most a few liveness appends ahead of it on crdb-3's disk.
  EXPECT_LE(transfer, stream + t.ingest_time() + 4 * t.append_time()) << e.fields.dump();
  for (const auto& s : t.sent) EXPECT_EQ(s->outcome, engine::Outcome::kOk) << "a majority stayed up: at " << s->at;
}

TEST(CrdbSnapshotShell, AFollowerWithASlowDiskAppliesTheSnapshotLater) {
  const double slowdown = 10;
  SnapshotBed t(slowdown);
  t.bed->run_until(t.settled());
  const auto applied = t.applied();
  ASSERT_EQ(applied.size(), 1u);
  const double transfer = applied[0].fields["transfer_s"].get<double>();
  const double stream = t.p.snapshot_stream_time();
  EXPECT_GE(transfer, stream + slowdown * t.ingest_time() - 1e-9);
  EXPECT_LE(transfer, stream + slowdown * (t.ingest_time() + 4 * t.append_time())) << applied[0].fields.dump();
}

// The ledger's notion of a live copy: a write counts as held by crdb-3 only once its log or
// its snapshot has it. Two beds run the same seed: one ends while crdb-3 is still ingesting
// the snapshot, the other once it applied it and the next heartbeat brought the rest.
TEST(CrdbSnapshotShell, TheReturningReplicaHoldsTheRangesWritesOnlyOnceTheSnapshotIsApplied) {
  SnapshotBed reference;
  reference.bed->run_until(reference.settled());
  ASSERT_EQ(reference.applied().size(), 1u);
  const double applied_at = reference.applied()[0].t_s;

  SnapshotBed ingesting;
  ingesting.bed->run_until(applied_at - ingesting.ingest_time() / 2);
  ASSERT_TRUE(ingesting.applied().empty()) << "same seed, same run: still ingesting";
  const auto before = ingesting.ledger_with_only_crdb3_left(applied_at - ingesting.ingest_time() / 2);
  EXPECT_GT(before["acknowledged"].get<uint64_t>(), 100u);
  EXPECT_EQ(before["lost"], before["acknowledged"]) << "every write committed while crdb-3 was away";

  const double after_at = applied_at + reference.p.heartbeat_interval() + 1;
  reference.bed->run_until(after_at);
  const auto after = reference.ledger_with_only_crdb3_left(after_at);
  EXPECT_EQ(after["acknowledged"], before["acknowledged"]);
  EXPECT_EQ(after["lost"].get<uint64_t>(), 0u);
}

}  // namespace
}  // namespace mailsim::testing
