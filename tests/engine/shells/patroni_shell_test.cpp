// The patroni_postgres shell with its etcd, on a test bed (no SimGrid): Patroni's HA rules
// as its docs state them, with every window derived from the components' params (ttl,
// loop_wait, retry_timeout; the promotion of an idle replica: fast promotion's three 8 kB
// end-of-recovery writes at disk_write_rate, its nodes declaring no disk; etcd's
// lease_check_interval and heartbeat).
#include <gtest/gtest.h>

#include "models/etcd/etcd_params.hpp"
#include "models/patroni_postgres/patroni_postgres_params.hpp"
#include "tests/engine/shells/test_bed_helpers.hpp"

namespace mailsim::testing {
namespace {

using engine::Outcome;

struct PatroniBed {
  std::unique_ptr<engine::TestBed> bed = test_bed("topologies/tutorial/pg-patroni.yaml", quiet_scenario("600s", "10s"));
  models::PatroniPostgresParams pg = params_of(*bed, "pg", models::patroni_postgres_params());
  models::EtcdParams etcd = params_of(*bed, "etcd", models::etcd_params());
  engine::Component& pg_component = bed->component<engine::Component>("pg");
  // A DCS call, a Raft commit and a watch notification are a few LAN hops each; a follower
  // applies a commit when the leader's next heartbeat tells it the commit index.
  double slack() const {
    const double hop = bed->platform().latency(bed->node("pg-1"), bed->node("etcd-1"));
    return etcd.heartbeat_interval.seconds + 50 * hop;
  }
  // pg_ctl promote on a replica with nothing left to replay (no load here): the timeline
  // history file, the end-of-recovery WAL page and pg_control, 8 kB each, on its disk.
  double promotion() const { return 3 * 8192 / pg.disk_write_rate.bytes_per_s; }
  std::optional<engine::NodeId> primary() const { return pg_component.resolve_role("primary"); }
  // Starts, runs three HA cycles into steady state (off the cycles' phase) and returns that
  // time, pg-1 being the primary.
  double steady() {
    bed->start();
    const double t = 3 * pg.loop_wait.seconds + 0.5;
    bed->run_until(t);
    EXPECT_EQ(primary(), bed->node("pg-1"));
    return t;
  }
};

TEST(PatroniShell, LeaderCrashPromotesTheReplicaOnlyAfterTheLeaderKeysLeaseExpires) {
  PatroniBed t;
  auto& bed = *t.bed;
  const double crash = t.steady();
  bed.crash("pg-1");
  EXPECT_EQ(t.primary(), std::nullopt) << "a crashed primary takes no writes";
  // The leader key's lease was last refreshed at most loop_wait before the crash and lives
  // ttl; etcd's lessor notices the expiry within one check interval.
  const double expiry_earliest = crash + t.pg.ttl.seconds - t.pg.loop_wait.seconds;
  const double revoked_latest = crash + t.pg.ttl.seconds + t.etcd.lease_check_interval.seconds;
  bed.run_until(expiry_earliest + t.promotion() - t.slack());
  EXPECT_TRUE(bed.events(engine::EventKind::kPgPromoted).empty()) << "nobody may promote while the old lease can still be valid";
  EXPECT_EQ(t.primary(), std::nullopt);
  bed.run_until(revoked_latest + t.promotion() + t.slack());
  const double promoted = first_event_at(bed, engine::EventKind::kPgPromoted, "node", "pg-2");
  ASSERT_GT(promoted, 0) << "the replica's watch on the leader key wakes it: race, then promotion";
  EXPECT_GE(promoted, expiry_earliest + t.promotion());
  EXPECT_LE(promoted, revoked_latest + t.promotion() + t.slack());
  EXPECT_EQ(t.primary(), bed.node("pg-2"));
  EXPECT_TRUE(t.pg_component.health(bed.node("pg-2"), "patroni_primary"));
  const double completed = first_event_at(bed, engine::EventKind::kFailoverCompleted, "from", "pg-1");
  EXPECT_DOUBLE_EQ(completed, promoted);
  EXPECT_DOUBLE_EQ(first_event_at(bed, engine::EventKind::kFailoverStarted, "from", "pg-1"), crash);
}

TEST(PatroniShell, DcsQuorumLossDemotesThePrimaryAfterRetryTimeoutBeforeAnyLeaseCouldExpire) {
  PatroniBed t;
  auto& bed = *t.bed;
  const double loss = t.steady();
  bed.crash("etcd-2");
  bed.crash("etcd-3");  // etcd-1 alone: no quorum, no linearizable read, no keepalive
  const double lo = loss + t.pg.retry_timeout.seconds - t.slack();
  const double hi = loss + t.pg.loop_wait.seconds + t.pg.retry_timeout.seconds + t.slack();
  bed.run_until(lo);
  EXPECT_EQ(t.primary(), bed.node("pg-1")) << "the primary keeps writing while its DCS calls still retry";
  bed.run_until(hi);
  const double demoted = first_event_at(bed, engine::EventKind::kPgDemoted, "node", "pg-1");
  ASSERT_GT(demoted, 0);
  EXPECT_GE(demoted, lo);
  EXPECT_LE(demoted, hi);
  EXPECT_LT(demoted, loss + t.pg.ttl.seconds) << "Patroni's rule: demote before another node could take the key";
  EXPECT_EQ(t.primary(), std::nullopt);
  // Writes now fail (read_only from PostgreSQL, or no_backend once the back-end balancer's
  // /primary checks mark it down), and without the DCS nobody can win the key.
  std::vector<std::unique_ptr<Sent>> sent;
  for (int i = 0; i < 10; ++i) send_at(bed, hi + i, "smtp", sent);
  bed.run_until(loss + 3 * t.pg.ttl.seconds);
  for (const auto& s : sent) {
    ASSERT_TRUE(s->ended);
    EXPECT_NE(s->outcome, Outcome::kOk) << "a write at " << s->at << " s succeeded without a primary";
  }
  EXPECT_TRUE(bed.events(engine::EventKind::kPgPromoted).empty());
}

TEST(PatroniShell, GracefulStopOfThePrimaryDeletesTheLeaderKeySoTheReplicaPromotesWithoutWaitingForTtl) {
  PatroniBed t;
  auto& bed = *t.bed;
  const double stop = t.steady();
  t.pg_component.stop_instance(bed.node("pg-1"));
  bed.run_until(stop + t.promotion() + t.slack());
  const double promoted = first_event_at(bed, engine::EventKind::kPgPromoted, "node", "pg-2");
  ASSERT_GT(promoted, 0) << "the key's deletion wakes the replica's watch at once";
  EXPECT_GE(promoted, stop + t.promotion());
  EXPECT_EQ(t.primary(), bed.node("pg-2"));
}

TEST(PatroniShell, SwitchoverHandsOverWithinAFewRoundTripsAndAPromotionLosingNothing) {
  PatroniBed t;
  auto& bed = *t.bed;
  const double at = t.steady();
  t.pg_component.switchover(bed.node("pg-2"));
  bed.run_until(at + t.promotion() + 2 * t.slack());
  const double promoted = first_event_at(bed, engine::EventKind::kPgPromoted, "node", "pg-2");
  ASSERT_GT(promoted, 0) << "the candidate takes the key as soon as the leader deleted it";
  EXPECT_GE(promoted, at + t.promotion());
  EXPECT_LT(promoted, at + t.promotion() + 2 * t.slack()) << "no ttl, no loop_wait waited";
  EXPECT_LT(promoted - at, t.pg.ttl.seconds / 5) << "near-instant next to a failover";
  EXPECT_EQ(t.primary(), bed.node("pg-2"));
  auto done = bed.events(engine::EventKind::kFailoverCompleted);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].fields["lost_commits"], 0) << "the leader waited for the candidate's flush";
  const double started = first_event_at(bed, engine::EventKind::kFailoverStarted, "cause", "switchover");
  EXPECT_GE(started, at);
  EXPECT_LT(started, at + t.slack()) << "writes stop once the leader's woken cycle read /failover";
  // The old primary follows the new one without pg_basebackup: same timeline position.
  bed.run_until(bed.sched().now() + 2 * t.pg.loop_wait.seconds);
  EXPECT_TRUE(bed.events(engine::EventKind::kPgResyncStarted).empty());
  EXPECT_EQ(t.primary(), bed.node("pg-2"));
}

