#pragma once
// pgbouncer: PgBouncer on each of its nodes, between clients and the PostgreSQL of a
// patroni_postgres component (`database`). It is a step of its own in a service, directly
// before the database step: a request arriving at an instance waits for a pooled server
// connection (PgBouncerPool: default_pool_size, FIFO queue, query_wait_timeout,
// server_login_retry), then goes on to the database step on that connection's node.
//
// Server connections go to the PostgreSQL on the same node (`target: local`, the usual
// colocated deployment) or to the node whose Patroni answers GET /primary (`target:
// leader`: as a host name that follows the leader, e.g. a Patroni callback rewriting
// pgbouncer.ini or vip-manager; with no primary, the last one known).
//
// Health: a balancer's HTTP check (patroni_primary, patroni_replica, patroni_leader) goes to
// Patroni's REST API on port 8008 of the same node, not to PgBouncer: it is answered by the
// database component for that node. A `tcp` check (port 6432) is answered by PgBouncer: the
// process runs.
//
// Failure semantics:
//  - Node crash: PgBouncer vanishes with its pool; waiting requests are orphaned (the proxy
//    in front decides what the client sees), replies of requests it relayed are lost.
//  - Graceful stop: waiting clients are refused; queries on server connections finish.
//  - Restart: an empty pool; server connections are opened again on demand (logins).
//  - The PostgreSQL behind it stops or restarts: PgBouncer drops that server's connections
//    when it next uses the pool (assumption: it learns at once, as from a TCP reset); new
//    logins are refused until PostgreSQL runs, each failure starting server_login_retry.
//  - A write through a server connection to a read-only PostgreSQL (a replica, a demoted
//    primary) fails as PostgreSQL fails it: read_only.
#include <map>
#include <unordered_map>
#include <vector>

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
  void on_session_end(engine::Request& r) override;
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
    bool served = false;
    uint64_t server_gen = 0;    // the pool generation of its server connection
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
  };

  void boot(Instance& in);
  void halt(Instance& in, bool graceful, const std::string& cause);
  void arrive(engine::Request& r);
  void refresh_server(Instance& in);
  engine::NodeId desired_server(const Instance& in) const;
  void open_connects(Instance& in);
  void connect(Instance& in);
  void connect_done(Instance& in, uint64_t epoch, bool ok);
  void serve(Instance& in, uint64_t ticket);
  void release(Instance& in, uint64_t ticket);
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
