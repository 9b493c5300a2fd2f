// The tarantool shell on a test bed (no SimGrid): the coordinator learns of the leader's loss
// only through its membership pings over the network, the instances and routers only through
// the appointment written to etcd, and clients only through their own timeouts. Windows come
// from the component's params (protocol_period, ack_timeout, failover_timeout, fencing_*).
#include <gtest/gtest.h>

#include <cmath>

#include "models/tarantool/tarantool_params.hpp"
#include "tests/engine/shells/test_bed_helpers.hpp"

namespace mailsim::testing {
namespace {

using engine::EventKind;
using engine::Outcome;

struct TarantoolBed {
  explicit TarantoolBed(const std::string& topo = "tarantool")
      : bed(test_bed("tests/engine/shells/topologies/" + topo + ".yaml", quiet_scenario("7200s", "120s"))),
        p(params_of(*bed, "kv", models::tarantool_params())) {
    bed->start();
  }
  std::unique_ptr<engine::TestBed> bed;
  models::TarantoolParams p;
  // Network round trips, etcd's Raft commit and the requests' CPU.
  static constexpr double kSlack = 0.05;
  // The coordinator pings at multiples of protocol_period; a lost leader is suspect after the
  // direct and the indirect ack_timeout, dead failover_timeout later.
  double dead_at(double lost) const {
    const double tick = std::floor(lost / p.protocol_period.seconds + 1) * p.protocol_period.seconds;
    return tick + 2 * p.ack_timeout.seconds + p.failover_timeout.seconds;
  }
  std::vector<engine::Event> done() const { return bed->events(EventKind::kFailoverCompleted); }
  void cut(std::vector<std::string> a, std::vector<std::string> b) {
    bed->ctx().net.add_cut(bed->platform().ids_of(a), bed->platform().ids_of(b), false);
  }
};

TEST(TarantoolShell, LeaderCrashFailsOverAtSuspicionPlusFailoverTimeoutPlusTheAppointment) {
  TarantoolBed t;
  auto& bed = *t.bed;
  const double crash = 30.3;
  bed.run_until(crash);
  bed.crash("t-1");
  std::vector<std::unique_ptr<Sent>> during;
  send_at(bed, crash + 1, "read", during);
  bed.run_until(crash + 90);
  auto done = t.done();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].fields["from"], "t-1");
  EXPECT_EQ(done[0].fields["to"], "t-2");
  EXPECT_NEAR(done[0].t_s, t.dead_at(crash), TarantoolBed::kSlack);
  EXPECT_GE(done[0].t_s, t.dead_at(crash)) << "the appointment is written after the dead verdict";
  EXPECT_NEAR(first_event_at(bed, EventKind::kMembershipStatus, "status", "suspect"),
              t.dead_at(crash) - t.p.failover_timeout.seconds, 1e-6);
  EXPECT_NEAR(first_event_at(bed, EventKind::kTarantoolRole, "node", "t-2"), done[0].t_s, TarantoolBed::kSlack);
  // The client's SYNs to the dead leader went unanswered until the routers followed the
  // appointment; a later retransmission reached t-2.
  ASSERT_TRUE(during[0]->ended);
  EXPECT_EQ(during[0]->outcome, Outcome::kOk);
  EXPECT_GE(during[0]->end, done[0].t_s);
}

TEST(TarantoolShell, AClientCutFromTheLeaderGetsNoAnswerUntilTheAppointmentMovesItsRouter) {
  TarantoolBed t;
  auto& bed = *t.bed;
  const double cut = 40.5;
  bed.run_until(cut);
  t.cut({"t-1"}, {"app-1", "t-2", "coord-1", "e-1", "e-2", "e-3"});
  std::vector<std::unique_ptr<Sent>> sent;
  send_at(bed, cut + 1, "read", sent);
  bed.run_until(t.dead_at(cut) - TarantoolBed::kSlack);
  // No refusal and no early error: the client hears nothing, so only its own timeout (or
  // its SYN retransmissions) can end the request.
  EXPECT_FALSE(sent[0]->ended);
  bed.run_until(t.dead_at(cut) + 60);
  auto done = t.done();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_NEAR(done[0].t_s, t.dead_at(cut), TarantoolBed::kSlack);
  auto started = bed.events(EventKind::kFailoverStarted);
  ASSERT_EQ(started.size(), 1u);
  EXPECT_EQ(started[0].fields["cause"], "membership_dead");
  ASSERT_TRUE(sent[0]->ended);
  EXPECT_EQ(sent[0]->outcome, Outcome::kOk);
  EXPECT_GE(sent[0]->end, done[0].t_s) << "a SYN retransmission after the appointment reached t-2";
  send_at(bed, bed.sched().now(), "write", sent);
  bed.run_until(bed.sched().now() + 1);
  ASSERT_TRUE(sent[1]->ended);
  EXPECT_EQ(sent[1]->outcome, Outcome::kOk) << "the appointed t-2 takes writes";
}

TEST(TarantoolShell, TheCoordinatorCutFromTheLeaderAloneDoesNotFailOver) {
  TarantoolBed t;
  auto& bed = *t.bed;
  t.cut({"coord-1"}, {"t-1"});
  bed.run_until(3 * t.p.failover_timeout.seconds);
  EXPECT_TRUE(t.done().empty());
  EXPECT_TRUE(bed.events(EventKind::kMembershipStatus).empty()) << "the indirect pings through t-2 are acked";
}