TEST(PatroniShell, ASwitchoverToAnUnreachableCandidateIsNotDone) {
  PatroniBed t;
  auto& bed = *t.bed;
  const double at = t.steady();
  bed.ctx().net.add_cut(bed.platform().ids_of({"pg-1"}), bed.platform().ids_of({"pg-2"}), false);
  t.pg_component.switchover(bed.node("pg-2"));
  bed.run_until(at + 3 * t.pg.loop_wait.seconds);
  EXPECT_TRUE(bed.events(engine::EventKind::kPgPromoted).empty());
  EXPECT_EQ(t.primary(), bed.node("pg-1")) << "is_failover_possible: the candidate did not answer GET /patroni";
}

TEST(PatroniShell, ReadsAndWritesSucceedInSteadyState) {
  PatroniBed t;
  auto& bed = *t.bed;
  bed.start();
  std::vector<std::unique_ptr<Sent>> sent;
  for (int i = 0; i < 20; ++i) {
    send_at(bed, 1 + 0.5 * i, "smtp", sent);
    send_at(bed, 1.25 + 0.5 * i, "imap", sent);
  }
  bed.run_until(30);
  for (const auto& s : sent) {
    ASSERT_TRUE(s->ended) << s->at;
    EXPECT_EQ(s->outcome, Outcome::kOk) << s->at;
    EXPECT_LT(s->end - s->at, 1.0) << s->at;
  }
}

