// The nfs shell (server mode) on a test bed (no SimGrid): nfs(5) mount semantics and the
// NFSv4 grace period. Windows come from the component's params (timeo, retrans, timeo_max,
// grace_period, grace_retry_max) and from RpcTimeouts, the model's SimGrid-free logic of the
// client's retransmission schedule.
#include <gtest/gtest.h>

#include <cmath>

#include "models/nfs/nfs_logic.hpp"
#include "models/nfs/nfs_params.hpp"
#include "tests/engine/shells/test_bed_helpers.hpp"

namespace mailsim::testing {
namespace {

using engine::Outcome;

struct NfsBed {
  explicit NfsBed(const std::string& topology)
      : bed(test_bed(topology, quiet_scenario("3600s", "3000s"))), p(params_of(*bed, "maildir", models::nfs_params())) {}
  std::unique_ptr<engine::TestBed> bed;
  models::NfsParams p;
  // The mail step's CPU and the LAN round trips around the NFS call.
  static constexpr double kSlack = 0.5;
};

TEST(NfsShell, HardMountCallStallsThroughTheOutageThenWaitsOutTheGracePeriod) {
  NfsBed t("topologies/tutorial/nfs-server.yaml");
  auto& bed = *t.bed;
  ASSERT_EQ(t.p.mount, "hard");
  const double timeo = t.p.timeo.seconds, grace = t.p.grace_period.seconds;
  // The call's first retransmission (timeo after it was sent) must reach the server during
  // its grace period for this scenario: the server is back timeo / 2 after the call.
  ASSERT_LT(timeo / 2, grace);
  bed.start();
  const double crash = 10, sent_at = crash + 1, back = sent_at + timeo / 2;
  std::vector<std::unique_ptr<Sent>> stalled, in_grace, after_grace;
  send_at(bed, sent_at, "imap", stalled);       // a fetch while the server is down
  send_at(bed, back + 1, "smtp", in_grace);     // a delivery while clients reclaim state
  send_at(bed, back + grace + 1, "imap", after_grace);
  bed.run_until(crash);
  bed.crash("nfs-1");
  bed.run_until(back);
  EXPECT_FALSE(stalled[0]->ended) << "a hard mount never gives up: the call is still blocked";
  bed.restart("nfs-1");
  bed.run_until(back + grace + t.p.grace_retry_max.seconds + timeo);
  EXPECT_DOUBLE_EQ(first_event_at(bed, engine::EventKind::kNfsGraceStarted, "server", "nfs-1"), back);
  EXPECT_DOUBLE_EQ(first_event_at(bed, engine::EventKind::kNfsGraceEnded, "server", "nfs-1"), back + grace);
  // Both state-changing calls get NFS4ERR_GRACE until the period ends; the client polls
  // with a backoff capped at grace_retry_max, so it gets through within that of the end.
  for (const auto* s : {stalled[0].get(), in_grace[0].get()}) {
    ASSERT_TRUE(s->ended) << s->at;
    EXPECT_EQ(s->outcome, Outcome::kOk) << s->at;
    EXPECT_GE(s->end, back + grace) << s->at;
    EXPECT_LE(s->end, back + grace + t.p.grace_retry_max.seconds + NfsBed::kSlack) << s->at;
  }
  ASSERT_TRUE(after_grace[0]->ended);
  EXPECT_EQ(after_grace[0]->outcome, Outcome::kOk);
  EXPECT_LT(after_grace[0]->end - after_grace[0]->at, NfsBed::kSlack) << "served at once after the grace period";
}

TEST(NfsShell, SoftMountCallFailsWithIoErrorAtTheMajorTimeout) {
  NfsBed t("topologies/tutorial/nfs-server-soft.yaml");
  auto& bed = *t.bed;
  ASSERT_EQ(t.p.mount, "soft");
  const double major = models::RpcTimeouts(t.p.timeo.seconds, t.p.retrans, t.p.timeo_max.seconds).major_timeout();
  bed.start();
  const double crash = 10, sent_at = crash + 1;
  std::vector<std::unique_ptr<Sent>> sent;
  send_at(bed, sent_at, "imap", sent);
  bed.run_until(crash);
  bed.crash("nfs-1");
  bed.run_until(sent_at + major - NfsBed::kSlack);
  EXPECT_FALSE(sent[0]->ended) << "no EIO before the major timeout";
  bed.run_until(sent_at + major + NfsBed::kSlack);
  ASSERT_TRUE(sent[0]->ended);
  EXPECT_EQ(sent[0]->outcome, Outcome::kIoError);
  EXPECT_GE(sent[0]->end, sent_at + major);
  const double not_responding = first_event_at(bed, engine::EventKind::kNfsNotResponding, "server", "nfs-1");
  EXPECT_GE(not_responding, sent_at + major);
  EXPECT_LE(not_responding, sent[0]->end);
}

}  // namespace
}  // namespace mailsim::testing

