#pragma once
// pgbouncer: PgBouncer on each of its nodes, between clients and the PostgreSQL of a
// patroni_postgres component (`database`). It is a step of its own in a service, directly
// before the database step: a request arriving at an instance waits for a pooled server
// connection (PgBouncerPool: default_pool_size, FIFO queue, query_wait_timeout,
// server_login_retry), then goes on to the database step on that connection's node.
//
// Server connections go to the PostgreSQL on the same node (`target: local`, the usual
// colocated deployment) or through a haproxy on the same node (`target: leader`: the
// seeds' back-end pattern, Patroni's haproxy.cfg example): that haproxy checks each
// Patroni's GET /primary every leader_check_inter over the network (rise/fall, timeout
// connect/check) and sends new connections to the first node marked UP; with none UP it
// closes them at once (a failed login). PgBouncer has no notion of a leader: it learns of
// a new primary only from those checks.
//
// How PgBouncer learns that a server is gone (never from the server's state):
//  - a login: refused at once by a live host whose PostgreSQL is not running (RST), silent
//    until server_connect_timeout from a dead or unreachable host; a failure starts
//    server_login_retry, during which new clients get an error at once;
//  - a query on an existing connection: an error (PostgreSQL stopped: the connection is
//    closed) or no answer (the client gives up at its timeout; PgBouncer then closes the
//    server connection, which was not ready);
//  - server_check_query on a connection idle longer than server_check_delay: a reset closes
//    the connection and the client waits for another; no answer hangs until the client
//    gives up;
//  - target leader: haproxy marking the server DOWN resets its connections (shutdown-sessions).
//
// Health: a balancer's HTTP check (patroni_primary, patroni_replica, patroni_leader) goes to
// Patroni's REST API on port 8008 of the same node, not to PgBouncer: it is answered by the
// database component for that node. A `tcp` check (port 6432) is answered by PgBouncer: the
// process runs.
//
// Accounting: each instance's pool is a resource (kind pool, "<node>.<component>.pool",
// capacity default_pool_size connections): server connections in use and clients waiting.
//
// Failure semantics:
//  - Node crash: PgBouncer vanishes with its pool; waiting requests are orphaned (the proxy
//    in front decides what the client sees), replies of requests it relayed are lost.
//  - Graceful stop: waiting clients are refused; queries on server connections finish.
//  - Restart: an empty pool; server connections are opened again on demand (logins).
//  - The PostgreSQL behind it stops or restarts: a query on a pooled connection fails
//    (refused) and closes it; idle ones fail their check query; new logins are refused
//    until PostgreSQL runs, each failure starting server_login_retry.
//  - A write through a server connection to a read-only PostgreSQL (a replica, a demoted
//    primary) fails as PostgreSQL fails it: read_only.
#include <map>
#include <unordered_map>
#include <vector>

#include "core/rng.hpp"
#include "models/common/endpoint_probe.hpp"
#include "models/pgbouncer/pgbouncer_logic.hpp"
#include "models/pgbouncer/pgbouncer_params.hpp"
#include "config/topology.hpp"
#include "engine/component.hpp"
#include "engine/context.hpp"

namespace mailsim::models {

class PgBouncer : public engine::Component {
 public:
  PgBouncer(const config::ComponentSpec& spec, PgBouncerParams params, engine::Context& ctx);

  void start() override;
  void on_node_down(engine::NodeId n) override;
  void on_node_up(engine::NodeId n) override;
  void stop_instance(engine::NodeId n) override;
  void start_instance(engine::NodeId n) override;
  std::optional<engine::NodeId> resolve_role(const std::string& role) const override;
  void on_request(engine::Request& r) override;
  bool accepts(engine::NodeId n) const override;
  bool health(engine::NodeId n, const std::string& check) const override;
  void on_session_end(engine::Request& r, engine::Outcome o) override;
  bool on_orphan(engine::Request& r) override;
  nlohmann::json resolved_params() const override;

 private:
  // A client of one instance: waiting for a server connection, or served by one.
  struct Session {
    engine::Request* r;
    uint32_t gen;
    int instance;
    uint64_t epoch;             // the instance's epoch when the client arrived
    engine::Component* prev_proxy;  // the proxy in front (haproxy), told in turn
    double since;               // arrival: a client requeued after a failed check keeps its place in time
    bool served = false;        // holds a server connection (being checked, or running its query)
    uint64_t server_gen = 0;    // the pool generation of its server connection
  };
  // target leader: the local haproxy's check of one PostgreSQL node (Patroni's /primary).
  struct LeaderCheck {
    HaproxyCheckLogic check;
    engine::Timer timer;
  };
  struct Instance {
    engine::NodeId node;
    int index;
    bool running = false;
    uint64_t epoch = 0;
    PgBouncerPool pool;
    engine::NodeId server_node = -1;  // where the pool's server connections go
    uint64_t server_gen = 0;          // bumped when they all close (server changed or died)
    engine::Timer expiry, retry;
    bool login_failing_reported = false;
    bool exhausted = false;  // pool.exhausted emitted, pool.recovered not yet
    std::vector<LeaderCheck> leader_checks;  // target leader: one per database node, sized once
    core::RngStream rng;
    engine::ResourceMeter* meter = nullptr;  // the pool's server connections (kind pool)
  };

  void boot(Instance& in);
  void measure(Instance& in);
  void halt(Instance& in, bool graceful, const std::string& cause);
  void arrive(engine::Request& r);
  void refresh_server(Instance& in);
  engine::NodeId desired_server(const Instance& in) const;
  void open_connects(Instance& in);
  void connect(Instance& in);
  void connect_done(Instance& in, uint64_t epoch, bool ok);
  void serve(Instance& in, uint64_t ticket);
  void check_then_serve(Instance& in, uint64_t ticket);
  void check_done(Instance& in, uint64_t epoch, uint64_t ticket, uint64_t server_gen, ProbeResult res);
  void release(Instance& in, uint64_t ticket, bool broken);
  bool leader_target() const { return p_.target == "leader"; }
  void schedule_leader_check(Instance& in, size_t s, double delay);
  void run_leader_check(Instance& in, size_t s);
  void leader_check_done(Instance& in, size_t s, bool ok);
  void arm_expiry(Instance& in);
  void arm_retry(Instance& in);
  void note_recovered(Instance& in);
  void drop(uint64_t ticket);

  PgBouncerParams p_;
  engine::Context& ctx_;
  mutable engine::Component* db_ = nullptr;  // the database; set in start() (or by health())
  std::vector<Instance> inst_;
  std::map<uint64_t, Session> sessions_;                    // by ticket (arrival order)
  std::unordered_map<const engine::Request*, uint64_t> ticket_of_;  // lookups only, never iterated
  uint64_t next_ticket_ = 1;
  size_t rr_next_ = 0;
};

}  // namespace mailsim::models