TEST(PatroniShell, ClientWithoutBalancerFindsTheWritableServerAsLibpqReadWriteDoes) {
  // libpq with host=pg-1,pg-2 target_session_attrs=read-write: hosts in order, each within
  // connect_timeout; a server in recovery answers SHOW transaction_read_only "on" and is
  // skipped. No oracle: a dead first host costs its whole connect timeout every time.
  auto bed = test_bed("tests/engine/shells/topologies/pg-libpq.yaml", quiet_scenario("300s", "10s"));
  const auto pg = params_of(*bed, "pg", models::patroni_postgres_params());
  const double timeout = pg.client_connect_timeout.seconds;
  bed->start();
  const double steady = 3 * pg.loop_wait.seconds + 0.5;
  std::vector<std::unique_ptr<Sent>> sent;
  send_at(*bed, steady, "smtp", sent);  // pg-1 is first and writable: no wait
  const double crash = steady + 1;
  bed->sched().at(crash, [&] { bed->crash("pg-1"); });
  send_at(*bed, crash + 1, "smtp", sent);  // pg-1 silent, pg-2 still a replica: no host
  double promoted = -1;
  for (double now = crash + 1; promoted < 0 && now < crash + 3 * pg.ttl.seconds; now += 0.5) {
    bed->run_until(now);
    promoted = first_event_at(*bed, engine::EventKind::kPgPromoted, "node", "pg-2");
  }
  ASSERT_GT(promoted, 0);
  send_at(*bed, promoted + 1, "smtp", sent);  // pg-1 silent, then the new primary pg-2
  bed->run_until(promoted + 1 + 3 * timeout);
  for (const auto& s : sent) ASSERT_TRUE(s->ended);
  EXPECT_EQ(sent[0]->outcome, Outcome::kOk);
  EXPECT_LT(sent[0]->end - sent[0]->at, 0.1);
  EXPECT_EQ(sent[1]->outcome, Outcome::kConnectFailed) << "a replica does not take a read-write session";
  EXPECT_GE(sent[1]->end - sent[1]->at, timeout);
  EXPECT_LT(sent[1]->end - sent[1]->at, timeout + 0.1);
  EXPECT_EQ(sent[2]->outcome, Outcome::kOk);
  EXPECT_GE(sent[2]->end - sent[2]->at, timeout) << "the dead first host costs its connect_timeout";
  EXPECT_LT(sent[2]->end - sent[2]->at, timeout + 0.1);
}

TEST(PatroniShell, DivergedOldPrimaryIsReinitialisedInDataSizeOverTheSlowerOfDiskAndNetwork) {
  // use_pg_rewind is off by default: pg-1, which took writes pg-2 never got while cut off,
  // rejoins through pg_basebackup, whose time follows from data_size, the route and the disk.
  PatroniBed t;
  auto& bed = *t.bed;
  const double cut_at = t.steady();
  auto& net = bed.ctx().net;
  const int cut = net.add_cut({bed.node("pg-1")}, {bed.node("pg-2"), bed.node("etcd-1"), bed.node("etcd-2"), bed.node("etcd-3")}, false);
  std::vector<std::unique_ptr<Sent>> sent;
  for (int i = 1; i <= 3; ++i) send_at(bed, cut_at + 0.5 * i, "smtp", sent);  // commits on pg-1 only
  const double heal = cut_at + 3 * t.pg.ttl.seconds;
  bed.run_until(heal);
  ASSERT_GT(first_event_at(bed, engine::EventKind::kPgPromoted, "node", "pg-2"), 0);
  net.remove_cut(cut);
  bed.run_until(heal + t.pg.loop_wait.seconds + 2 * t.pg.data_size.bytes / t.pg.disk_write_rate.bytes_per_s);
  const auto started = bed.events(engine::EventKind::kPgResyncStarted);
  const auto done = bed.events(engine::EventKind::kPgRewound);
  ASSERT_EQ(started.size(), 1u);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(started[0].fields["method"], "pg_basebackup");
  EXPECT_DOUBLE_EQ(started[0].fields["bytes"].get<double>(), t.pg.data_size.bytes);
  const double wire = *net.transit(bed.node("pg-2"), bed.node("pg-1"), t.pg.data_size.bytes);  // the modelled route
  const double disk = t.pg.data_size.bytes / t.pg.disk_write_rate.bytes_per_s;
  ASSERT_GT(disk, wire) << "this topology's disk is the bottleneck";
  EXPECT_NEAR(done[0].t_s - started[0].t_s, disk, 1e-6);
  EXPECT_GT(done[0].fields["discarded_commits"].get<int>(), 0);
  EXPECT_EQ(t.pg_component.resolve_role("replica"), bed.node("pg-1"));
}

}  // namespace
}  // namespace mailsim::testing
