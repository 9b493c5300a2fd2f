#pragma once
// patroni_postgres: PostgreSQL managed by Patroni on each of its nodes, with the leader key,
// member keys and /optime in an etcd component (`dcs`), asynchronous or synchronous
// streaming replication between the nodes, and the REST health endpoints (8008) that
// balancers check. On the request path it serves ops `read` (any running node) and `write`
// (only the writable primary; elsewhere: read_only). A step without a balancer connects as
// libpq with a host list and target_session_attrs does (read-write for writes).
//
// Failure semantics:
//  - Primary node crash: PostgreSQL and Patroni vanish; writes in flight die with the Execs
//    (the proxy decides what the client sees). The leader key lives until its lease expires
//    (ttl after the last keepalive, checked by etcd's lessor); the replicas' watch on the key
//    wakes them, the healthiest one (lag within maximum_lag_on_failover, not behind another
//    member, the sync standby in synchronous_mode) creates the key and promotes: pg_ctl
//    promote replays the WAL it received but had not applied (wal_replay_rate), then fast
//    promotion writes the new timeline's history file, an end-of-recovery record and
//    pg_control (no checkpoint waited). Committed transactions it had not received are lost
//    (counted).
//  - The old primary returning: Patroni finds another leader; if its timeline diverged it is
//    rebuilt with pg_basebackup (data_size over the network and disk: Patroni's default,
//    use_pg_rewind off; assumes remove_data_directory_on_diverged_timelines or an operator's
//    reinit) or, with use_pg_rewind, rewound (its diverged WAL's size copied back), then
//    streams from the new primary as a replica. Meanwhile it refuses connections and does
//    not race for the leader key (Patroni's long action in progress).
//  - DCS unreachable for retry_timeout (partition, etcd quorum loss): the primary demotes to
//    read-only, unless failsafe_mode is on and every other member answers POST /failsafe.
//    Replicas stay replicas; nobody can win the key without the DCS.
//  - Graceful stop of the primary: it demotes and deletes the leader key (fast failover).
//  - Switchover (patronictl switchover, a scenario's `switchover`): POST /switchover on the
//    leader writes /failover (leader, candidate) to the DCS and wakes its HA loop; the
//    leader asks the candidate's REST API (GET /patroni) that it runs as a replica within
//    maximum_lag_on_failover, stops taking writes, waits until the candidate confirms it
//    flushed all its WAL (a fast shutdown's walsender does so; at most wal_sender_timeout),
//    demotes and deletes the leader key. The candidate, woken by its watch, takes the key
//    without a race and promotes; the others wait; the old primary follows it on the same
//    timeline position, so nothing is lost and nothing is rebuilt.
//  - Synchronous mode: commits wait for the sync standby's flush; Patroni drops a standby
//    silent for wal_sender_timeout at its next cycle and, unless strict, falls back to
//    asynchronous commits (strict: writes block until a standby returns).
//  - Steady state at t = 0: the first listed node is the primary and creates the key in its
//    first cycle; replicas' cycles start at a phase drawn in [0, loop_wait).
#include <deque>
#include <functional>
#include <memory>
#include <map>
#include <vector>

#include "models/etcd/etcd.hpp"
#include "models/patroni_postgres/patroni_postgres_logic.hpp"
#include "models/patroni_postgres/patroni_postgres_params.hpp"
#include "config/topology.hpp"
#include "core/rng.hpp"
#include "engine/component.hpp"
#include "engine/context.hpp"

namespace mailsim::models {

class PatroniPostgres : public engine::Component {
 public:
  PatroniPostgres(const config::ComponentSpec& spec, const config::Topology& topo, PatroniPostgresParams params,
                  engine::Context& ctx);

