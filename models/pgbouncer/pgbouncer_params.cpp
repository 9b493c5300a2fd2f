#include "models/pgbouncer/pgbouncer_params.hpp"

namespace mailsim::models {

using P = PgBouncerParams;
using config::choice;
using config::param;
using config::range;

// Defaults: PgBouncer's doc/config.md ("pgbouncer.ini" reference; the defaults below are
// the same in the 1.18 to 1.21 releases, Debian 12 ships 1.18).
const config::ParamTable<P>& pgbouncer_params() {
  static const config::ParamTable<P> table(
      "pgbouncer",
      {
          param(&P::database, "database", "", "component",
                "the patroni_postgres component whose PostgreSQL this PgBouncer pools (required)", "mailsim"),
          choice(&P::target, "target", "local", {"local", "leader"},
                 "server connections go to the PostgreSQL on the same node (local: the colocated deployment) or "
                 "through a local haproxy that checks each Patroni's GET /primary (leader: the seeds' back-end "
                 "pattern; the leader_check_* params are that haproxy's)",
                 "mailsim; [databases] host= in pgbouncer.ini; Patroni's haproxy.cfg example"),
          choice(&P::pool_mode, "pool_mode", "session", {"session", "transaction", "statement"},
                 "when a server connection returns to the pool: client disconnect (session), end of transaction, "
                 "end of statement; one request = one transaction here (see docs/models/pgbouncer.md)",
                 "PgBouncer doc/config.md: pool_mode, default session"),
          param(&P::default_pool_size, "default_pool_size", "20", "connections",
                "server connections per database/user pair: requests beyond it wait in the pool's FIFO queue",
                "PgBouncer doc/config.md: default_pool_size, default 20",
                range("1", "100000")),
          param(&P::max_client_conn, "max_client_conn", "100", "connections",
                "client connections (requests served or waiting) per instance; beyond it new ones are refused",
                "PgBouncer doc/config.md: max_client_conn, default 100",
                range("1", "1000000")),
          param(&P::server_connect_timeout, "server_connect_timeout", "15s", "duration",
                "a server connection and login not finished in this time is closed (a failed login)",
                "PgBouncer doc/config.md: server_connect_timeout, default 15.0",
                range("1ms", "1d")),
          param(&P::server_login_retry, "server_login_retry", "15s", "duration",
                "after a failed server login, no new attempt for this long; new clients meanwhile get an error at once",
                "PgBouncer doc/config.md: server_login_retry, default 15.0",
                range("0s", "1d")),
          param(&P::query_wait_timeout, "query_wait_timeout", "120s", "duration",
                "a query not assigned to a server connection in this time is disconnected (0s: wait forever)",
                "PgBouncer doc/config.md: query_wait_timeout, default 120.0",
                range("1ms", "1d").zero_means("wait forever, PgBouncer doc/config.md")),
          param(&P::query_timeout, "query_timeout", "0s", "duration",
                "queries running longer are cancelled (0s: disabled)",
                "PgBouncer doc/config.md: query_timeout, default 0.0 (disabled)",
                range("1ms", "1d").zero_means("disabled, PgBouncer doc/config.md")),
          param(&P::server_check_delay, "server_check_delay", "30s", "duration",
                "a server connection idle longer than this is checked with server_check_query before reuse",
                "PgBouncer doc/config.md: server_check_delay, default 30.0",
                range("0s", "1d")),
          param(&P::server_check_query, "server_check_query", "true", "bool",
                "whether the check query (select 1) runs; false stands for an empty server_check_query (no check)",
                "PgBouncer doc/config.md: server_check_query, default 'select 1' (1.18, Debian 12)"),
          param(&P::leader_check_inter, "leader_check_inter", "3s", "duration",
                "target leader: the local haproxy checks each Patroni's GET /primary this often",
                "Patroni docs, haproxy.cfg example: default-server inter 3s",
                range("1ms", "24d").because("haproxy refuses timers above 2^31 - 1 ms, about 24.8 days: parse_time_err")),
          param(&P::leader_check_rise, "leader_check_rise", "2", "checks",
                "target leader: consecutive 200s that mark a PostgreSQL node UP (new connections go there)",
                "Patroni docs, haproxy.cfg example: rise 2",
                range("1", "1000")),
          param(&P::leader_check_fall, "leader_check_fall", "3", "checks",
                "target leader: consecutive failed checks that mark a node DOWN (its connections are reset)",
                "Patroni docs, haproxy.cfg example: fall 3, on-marked-down shutdown-sessions",
                range("1", "1000")),
          param(&P::leader_timeout_connect, "leader_timeout_connect", "4s", "duration",
                "target leader: haproxy's timeout connect, bounding a check's connect together with inter",
                "Patroni docs, haproxy.cfg example: timeout connect 4s",
                range("1ms", "24d").because("haproxy refuses timers above 2^31 - 1 ms, about 24.8 days: parse_time_err")),
          param(&P::leader_timeout_check, "leader_timeout_check", "5s", "duration",
                "target leader: haproxy's timeout check, for the check's answer once connected",
                "Patroni docs, haproxy.cfg example: timeout check 5s",
                range("1ms", "24d").zero_means("unset: inter bounds the check").because("haproxy refuses timers above 2^31 - 1 ms, about 24.8 days: parse_time_err")),
          param(&P::session_hold, "session_hold", "0s", "duration",
                "session pool_mode only: how long the client keeps its session (and the server connection) after "
                "its request ended",
                "ASSUMPTION: 0s, a client that disconnects after each request; raise it for persistent clients",
                range("0s", "1d")),
          param(&P::listen_port, "listen_port", "6432", "port", "the port clients connect to (reported only)",
                "PgBouncer doc/config.md: listen_port, default 6432",
                range("1", "65535")),
      });
  return table;
}

PgBouncerPoolConfig pool_config(const PgBouncerParams& p) {
  PgBouncerPoolConfig c;
  c.pool_size = p.default_pool_size;
  c.max_client_conn = p.max_client_conn;
  c.query_wait_timeout = p.query_wait_timeout.seconds;
  c.server_login_retry = p.server_login_retry.seconds;
  return c;
}

CheckConfig leader_check_config(const PgBouncerParams& p) {
  CheckConfig c;
  c.inter = c.fastinter = c.downinter = p.leader_check_inter.seconds;
  c.rise = p.leader_check_rise;
  c.fall = p.leader_check_fall;
  return c;
}

}  // namespace mailsim::models
