// The pgbouncer shell in front of Patroni on a test bed (no SimGrid): PgBouncer learns that
// its server is gone only through what real PgBouncer sees (a query's error on a pooled
// connection, a refused or silent login), never from the server's state.
#include <gtest/gtest.h>

#include "models/pgbouncer/pgbouncer_params.hpp"
#include "tests/engine/shells/test_bed_helpers.hpp"

namespace mailsim::testing {
namespace {

using engine::Outcome;

TEST(PgBouncerShell, StoppedPostgresIsNoticedByTheFirstQueryOnAPooledConnectionThenByTheLogin) {
  auto bed = test_bed("topologies/tutorial/pg-pgbouncer.yaml", quiet_scenario("60s", "10s"));
  const auto pgb = params_of(*bed, "pgbouncer", models::pgbouncer_params());
  bed->start();
  std::vector<std::unique_ptr<Sent>> sent;
  // After a few of haproxy's checks (a server fresh from start falls at its first failure).
  send_at(*bed, 10.0, "smtp", sent);  // opens one server connection on pg-1, then pools it
  // PostgreSQL on pg-1 stops (Patroni's clean shutdown); the back-end balancer still sends
  // to pg-1:6432 until its checks fail.
  const double stop = 11.0;
  bed->sched().at(stop, [&] { bed->component<engine::Component>("pg").stop_instance(bed->node("pg-1")); });
  send_at(*bed, stop + 0.1, "smtp", sent);  // gets the pooled connection: its query is reset
  send_at(*bed, stop + 0.2, "smtp", sent);  // no connection left: a login, refused at once
  bed->run_until(stop + 0.2 + 2 * pgb.server_login_retry.seconds);
  ASSERT_TRUE(sent[0]->ended);
  EXPECT_EQ(sent[0]->outcome, Outcome::kOk);
  ASSERT_TRUE(sent[1]->ended);
  // PgBouncer did not know: it handed out the pooled connection, and the query failed.
  EXPECT_EQ(sent[1]->outcome, Outcome::kRefused);
  const double failed = first_event_at(*bed, engine::EventKind::kPgBouncerLoginFailed, "node", "pg-1");
  EXPECT_GE(failed, stop + 0.2) << "the failed login comes from the next client's login, not from the stop";
  EXPECT_LE(failed, stop + 0.3);  // a refusal is one LAN round trip, not server_connect_timeout
}

}  // namespace
}  // namespace mailsim::testing
