// PgBouncerPool without an engine: pool size, FIFO queue, query_wait_timeout,
// server_login_retry, max_client_conn (PgBouncer doc/config.md).
#include "models/pgbouncer/pgbouncer_logic.hpp"

#include <gtest/gtest.h>

using mailsim::models::PgBouncerPool;
using mailsim::models::PgBouncerPoolConfig;
using mailsim::models::PoolAdmit;

namespace {
PgBouncerPoolConfig cfg(int pool, int max_clients, double wait_timeout, double login_retry) {
  PgBouncerPoolConfig c;
  c.pool_size = pool;
  c.max_client_conn = max_clients;
  c.query_wait_timeout = wait_timeout;
  c.server_login_retry = login_retry;
  return c;
}
}  // namespace

TEST(PgBouncerPool, OpensServerConnectionsUpToPoolSizeThenQueuesFifo) {
  PgBouncerPool p(cfg(2, 100, 120, 15));
  EXPECT_EQ(p.on_client(1, 0), PoolAdmit::kWait);
  EXPECT_EQ(p.connects_to_open(0), 1);
  EXPECT_EQ(p.on_client(2, 0), PoolAdmit::kWait);
  EXPECT_EQ(p.on_client(3, 0), PoolAdmit::kWait);
  EXPECT_EQ(p.connects_to_open(0), 1);  // pool_size 2: the third client gets no connection of its own
  EXPECT_EQ(p.connecting(), 2);
  EXPECT_EQ(p.on_connected(0), 1u);
  EXPECT_EQ(p.on_connected(0), 2u);
  EXPECT_EQ(p.busy(), 2);
  EXPECT_EQ(p.waiting(), 1);
  EXPECT_EQ(p.on_release(true, 1), 3u);  // the released connection goes to the head waiter
  EXPECT_FALSE(p.on_release(true, 1).has_value());
  EXPECT_EQ(p.idle(), 1);
  EXPECT_EQ(p.on_client(4, 1), PoolAdmit::kServe);  // idle connection reused, no new login
  EXPECT_EQ(p.connects_to_open(1), 0);
}

TEST(PgBouncerPool, QueryWaitTimeoutExpiresOnlyWaitersOlderThanIt) {
  PgBouncerPool p(cfg(1, 100, 120, 15));
  p.on_client(1, 0);
  p.connects_to_open(0);
  EXPECT_EQ(p.on_connected(0), 1u);
  p.on_client(2, 10);
  p.on_client(3, 50);
  EXPECT_EQ(p.next_expiry(), 130.0);
  EXPECT_TRUE(p.expire(129.9).empty());
  auto gone = p.expire(130);
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0], 2u);
  EXPECT_EQ(p.next_expiry(), 170.0);
  EXPECT_EQ(p.on_release(true, 1), 3u);  // served before its timeout
  EXPECT_FALSE(p.next_expiry().has_value());
}

TEST(PgBouncerPool, ZeroQueryWaitTimeoutWaitsForever) {
  PgBouncerPool p(cfg(1, 100, 0, 15));
  p.on_client(1, 0);
  p.on_client(2, 0);
  EXPECT_TRUE(p.expire(1e9).empty());
  EXPECT_FALSE(p.next_expiry().has_value());
}

TEST(PgBouncerPool, FailedLoginBacksOffServerLoginRetryAndRejectsNewClientsMeanwhile) {
  PgBouncerPool p(cfg(20, 100, 120, 15));
  EXPECT_EQ(p.on_client(1, 0), PoolAdmit::kWait);
  EXPECT_EQ(p.connects_to_open(0), 1);
  p.on_connect_failed(15);  // e.g. server_connect_timeout elapsed
  EXPECT_TRUE(p.login_failing(20));
  EXPECT_EQ(p.login_retry_at(20), 30.0);
  EXPECT_EQ(p.connects_to_open(20), 0);  // no attempt during the back-off
  EXPECT_EQ(p.on_client(2, 20), PoolAdmit::kRejectLoginFailing);
  EXPECT_EQ(p.waiting(), 1);  // the client already queued keeps waiting
  EXPECT_EQ(p.connects_to_open(30), 1);
  EXPECT_EQ(p.on_connected(0), 1u);
  EXPECT_FALSE(p.login_failing(30));
  EXPECT_EQ(p.on_client(3, 30), PoolAdmit::kWait);
}

