#pragma once
// One PgBouncer pool (one database/user pair on one PgBouncer instance), without SimGrid:
// events in (a client's query, a server login that ended, a server connection released,
// the clock), decisions out (serve now, wait, refuse, open N server connections, expire).
//
// Mechanisms (PgBouncer doc/config.md):
//  - At most pool_size server connections (default_pool_size); a query that finds no idle
//    one waits in FIFO order, and a new server connection is opened for it while the pool
//    is below pool_size.
//  - max_client_conn: client connections beyond it are refused.
//  - query_wait_timeout: a query not assigned to a server in that time is disconnected
//    (0 disables: clients wait forever).
//  - Idle server connections are reused most recently used first (server_round_robin = 0);
//    the shell runs server_check_query on one idle longer than server_check_delay, and a
//    failed check closes it and puts its client back at the head of the queue.
//  - server_login_retry: after a failed server connect or login the pooler waits that long
//    before the next attempt; during that interval new clients get an error at once
//    instead of queueing. Clients already waiting keep waiting (until query_wait_timeout).
// Tickets identify clients; the caller maps them to its requests.
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

namespace mailsim::models {

// Built from the params (pool_config in pgbouncer_params.hpp); the defaults live only in
// the params table.
struct PgBouncerPoolConfig {
  int pool_size{};
  int max_client_conn{};
  double query_wait_timeout{};  // seconds; 0 disables
  double server_login_retry{};  // seconds
};

enum class PoolAdmit : uint8_t {
  kServe,              // an idle server connection is assigned now
  kWait,               // queued (call connects_to_open() next)
  kRejectFull,         // max_client_conn reached
  kRejectLoginFailing  // server_login_retry interval after a failed login: error at once
};

class PgBouncerPool {
 public:
  explicit PgBouncerPool(PgBouncerPoolConfig c) : c_(c) {}

  PoolAdmit on_client(uint64_t ticket, double now);
  // New server connections to open now: one per waiting client not yet covered by a
  // connection in progress, within pool_size, none during the login back-off. The caller
  // opens exactly this many and reports each with on_connected / on_connect_failed.
  int connects_to_open(double now);
  // A server login succeeded: the head waiter gets the connection (returned), or it idles
  // from `now`.
  std::optional<uint64_t> on_connected(double now);
  // A server connect or login failed (refused, no answer within server_connect_timeout).
  void on_connect_failed(double now);
  // A served client is done with its server connection. reuse=false closes it (the server
  // changed or died). Returns the waiter that gets the connection, if any; else it idles
  // from `now`.
  std::optional<uint64_t> on_release(bool reuse, double now);
  // The check query on the connection just given to `ticket` failed: the connection is
  // closed and the client waits again at the head of the queue (since: its first arrival).
  void on_check_failed(uint64_t ticket, double since);
  // After on_client returned kServe: since when the connection it got had been idle.
  double taken_idle_since() const { return taken_idle_since_; }
  // Waiters whose query_wait_timeout elapsed, oldest first (removed from the queue).
  std::vector<uint64_t> expire(double now);
  std::optional<double> next_expiry() const;
  // The login back-off ends then (connects_to_open() is worth calling again), if active.
  std::optional<double> login_retry_at(double now) const;
  bool cancel(uint64_t ticket);  // a waiter gave up (its request ended elsewhere)
  void close_idle() { idle_since_.clear(); }
  // Everything dropped (the process died or stopped): the waiters to dispose of.
  std::vector<uint64_t> reset();

  int busy() const { return busy_; }
  int idle() const { return static_cast<int>(idle_since_.size()); }
  int connecting() const { return connecting_; }
  int waiting() const { return static_cast<int>(queue_.size()); }
  int servers() const { return busy_ + idle() + connecting_; }
  bool login_failing(double now) const { return now < login_failed_until_; }

 private:
  struct Waiter {
    uint64_t ticket;
    double since;
  };
  PgBouncerPoolConfig c_;
  int busy_ = 0, connecting_ = 0;
  std::vector<double> idle_since_;  // one per idle server connection, most recently used last
  double taken_idle_since_ = 0;
  double login_failed_until_ = -1;
  std::deque<Waiter> queue_;
};

}  // namespace mailsim::models