namespace mailsim::testing {
namespace {

// RuPost's switch after switch_check_fall failed checks, the first at the first check after
// `lost` (checks every switch_check_interval from time 0), each failing `answer_after` after
// it was sent.
double switch_at(const models::NfsParams& p, double lost, double answer_after) {
  const double interval = p.switch_check_interval.seconds;
  const double first = std::ceil(lost / interval) * interval;
  return first + (p.switch_check_fall - 1) * interval + answer_after;
}

TEST(NfsShell, RupostSwitchesFromAPartitionedMasterOnlyAfterItsChecksTimeOut) {
  NfsBed t("topologies/tutorial/rupost-maildir.yaml");
  auto& bed = *t.bed;
  bed.start();
  const double cut_at = 60.5;
  bed.run_until(cut_at);
  // The master stays up; only the mail nodes lose it.
  bed.ctx().net.add_cut({bed.node("rupost-1"), bed.node("rupost-2")}, {bed.node("store-1")}, false);
  const double expected = switch_at(t.p, cut_at, t.p.switch_check_timeout.seconds);
  bed.run_until(expected - 1e-6);
  EXPECT_TRUE(bed.events(engine::EventKind::kFailoverCompleted).empty()) << "no check has failed switch_check_fall times yet";
  bed.run_until(expected + 1);
  ASSERT_EQ(bed.events(engine::EventKind::kFailoverCompleted).size(), 1u);
  const auto f = bed.events(engine::EventKind::kFailoverCompleted)[0];
  EXPECT_DOUBLE_EQ(f.t_s, expected);
  EXPECT_EQ(f.fields["from"], "store-1");
  EXPECT_EQ(f.fields["to"], "store-2");
}

TEST(NfsShell, RupostLearnsOfAStoppedKnfsdFromTheRefusalNotTheTimeout) {
  NfsBed t("topologies/tutorial/rupost-maildir.yaml");
  auto& bed = *t.bed;
  bed.start();
  const double stop_at = 60.5;
  bed.run_until(stop_at);
  bed.sim().component("maildir")->stop_instance(bed.node("store-1"));  // the host stays up
  bed.run_until(switch_at(t.p, stop_at, t.p.switch_check_timeout.seconds) + 1);
  ASSERT_EQ(bed.events(engine::EventKind::kFailoverCompleted).size(), 1u);
  const double at = bed.events(engine::EventKind::kFailoverCompleted)[0].t_s;
  const double third_check = switch_at(t.p, stop_at, 0);
  EXPECT_GT(at, third_check);
  EXPECT_LT(at, third_check + 0.01) << "the refusal comes back after one LAN round trip";
}

TEST(NfsShell, ApplianceHeadTakesOverAfterHeartbeatsAndMailboxStampsStop) {
  NfsBed t("topologies/tutorial/nfs-appliance.yaml");
  auto& bed = *t.bed;
  bed.start();
  const double crash = 60.5;
  bed.run_until(crash);
  bed.crash("san-a");
  bed.run_until(crash + 120);
  ASSERT_EQ(bed.events(engine::EventKind::kFailoverCompleted).size(), 1u);
  const double done = bed.events(engine::EventKind::kFailoverCompleted)[0].t_s;
  const double hb = t.p.heartbeat_interval.seconds, detect = t.p.takeover_detection.seconds, take = t.p.takeover_export.seconds;
  // The partner decides at a heartbeat tick takeover_detection after the last beat it heard
  // (at most one interval before the crash), then takes takeover_export.
  EXPECT_GE(done, crash - hb + detect + take);
  EXPECT_LE(done, crash + hb + detect + take);
  EXPECT_DOUBLE_EQ(first_event_at(bed, engine::EventKind::kNfsGraceStarted, "server", "san-b"), done);
}

TEST(NfsShell, AppliancePartitionBetweenHeadsCausesNoTakeoverWhileTheMailboxIsStamped) {
  NfsBed t("topologies/tutorial/nfs-appliance.yaml");
  auto& bed = *t.bed;
  bed.start();
  bed.run_until(60.5);
  bed.ctx().net.add_cut({bed.node("san-a")}, {bed.node("san-b")}, false);
  bed.run_until(60.5 + 10 * t.p.takeover_detection.seconds);
  EXPECT_TRUE(bed.events(engine::EventKind::kNfsTakeoverStarted).empty()) << "the network heartbeats stop, the mailbox stamps do not";
  EXPECT_TRUE(bed.events(engine::EventKind::kFailoverCompleted).empty());
}

}  // namespace
}  // namespace mailsim::testing