TEST(PgBouncerPool, MaxClientConnRefusesBeyondServedPlusWaiting) {
  PgBouncerPool p(cfg(1, 3, 120, 15));
  EXPECT_EQ(p.on_client(1, 0), PoolAdmit::kWait);
  EXPECT_EQ(p.on_client(2, 0), PoolAdmit::kWait);
  EXPECT_EQ(p.on_client(3, 0), PoolAdmit::kWait);
  EXPECT_EQ(p.on_client(4, 0), PoolAdmit::kRejectFull);
  p.connects_to_open(0);
  p.on_connected(0);
  EXPECT_EQ(p.on_client(5, 0), PoolAdmit::kRejectFull);  // 1 served + 2 waiting
  EXPECT_TRUE(p.cancel(3));
  EXPECT_EQ(p.on_client(6, 0), PoolAdmit::kWait);
}

TEST(PgBouncerPool, ClosedConnectionFreesTheSlotForANewLogin) {
  PgBouncerPool p(cfg(1, 100, 120, 15));
  p.on_client(1, 0);
  p.connects_to_open(0);
  p.on_connected(0);
  p.on_client(2, 1);
  EXPECT_EQ(p.connects_to_open(1), 0);      // pool full
  EXPECT_FALSE(p.on_release(false, 1).has_value());  // server died: closed, not handed on
  EXPECT_EQ(p.connects_to_open(1), 1);       // the waiter gets a fresh login
  auto waiters = p.reset();
  ASSERT_EQ(waiters.size(), 1u);
  EXPECT_EQ(p.servers(), 0);
}

TEST(PgBouncerPool, IdleConnectionsAreReusedMostRecentlyUsedFirst) {
  // server_round_robin = 0: the connection released last is taken first, so under steady
  // load the idle time seen by server_check_delay is that of the freshest connection.
  PgBouncerPool p(cfg(2, 100, 120, 15));
  p.on_client(1, 0);
  p.on_client(2, 0);
  p.connects_to_open(0);
  p.on_connected(0);
  p.on_connected(0);
  p.on_release(true, 5);   // idle since 5
  p.on_release(true, 40);  // idle since 40
  EXPECT_EQ(p.on_client(3, 50), PoolAdmit::kServe);
  EXPECT_DOUBLE_EQ(p.taken_idle_since(), 40);
  EXPECT_EQ(p.on_client(4, 50), PoolAdmit::kServe);
  EXPECT_DOUBLE_EQ(p.taken_idle_since(), 5);
}

TEST(PgBouncerPool, FailedCheckQueryClosesTheConnectionAndRequeuesItsClientFirst) {
  PgBouncerPool p(cfg(1, 100, 120, 15));
  p.on_client(1, 0);
  p.connects_to_open(0);
  p.on_connected(0);
  p.on_release(true, 1);
  EXPECT_EQ(p.on_client(2, 60), PoolAdmit::kServe);  // idle 59 s: the shell checks it
  EXPECT_EQ(p.on_client(3, 60), PoolAdmit::kWait);
  p.on_check_failed(2, 60);  // the check failed: closed, client 2 ahead of client 3
  EXPECT_EQ(p.servers(), 0);
  EXPECT_EQ(p.waiting(), 2);
  EXPECT_EQ(p.connects_to_open(60), 1);  // pool_size 1: one new login for the head waiter
  EXPECT_EQ(p.on_connected(61), 2u);
}
