// The mysql_orchestrator shell on a test bed (no SimGrid): Orchestrator learns of the
// primary's loss only through its reads over the network and its replicas' confirmation,
// and clients reach the new primary only once the writer address moved. Windows come from
// the component's params (instance_poll, connect_timeout, promotion_time, recovery_block).
#include <gtest/gtest.h>

#include "models/mysql_orchestrator/mysql_orchestrator.hpp"
#include "models/mysql_orchestrator/mysql_orchestrator_params.hpp"
#include "tests/engine/shells/test_bed_helpers.hpp"

namespace mailsim::testing {
namespace {

using engine::EventKind;
using engine::Outcome;

struct MysqlBed {
  MysqlBed()
      : bed(test_bed("tests/engine/shells/topologies/mysql-orchestrator.yaml",
                     quiet_scenario("7200s", "60s"))),
        p(params_of(*bed, "mysql", models::mysql_orchestrator_params())) {
    bed->start();
  }
  std::unique_ptr<engine::TestBed> bed;
  models::MysqlOrchestratorParams p;
  double poll() const { return p.instance_poll.seconds; }
  double connect() const { return p.connect_timeout.seconds; }
  double promote() const { return p.promotion_time.seconds; }
  // Network round trips and the requests' CPU.
  static constexpr double kSlack = 0.05;
  std::vector<engine::Event> failovers_done() const {
    return bed->events(EventKind::kFailoverCompleted);
  }
  void cut(std::vector<std::string> a, std::vector<std::string> b) {
    bed->ctx().net.add_cut(bed->platform().ids_of(a), bed->platform().ids_of(b), false);
  }
};

TEST(MysqlOrchestratorShell,
     PrimaryCrashFailsOverAfterAFailedPollTheReplicasConfirmationAndPromotion) {
  MysqlBed t;
  auto& bed = *t.bed;
  const double crash = 12.3;  // between two polls (every instance_poll from t = 0)
  bed.run_until(crash);
  bed.crash("db-1");
  std::vector<std::unique_ptr<Sent>> during;
  send_at(bed, crash + 0.5, "smtp", during);
  bed.run_until(crash +
                30);  // past the failover and the client's SYN retransmissions (1, 3, 7, 15 s)
  auto done = t.failovers_done();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].fields["from"], "db-1");
  EXPECT_EQ(done[0].fields["to"], "db-2");
  // The next poll after the crash fails at its connect timeout; the replicas' restarted IO
  // threads fail to reconnect within another connect timeout; then the promotion.
  const double next_poll = std::ceil(crash / t.poll()) * t.poll();
  EXPECT_NEAR(done[0].t_s, next_poll + 2 * t.connect() + t.promote(), MysqlBed::kSlack);
  auto analysis = bed.events(EventKind::kOrchestratorAnalysis);
  ASSERT_EQ(analysis.size(), 1u);
  EXPECT_EQ(analysis[0].fields["analysis"], "DeadMaster");
  EXPECT_EQ(analysis[0].fields["recovery"], "started");
  // The client's SYNs to the writer address went unanswered until it moved; a later
  // retransmission reached the new primary.
  ASSERT_TRUE(during[0]->ended);
  EXPECT_EQ(during[0]->outcome, Outcome::kOk);
  EXPECT_GE(during[0]->end, done[0].t_s);
}

TEST(MysqlOrchestratorShell, OrchestratorCutFromThePrimaryAloneDoesNotFailOver) {
  MysqlBed t;
  auto& bed = *t.bed;
  t.cut({"orch-1"}, {"db-1"});
  bed.run_until(3 * t.poll() + 1);
  EXPECT_TRUE(t.failovers_done().empty());
  auto analysis = bed.events(EventKind::kOrchestratorAnalysis);
  ASSERT_FALSE(analysis.empty());
  for (const auto& a : analysis) EXPECT_EQ(a.fields["analysis"], "UnreachableMaster");
  std::vector<std::unique_ptr<Sent>> sent;
  send_at(bed, bed.sched().now(), "smtp", sent);
  bed.run_until(bed.sched().now() + 1);
  ASSERT_TRUE(sent[0]->ended);
  EXPECT_EQ(sent[0]->outcome, Outcome::kOk) << "the primary still serves its clients";
}

TEST(MysqlOrchestratorShell, PrimaryIsolatedFromOrchestratorAndReplicasFailsOver) {
  MysqlBed t;
  auto& bed = *t.bed;
  t.cut({"db-1"}, {"orch-1", "db-2", "db-3"});
  bed.run_until(t.poll() + 2 * t.connect() + t.promote() + MysqlBed::kSlack);
  auto done = t.failovers_done();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].fields["to"], "db-2");
  auto started = bed.events(EventKind::kFailoverStarted);
  ASSERT_EQ(started.size(), 1u);
  EXPECT_EQ(started[0].fields["cause"], "dead_master");
}

TEST(MysqlOrchestratorShell, StoppedMysqldRefusesClientsAtOnce) {
  MysqlBed t;
  auto& bed = *t.bed;
  bed.run_until(1);
  bed.sim().component("mysql")->stop_instance(bed.node("db-1"));
  std::vector<std::unique_ptr<Sent>> sent;
  send_at(bed, 1.5, "smtp", sent);
  bed.run_until(1.5 + MysqlBed::kSlack);
  ASSERT_TRUE(sent[0]->ended);
  EXPECT_EQ(sent[0]->outcome, Outcome::kRefused);
  // A refusal is confirmed as quickly: the failover follows the next poll.
  bed.run_until(t.poll() + t.promote() + MysqlBed::kSlack);
  ASSERT_EQ(t.failovers_done().size(), 1u);
  EXPECT_NEAR(t.failovers_done()[0].t_s, t.poll() + t.promote(), MysqlBed::kSlack);
}

TEST(MysqlOrchestratorShell, ASecondDeadMasterWithinTheRecoveryBlockIsNotRecovered) {
  MysqlBed t;
  auto& bed = *t.bed;
  ASSERT_GT(t.p.recovery_block.seconds, 10 * t.poll());
  bed.run_until(1);
  bed.crash("db-1");
  bed.run_until(2 * t.poll() + 2 * t.connect() + t.promote());
  ASSERT_EQ(t.failovers_done().size(), 1u);
  bed.crash("db-2");  // the new primary; db-3 replicates from it
  bed.run_until(bed.sched().now() + 3 * t.poll());
  EXPECT_EQ(t.failovers_done().size(), 1u);
  auto analysis = bed.events(EventKind::kOrchestratorAnalysis);
  ASSERT_GE(analysis.size(), 2u);
  EXPECT_EQ(analysis.back().fields["analysis"], "DeadMaster");
  EXPECT_EQ(analysis.back().fields["recovery"], "blocked");
}

TEST(MysqlOrchestratorShell, WithOrchestratorDownNobodyPromotes) {
  MysqlBed t;
  auto& bed = *t.bed;
  bed.run_until(1);
  bed.crash("orch-1");
  bed.crash("db-1");
  bed.run_until(10 * t.poll());
  EXPECT_TRUE(t.failovers_done().empty());
  std::vector<std::unique_ptr<Sent>> sent;
  send_at(bed, bed.sched().now(), "smtp", sent);
  bed.run_until(bed.sched().now() + 70);
  ASSERT_TRUE(sent[0]->ended);
  EXPECT_EQ(sent[0]->outcome, Outcome::kTimeout)
      << "the writer address still points at the dead primary";
}

}  // namespace
}  // namespace mailsim::testing