namespace mailsim::testing {
namespace {

// `n` deliveries (smtp) spread evenly over [from, to).
void deliver(engine::TestBed& bed, double from, double to, int n, std::vector<std::unique_ptr<Sent>>& into) {
  for (int i = 0; i < n; ++i) send_at(bed, from + (to - from) * i / n, "smtp", into);
}

TEST(NfsShell, RupostLosesExactlyTheDeliveriesNoRsyncRunHadCopiedWhenTheMasterDies) {
  NfsBed t("topologies/tutorial/rupost-maildir.yaml");
  auto& bed = *t.bed;
  const double interval = t.p.replica_sync_interval.seconds, crash = 1.5 * interval;
  // Deliveries before the first run's scan, between it and the crash, and none within half
  // a second of either (a delivery takes milliseconds).
  std::vector<std::unique_ptr<Sent>> before_scan, after_scan;
  deliver(bed, 1, interval - 0.5, 200, before_scan);
  deliver(bed, interval + 0.5, crash - 0.5, 150, after_scan);
  bed.start();
  bed.run_until(crash);
  bed.crash("store-1");
  bed.run_until(crash + 60);
  for (const auto* v : {&before_scan, &after_scan})
    for (const auto& s : *v) ASSERT_EQ(s->outcome, engine::Outcome::kOk);
  const auto runs = bed.events(engine::EventKind::kNfsSyncCompleted);
  ASSERT_EQ(runs.size(), 1u) << "one run, at the first interval, done before the crash";
  EXPECT_DOUBLE_EQ(runs[0].fields["messages"].get<double>(), 200) << "it copied what its scan found";
  const auto lost = bed.events(engine::EventKind::kMailLost);
  ASSERT_EQ(lost.size(), 1u);
  EXPECT_EQ(lost[0].fields["count"].get<uint64_t>(), 150u) << "acknowledged after the scan: only on the master";
  EXPECT_EQ(bed.events(engine::EventKind::kFailoverCompleted)[0].fields["lost_messages"].get<uint64_t>(), 150u);
}

TEST(NfsShell, RsyncRunTakesLongerAndTheReplicaLagsFurtherUnderAHeavierWriteLoad) {
  auto run_at = [](int deliveries) {
    NfsBed t("topologies/tutorial/rupost-maildir.yaml");
    const double interval = t.p.replica_sync_interval.seconds;
    std::vector<std::unique_ptr<Sent>> sent;
    // The same rate before the first run's scan and while it copies.
    deliver(*t.bed, 1, interval + 9, deliveries * (interval + 8) / (interval - 2), sent);
    t.bed->start();
    t.bed->run_until(interval + 30);
    const auto runs = t.bed->events(engine::EventKind::kNfsSyncCompleted);
    EXPECT_EQ(runs.size(), 1u);
    return std::make_pair(runs.at(0).fields["duration_s"].get<double>(), runs.at(0).fields["behind_s"].get<double>());
  };
  const auto [light, light_lag] = run_at(300);
  const auto [heavy, heavy_lag] = run_at(1200);
  // Each message costs the same read, transfer and write: four times the messages, about
  // four times the run.
  EXPECT_GT(heavy, 3.5 * light);
  EXPECT_LT(heavy, 4.5 * light);
  // Right after the run the replica lacks what was acknowledged while it copied: the
  // longer run leaves it further behind.
  EXPECT_GT(light_lag, 0);
  EXPECT_GT(heavy_lag, 2 * light_lag);
}

}  // namespace
}  // namespace mailsim::testing

namespace mailsim::testing {
namespace {

TEST(NfsShell, ApplianceStandbyBackWhileThePartnerIsDownTakesOverOnlyAfterItsOwnDetection) {
  NfsBed t("topologies/tutorial/nfs-appliance.yaml");
  auto& bed = *t.bed;
  bed.start();
  const double crash = 60.5, back = crash + 5;
  bed.run_until(crash);
  bed.crash("san-b");  // the standby, then the serving head
  bed.crash("san-a");
  bed.run_until(back);
  bed.restart("san-b");  // san-a stays down
  const double detect = t.p.takeover_detection.seconds, take = t.p.takeover_export.seconds, hb = t.p.heartbeat_interval.seconds;
  bed.run_until(back + detect + take + 2 * hb);
  ASSERT_EQ(bed.events(engine::EventKind::kFailoverCompleted).size(), 1u);
  const double done = bed.events(engine::EventKind::kFailoverCompleted)[0].t_s;
  EXPECT_GE(done, back + detect + take) << "nothing told san-b that san-a is gone";
  EXPECT_LE(done, back + detect + take + hb);
  EXPECT_EQ(bed.events(engine::EventKind::kFailoverCompleted)[0].fields["to"], "san-b");
}

}  // namespace
}  // namespace mailsim::testing