  void start() override;
  void on_node_down(engine::NodeId n) override;
  void on_node_up(engine::NodeId n) override;
  void stop_instance(engine::NodeId n) override;
  void start_instance(engine::NodeId n) override;
  void switchover(std::optional<engine::NodeId> candidate) override;
  std::optional<engine::NodeId> resolve_role(const std::string& role) const override;
  void on_request(engine::Request& r) override;
  bool accepts(engine::NodeId n) const override;
  bool health(engine::NodeId n, const std::string& check) const override;
  void on_cpu_done(engine::Request& r, bool ok) override;
  int register_op(const std::string& op) override;
  nlohmann::json resolved_params() const override;

 private:
  enum class PgRole : uint8_t { kPrimary, kPromoting, kReplica, kRewinding };
  struct Parked {
    engine::Request* r;
    uint32_t gen;
    uint64_t seq;
  };
  struct WalPosition {  // what a walreceiver's status message carries
    uint64_t received, flushed, replayed;
    int timeline;
  };
  struct UnshippedCommit {  // a commit not yet flushed on every replica streaming from us
    uint64_t seq;
    int service;
    uint64_t message;              // the mail queue's message id it queued, 0: none
    double acknowledged_at = -1;  // < 0: not acknowledged (yet)
  };
  struct Instance {
    engine::NodeId node;
    int index;
    std::string name;
    bool running = false;
    uint64_t epoch = 0;
    PgRole role = PgRole::kReplica;
    bool writable = false;
    double leader_expiry = 0;  // Patroni's is_leader(): the key held until then
    int64_t lease = 0;
    bool lease_on_key = false;  // the leader key is attached to our current lease
    uint64_t seq = 0;           // commits in this node's WAL (primary: written; replica: flushed)
    uint64_t received = 0;      // replica: commits whose WAL arrived (flushed or being written)
    uint64_t replayed = 0;      // replica: commits the startup process has replayed
    double disk_free_at = 0;    // replica: when the WAL writes queued so far are flushed
    engine::Disk* disk = nullptr;  // the node's first disk, if it declares one (WAL flushes)
    // Primary with a disk: the commits in the WAL flush under way, and those that wait for the
    // next one (group commit: one flush carries every commit record written meanwhile).
    std::vector<Parked> wal_batch, wal_waiting;
    double replay_free_at = 0;  // replica: when the WAL flushed so far is replayed
    // Primary: its walsenders, per member index (the member's own slot stays unused).
    std::vector<uint64_t> sent;   // last commit put on the wire to that member
    std::vector<char> streaming;  // the member asked for WAL (its status named a start position)
    std::vector<char> on_wire;    // a batch to that member is travelling
    uint64_t acked_seq = 0;     // commits acknowledged to clients while primary
    int timeline = 1;
    int upstream = -1;          // replica: the primary it streams from
    bool in_cycle = false;
    double cycle_start = 0;
    int watch_member = -1;        // the etcd member holding our watch stream
    bool leader_changed = false;  // the watch reported a leader-key change during this cycle
    bool wake = false;            // ha.wakeup() during a cycle: the next one starts at once
    int handover_to = -1;         // primary in a switchover: the candidate whose flush it awaits
    engine::Timer loop, feedback;
    std::vector<double> last_feedback;  // primary: per instance, last status/ack heard
    int sync_standby = -1;
    bool sync_blocking = false;
    std::deque<Parked> parked;  // writes waiting for the sync standby
    // Primary: its commits newer than what every running replica has flushed, in seq order;
    // an async failover loses the acknowledged ones past the new primary's WAL, and the
    // durability ledger counts them (with the messages they queued).
    std::deque<UnshippedCommit> unshipped;
    core::RngStream rng;
  };
  using Done = std::function<void(bool ok, const EtcdReply& rep)>;

