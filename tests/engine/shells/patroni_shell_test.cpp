// The patroni_postgres shell with its etcd, on a test bed (no SimGrid): Patroni's HA rules
// as its docs state them, with every window derived from the components' params (ttl,
// loop_wait, retry_timeout, promote_time; etcd's lease_check_interval and heartbeat).
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
  bed.run_until(expiry_earliest + t.pg.promote_time.seconds - t.slack());
  EXPECT_TRUE(bed.events("pg.promoted").empty()) << "nobody may promote while the old lease can still be valid";
  EXPECT_EQ(t.primary(), std::nullopt);
  bed.run_until(revoked_latest + t.pg.promote_time.seconds + t.slack());
  const double promoted = first_event_at(bed, "pg.promoted", "node", "pg-2");
  ASSERT_GT(promoted, 0) << "the replica's watch on the leader key wakes it: race, then promotion";
  EXPECT_GE(promoted, expiry_earliest + t.pg.promote_time.seconds);
  EXPECT_LE(promoted, revoked_latest + t.pg.promote_time.seconds + t.slack());
  EXPECT_EQ(t.primary(), bed.node("pg-2"));
  EXPECT_TRUE(t.pg_component.health(bed.node("pg-2"), "patroni_primary"));
  const double completed = first_event_at(bed, "failover.completed", "from", "pg-1");
  EXPECT_DOUBLE_EQ(completed, promoted);
  EXPECT_DOUBLE_EQ(first_event_at(bed, "failover.started", "from", "pg-1"), crash);
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
  const double demoted = first_event_at(bed, "pg.demoted", "node", "pg-1");
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
  EXPECT_TRUE(bed.events("pg.promoted").empty());
}

TEST(PatroniShell, GracefulStopOfThePrimaryDeletesTheLeaderKeySoTheReplicaPromotesWithoutWaitingForTtl) {
  PatroniBed t;
  auto& bed = *t.bed;
  const double stop = t.steady();
  t.pg_component.stop_instance(bed.node("pg-1"));
  bed.run_until(stop + t.pg.promote_time.seconds + t.slack());
  const double promoted = first_event_at(bed, "pg.promoted", "node", "pg-2");
  ASSERT_GT(promoted, 0) << "the key's deletion wakes the replica's watch at once";
  EXPECT_GE(promoted, stop + t.pg.promote_time.seconds);
  EXPECT_EQ(t.primary(), bed.node("pg-2"));
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

}  // namespace
}  // namespace mailsim::testing