TEST(TarantoolShell, AStoppedInstanceRefusesAtOnce) {
  TarantoolBed t;
  auto& bed = *t.bed;
  const double stop = 20.3;
  bed.run_until(stop);
  bed.sim().component("kv")->stop_instance(bed.node("t-1"));
  std::vector<std::unique_ptr<Sent>> sent;
  send_at(bed, stop + 0.2, "read", sent);
  bed.run_until(stop + 0.2 + TarantoolBed::kSlack);
  ASSERT_TRUE(sent[0]->ended);
  EXPECT_EQ(sent[0]->outcome, Outcome::kRefused);
  // Membership is UDP: a stopped process answers no ping either, so the coordinator needs
  // the same suspicion and failover_timeout as for a crash.
  bed.run_until(t.dead_at(stop) + 1);
  ASSERT_EQ(t.done().size(), 1u);
  EXPECT_NEAR(t.done()[0].t_s, t.dead_at(stop), TarantoolBed::kSlack);
}

TEST(TarantoolShell, ADeadLeaderIsImmuneForImmunityTimeoutAfterItsAppointment) {
  TarantoolBed t;
  auto& bed = *t.bed;
  // The coordinator's first appointment is at t = 0: a loss at 0.5 s is dead before the
  // immunity ends, so the appointment waits for it.
  ASSERT_LT(t.dead_at(0.5), t.p.immunity_timeout.seconds + 10);
  bed.run_until(0.5);
  bed.crash("t-1");
  bed.run_until(60);
  ASSERT_EQ(t.done().size(), 1u);
  EXPECT_NEAR(t.done()[0].t_s, std::max(t.dead_at(0.5), t.p.immunity_timeout.seconds), TarantoolBed::kSlack);
}

TEST(TarantoolShell, WithTheCoordinatorDownNobodyAppoints) {
  TarantoolBed t;
  auto& bed = *t.bed;
  bed.run_until(20);
  bed.crash("coord-1");
  bed.crash("t-1");
  bed.run_until(200);
  EXPECT_TRUE(t.done().empty());
}

TEST(TarantoolShell, ARestartedCoordinatorTakesControlOnceItsOldLockExpired) {
  TarantoolBed t;
  auto& bed = *t.bed;
  bed.run_until(20.2);
  bed.crash("coord-1");
  bed.crash("t-1");
  bed.run_until(40.2);
  bed.restart("coord-1");
  bed.run_until(200);
  ASSERT_EQ(t.done().size(), 1u);
  // Its fresh membership needs the suspicion and failover_timeout again, and its control loop
  // finds t-1 appointed and immune: the later of the two.
  EXPECT_GE(t.done()[0].t_s, 41 + t.p.failover_timeout.seconds);
  EXPECT_GE(t.done()[0].t_s, 40.2 + t.p.immunity_timeout.seconds);
  EXPECT_EQ(t.done()[0].fields["to"], "t-2");
}

TEST(TarantoolShell, FencingMakesALeaderCutFromTheProviderAndItsReplicaReadOnly) {
  TarantoolBed t("tarantool-fencing");
  auto& bed = *t.bed;
  ASSERT_TRUE(t.p.fencing_enabled);
  const double cut = 30.5;
  bed.run_until(cut);
  t.cut({"t-1"}, {"t-2", "coord-1", "e-1", "e-2", "e-3"});  // app-1 still reaches t-1
  bed.run_until(cut + t.p.fencing_timeout.seconds + 2 * t.p.fencing_pause.seconds + 1);
  const double fenced = first_event_at(bed, EventKind::kTarantoolRole, "role", "fenced");
  ASSERT_GT(fenced, 0);
  EXPECT_GE(fenced, cut + t.p.fencing_timeout.seconds);
  EXPECT_LE(fenced, cut + t.p.fencing_timeout.seconds + 2 * t.p.fencing_pause.seconds);
  ASSERT_LT(fenced, t.dead_at(cut)) << "fenced before the coordinator appoints t-2";
  std::vector<std::unique_ptr<Sent>> sent;
  send_at(bed, bed.sched().now(), "write", sent);
  bed.run_until(bed.sched().now() + 1);
  ASSERT_TRUE(sent[0]->ended);
  EXPECT_EQ(sent[0]->outcome, Outcome::kReadOnly) << "the routers still send to t-1, which refuses writes";
}

TEST(TarantoolShell, WithoutFencingACutOffLeaderKeepsTakingWrites) {
  TarantoolBed t;
  auto& bed = *t.bed;
  ASSERT_FALSE(t.p.fencing_enabled) << "Cartridge's default";
  const double cut = 30.5;
  bed.run_until(cut);
  t.cut({"t-1"}, {"t-2", "coord-1", "e-1", "e-2", "e-3"});
  bed.run_until(cut + t.p.fencing_timeout.seconds + 2 * t.p.fencing_pause.seconds + 1);
  std::vector<std::unique_ptr<Sent>> sent;
  send_at(bed, bed.sched().now(), "write", sent);
  bed.run_until(bed.sched().now() + 1);
  ASSERT_TRUE(sent[0]->ended);
  EXPECT_EQ(sent[0]->outcome, Outcome::kOk);
}

}  // namespace
}  // namespace mailsim::testing
