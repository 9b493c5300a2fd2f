// The mysql_orchestrator shell on a test bed (no SimGrid): Orchestrator learns of the
// primary's loss only through its reads over the network and its replicas' confirmation,
// and clients reach the new primary only once the writer address moved. Windows come from
// the component's params (instance_poll, connect_timeout, hook_time, recovery_block) and the
// recovery's statements, each one round trip on the topology's LAN.
#include <gtest/gtest.h>

#include "models/mysql_orchestrator/mysql_orchestrator.hpp"
#include "models/mysql_orchestrator/mysql_orchestrator_logic.hpp"
#include "models/mysql_orchestrator/mysql_orchestrator_params.hpp"
#include "tests/engine/shells/test_bed_helpers.hpp"

namespace mailsim::testing {
namespace {

using engine::EventKind;
using engine::Outcome;

struct MysqlBed {
  explicit MysqlBed(const std::string& topology = "tests/engine/shells/topologies/mysql-orchestrator.yaml")
      : bed(test_bed(topology, quiet_scenario("7200s", "60s"))),
        p(params_of(*bed, "mysql", models::mysql_orchestrator_params())) {
    bed->start();
  }
  std::unique_ptr<engine::TestBed> bed;
  models::MysqlOrchestratorParams p;
  double poll() const { return p.instance_poll.seconds; }
  double connect() const { return p.connect_timeout.seconds; }
  // One statement: Orchestrator's node to an instance's and back, on idle links (two NICs
  // and the switch each way, probe_bytes through the slowest link).
  double round_trip() const {
    const auto& n = bed->topology().network;
    const double one_way = 2 * n.nic_latency.seconds + n.backbone_latency.seconds +
                           p.probe_bytes.bytes / std::min(n.nic_bandwidth.bytes_per_s, n.backbone_bandwidth.bytes_per_s);
    return 2 * one_way;
  }
  static size_t statements(models::RecoveryPhase ph) { return models::phase_statements(ph).size(); }
  // The recovery after a DeadMaster confirmed by `replicas` replicas: with two or more,
  // stop them all (in parallel), move the others below the candidate, then promote it and
  // run the hook, one statement after the other.
  double promote(size_t replicas = 2) const {
    using models::RecoveryPhase;
    size_t n = statements(RecoveryPhase::kPromote) + statements(RecoveryPhase::kHook);
    if (models::stops_replicas_first(replicas))
      n += statements(RecoveryPhase::kStopReplicas) + statements(RecoveryPhase::kRepointReplicas);
    return static_cast<double>(n) * round_trip() + p.hook_time.seconds;
  }
  // Network round trips and the requests' CPU.
  static constexpr double kSlack = 0.05;
  std::vector<engine::Event> failovers_done() const {
    return bed->events(EventKind::kFailoverCompleted);
  }
  void cut(std::vector<std::string> a, std::vector<std::string> b) {
    bed->ctx().net.add_cut(bed->platform().ids_of(a), bed->platform().ids_of(b), false);
  }
  // Crashes the primary db-1 between two polls and runs until Orchestrator's analysis is
  // logged (the recovery's first statements are then on their way); returns its time, or -1.
  double crash_primary_until_analysis() {
    bed->run_until(12.3);
    bed->crash("db-1");
    const double by = 12.3 + 2 * poll() + 2 * connect();
    while (bed->events(EventKind::kOrchestratorAnalysis).empty() && bed->sched().now() < by)
      bed->run_until(bed->sched().now() + 1e-5);
    auto a = bed->events(EventKind::kOrchestratorAnalysis);
    return a.empty() ? -1 : a[0].t_s;
  }
  // The recovery's phases as logged: "phase instance result" in order.
  std::vector<std::string> recovery_log() const {
    std::vector<std::string> out;
    for (const auto& e : bed->events(EventKind::kOrchestratorRecovery))
      out.push_back(e.fields["phase"].get<std::string>() + " " + e.fields["instance"].get<std::string>() + " " +
                    e.fields["result"].get<std::string>());
    return out;
  }
};

constexpr const char* kPair = "tests/engine/shells/topologies/mysql-orchestrator-pair.yaml";
// The recovery's window is round trips of a few hundred microseconds: compare to within 1 us.
constexpr double kExact = 1e-6;

TEST(MysqlOrchestratorShell, RecoveryIsItsStatementsRoundTripsStopRegroupPromoteThenTheHook) {
  MysqlBed t;
  auto& bed = *t.bed;
  const double analysis = t.crash_primary_until_analysis();
  ASSERT_GT(analysis, 0);
  bed.run_until(analysis + 1);
  auto done = t.failovers_done();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].fields["to"], "db-2");
  // Two replicas confirmed: both are stopped in parallel, db-3 moves below db-2, then db-2
  // is promoted and the hook moves the writer address.
  EXPECT_NEAR(done[0].t_s - analysis, t.promote(2), kExact);
  EXPECT_EQ(t.recovery_log(), (std::vector<std::string>{"stop_replicas db-2 ok", "stop_replicas db-3 ok",
                                                         "repoint_replicas db-3 ok", "promote db-2 ok",
                                                         "post_failover_hook db-2 ok"}));
  EXPECT_EQ(bed.sim().component("mysql")->resolve_role("replica"), bed.node("db-3"))
      << "db-3 replicates from the new primary";
}