  void boot(Instance& in);
  void halt(Instance& in, const std::string& cause);
  void cycle(Instance& in);
  void end_cycle(Instance& in);
  void keep_watching(Instance& in);
  void dcs_call(Instance& in, EtcdRequest req, double deadline, Done done);
  void after_read(Instance& in, double deadline, const EtcdReply& rep);
  void dcs_failed(Instance& in);
  void poll_members(Instance& in, const std::vector<std::string>& members,
                    std::function<void(const std::vector<MemberStatus>&)> done);
  void publish(Instance& in, double deadline);
  void manage_sync(Instance& in, double deadline);
  void promote(Instance& in);
  void demote(Instance& in, const std::string& cause);
  void follow(Instance& in, int leader);
  void resync(Instance& in, const Instance& leader, uint64_t fork);
  void lose_primary(Instance& in, const std::string& cause);
  void hand_over(Instance& in, int to);
  void finish_handover(Instance& in);
  void commit(Instance& in, engine::Request& r);
  void wal_flush(Instance& in);
  void acknowledge(Instance& p, uint64_t seq, int service);
  // The durability ledger: old's acknowledged commits past kept_seq are on no surviving copy.
  // Returns how many it counted.
  uint64_t count_lost(Instance& old, uint64_t kept_seq);
  // How many commits the WALs of a and b have in common: their timelines' histories agree up
  // to the point where one forked from the other's ancestry (timeline history files).
  uint64_t shared_commits(const Instance& a, const Instance& b) const;
  void count_lost_at_end();
  // Streaming replication (patroni_wal_stream.cpp).
  void send_status(Instance& r, bool periodic);
  void on_status(Instance& p, int from, const WalPosition& pos, bool periodic);
  void wal_send_all(Instance& p);
  void wal_send(Instance& p, int to);
  void wal_receive(Instance& r, uint64_t upto, double bytes);
  void on_ack(Instance& p, int from, uint64_t seq);
  void start_walsenders(Instance& p, bool replicas_connected);
  void finish_promotion(Instance& me);
  void end_of_recovery_writes(Instance& me, int left);
  // A synchronous write (written, then fsynced) behind the writes queued so far: on the
  // node's disk device, or at disk_write_rate on a node that declares no disk. Returns when
  // it is durable.
  double durable_write(Instance& in, double bytes);
  void become_primary(Instance& me);
  // The node's WAL is all flushed and replayed (a restart, a demotion, a rebuild).
  void wal_settled(Instance& in) {
    in.received = in.replayed = in.seq;
    in.disk_free_at = in.replay_free_at = ctx_.sched.now();
  }
  void release_parked(Instance& p, uint64_t upto);
  void fail_parked(Instance& p, bool orphan);
  void libpq_try(engine::Request& r, size_t host);
  void go_to(engine::Request& r, engine::NodeId target);
  void arrive(engine::Request& r);
  double lsn(const Instance& in) const { return static_cast<double>(in.seq) * p_.wal_per_write.bytes; }
  std::string key(const std::string& k) const { return "/service/" + name() + "/" + k; }
  int index_of(const std::string& node_name) const;

  static constexpr double kStatusBytes = 64;  // a walreceiver status message or an ack
  // Fast promotion's synchronous writes: the timeline history file, the WAL page holding
  // the end-of-recovery record (XLOG_BLCKSZ) and pg_control (PG_CONTROL_FILE_SIZE), 8 kB each.
  static constexpr int kEndOfRecoveryWrites = 3;
  static constexpr double kEndOfRecoveryPage = 8192;

  PatroniPostgresParams p_;
  PatroniConfig cfg_;
  engine::Context& ctx_;
  Etcd* dcs_ = nullptr;
  std::vector<Instance> inst_;
  struct TimelineStart {  // a timeline's history file: the timeline it forked from, and where
    int parent;
    uint64_t fork_seq;  // commits of the parent's WAL it starts from
  };
  std::map<int, TimelineStart> timeline_starts_;
  int timelines_ = 1;
  int primary_ = -1;        // the last node that was the writable primary
  int failover_from_ = -1;  // open failover: the primary whose loss started it
  uint64_t lost_total_ = 0;
  int ledger_store_ = -1;
};

}  // namespace mailsim::models