TEST(MysqlOrchestratorShell, WithOneReplicaThePromotionIsThreeStatementsAndTheHooksRunTime) {
  MysqlBed t(kPair);
  auto& bed = *t.bed;
  ASSERT_GT(t.p.hook_time.seconds, 1.0);
  const double analysis = t.crash_primary_until_analysis();
  ASSERT_GT(analysis, 0);
  // A client request sent as the hook runs: the writer address still names the dead db-1.
  std::vector<std::unique_ptr<Sent>> sent;
  send_at(bed, analysis + 0.5, "smtp", sent);
  bed.run_until(analysis + 30);
  auto done = t.failovers_done();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_NEAR(done[0].t_s - analysis, t.promote(1), kExact);
  EXPECT_EQ(t.recovery_log(), (std::vector<std::string>{"promote db-2 ok", "post_failover_hook db-2 ok"}));
  ASSERT_TRUE(sent[0]->ended);
  EXPECT_EQ(sent[0]->outcome, Outcome::kOk);
  EXPECT_GT(sent[0]->end, done[0].t_s) << "served only by a SYN retransmission after the address moved";
}

TEST(MysqlOrchestratorShell, ACandidateLostDuringTheRecoveryStopsItAndTheBlockHolds) {
  MysqlBed t(kPair);
  auto& bed = *t.bed;
  const double analysis = t.crash_primary_until_analysis();
  ASSERT_GT(analysis, 0);
  bed.crash("db-2");  // the candidate, as the first statement is on its way
  bed.run_until(analysis + t.connect() + 10 * t.poll());
  EXPECT_TRUE(t.failovers_done().empty());
  EXPECT_EQ(t.recovery_log(), (std::vector<std::string>{"promote db-2 failed"}));
  // The statement went unanswered until Orchestrator's connect timeout.
  EXPECT_NEAR(bed.events(EventKind::kOrchestratorRecovery)[0].t_s, analysis + t.connect(), kExact);
  // Later polls still find the primary dead, and start no second recovery.
  size_t later = 0;
  for (const auto& a : bed.events(EventKind::kOrchestratorAnalysis))
    if (a.t_s > analysis) {
      ++later;
      EXPECT_NE(a.fields["recovery"], "started");
    }
  EXPECT_GT(later, 0u);
}

TEST(MysqlOrchestratorShell, AReplicaLostDuringTheStopIsLeftOutAndTheOtherIsPromoted) {
  MysqlBed t;
  auto& bed = *t.bed;
  const double analysis = t.crash_primary_until_analysis();
  ASSERT_GT(analysis, 0);
  bed.crash("db-2");  // the first candidate, before Orchestrator stops it
  bed.run_until(analysis + t.connect() + 1);
  auto done = t.failovers_done();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].fields["to"], "db-3");
  EXPECT_EQ(t.recovery_log(), (std::vector<std::string>{"stop_replicas db-3 ok", "stop_replicas db-2 failed",
                                                         "promote db-3 ok", "post_failover_hook db-3 ok"}));
  // The stop phase waits for its slowest instance: db-2's unanswered statement.
  EXPECT_NEAR(done[0].t_s - analysis, t.connect() + t.promote(1), kExact);
}

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

namespace mailsim::testing {
namespace {

// Replication: what a failover loses is what the promoted replica's relay log lacks.
struct Writes {
  std::vector<std::unique_ptr<Sent>> sent;
  // One write every 10 ms from `from`, `n` of them.
  void send(engine::TestBed& bed, double from, int n) {
    for (int i = 0; i < n; ++i) send_at(bed, from + 0.01 * i, "smtp", sent);
  }
  size_t ok_between(double from, double to) const {
    size_t n = 0;
    for (const auto& s : sent)
      if (s->ended && s->outcome == Outcome::kOk && s->at >= from && s->at < to) ++n;
    return n;
  }
};

// Crashes the primary db-1 at `at` and runs past the latest the failover can end (the next
// poll, two connect timeouts, the recovery of `replicas` confirmed replicas); returns the
// failovers completed.
std::vector<engine::Event> crash_primary_past_failover(MysqlBed& t, double at, size_t replicas) {
  t.bed->run_until(at);
  t.bed->crash("db-1");
  t.bed->run_until(at + t.poll() + 2 * t.connect() + t.promote(replicas) + 1);
  return t.failovers_done();
}

uint64_t ledger_lost(engine::TestBed& bed) {
  return bed.ctx().ledger.finish({"smtp"})["mysql"]["lost"].get<uint64_t>();
}

TEST(MysqlReplication, AFailoverLosesExactlyTheAcknowledgedWritesThePromotedReplicaNeverReceived) {
  MysqlBed t(kPair);
  auto& bed = *t.bed;
  Writes w;
  w.send(bed, 1, 200);  // replicated
  bed.run_until(4);
  t.cut({"db-1"}, {"db-2"});  // the replication stream breaks; clients and Orchestrator still reach db-1
  w.send(bed, 4.5, 200);
  auto done = crash_primary_past_failover(t, 7, 1);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].fields["to"], "db-2");
  const size_t unreplicated = w.ok_between(4.5, 6.5);
  ASSERT_GT(unreplicated, 100u);
  EXPECT_EQ(w.ok_between(1, 3), 200u);
  EXPECT_EQ(done[0].fields["lost_commits"].get<uint64_t>(), unreplicated);
  EXPECT_EQ(ledger_lost(bed), unreplicated);
}

TEST(MysqlReplication, WritesEveryReplicaReceivedSurviveTheFailover) {
  MysqlBed t(kPair);
  auto& bed = *t.bed;
  Writes w;
  w.send(bed, 1, 200);
  auto done = crash_primary_past_failover(t, 4, 1);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(w.ok_between(1, 3), 200u);
  EXPECT_EQ(done[0].fields["lost_commits"].get<uint64_t>(), 0u);
  EXPECT_EQ(ledger_lost(bed), 0u);
}

TEST(MysqlReplication, OrchestratorPromotesTheMostAdvancedReplicaAndLosesNothingItHad) {
  MysqlBed t;  // db-1 primary, db-2 and db-3 replicas
  auto& bed = *t.bed;
  Writes w;
  t.cut({"db-1"}, {"db-2"});  // db-2 falls behind; db-3 keeps up
  w.send(bed, 1, 200);
  auto done = crash_primary_past_failover(t, 4, 2);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].fields["to"], "db-3") << "db-3 received every write, db-2 none";
  EXPECT_EQ(done[0].fields["lost_commits"].get<uint64_t>(), 0u);
  EXPECT_EQ(bed.sim().component("mysql")->resolve_role("replica"), bed.node("db-2"))
      << "db-2 now replicates from db-3";
  EXPECT_EQ(ledger_lost(bed), 0u);
}

TEST(MysqlReplication, APrimaryDownAtTheEndWithNoRecoveryLosesWhatNoReplicaReceived) {
  MysqlBed t(kPair);
  auto& bed = *t.bed;
  bed.crash("orch-1");  // nobody recovers
  Writes w;
  t.cut({"db-1"}, {"db-2"});
  w.send(bed, 1, 100);
  bed.run_until(3);
  bed.crash("db-1");
  bed.run_until(10);
  EXPECT_TRUE(t.failovers_done().empty());
  EXPECT_EQ(ledger_lost(bed), w.ok_between(1, 2));
  EXPECT_GT(w.ok_between(1, 2), 0u);
}

}  // namespace
}  // namespace mailsim::testing

namespace mailsim::testing {
namespace {

// The lab topology: 100 Mbit/s links, two replicas streaming 8 KiB binlog events from db-1.
TEST(MysqlReplication, ReplicasThatCannotKeepUpLagInTheBinlogWhileOrchestratorStillReadsThePrimary) {
  MysqlBed t("topologies/labs/mysql.yaml");
  auto& bed = *t.bed;
  const auto& net = bed.topology().network;
  // 1200 writes/s of 8 KiB to each of two replicas: 157 Mbit/s through db-1's 100 Mbit/s NIC.
  constexpr int kPerSecond = 1200, kSeconds = 20;
  std::vector<std::unique_ptr<Sent>> sent;
  for (int i = 0; i < kPerSecond * kSeconds; ++i) send_at(bed, 1.0 + static_cast<double>(i) / kPerSecond, "db", sent);
  bed.run_until(1.0 + kSeconds);
  // The backlog waits in the binlog, not on the link: Orchestrator's reads of db-1 pass.
  EXPECT_TRUE(bed.events(EventKind::kOrchestratorAnalysis).empty());
  auto done = crash_primary_past_failover(t, 1.0 + kSeconds, 2);
  ASSERT_EQ(done.size(), 1u);
  // Each stream gets about half the NIC: what it could not carry is lost with db-1.
  const double event_bits = 8192 * 8;
  const double carried = net.nic_bandwidth.bytes_per_s * 8 / 2 / event_bits * kSeconds;
  const double expected = kPerSecond * kSeconds - carried;
  const auto lost = static_cast<double>(done[0].fields["lost_commits"].get<uint64_t>());
  EXPECT_NEAR(lost, expected, 0.1 * expected);
  EXPECT_EQ(ledger_lost(bed), done[0].fields["lost_commits"].get<uint64_t>());
}

}  // namespace
}  // namespace mailsim::testing
