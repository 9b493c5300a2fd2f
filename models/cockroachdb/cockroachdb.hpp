#pragma once
// cockroachdb: a CockroachDB cluster, one node per topology node. The key space is split
// into `ranges` ranges; each range is a Raft group (models/common/raft_logic: pre-vote,
// check-quorum, randomized election timeout) of `replication_factor` replicas placed round
// robin, and has an epoch-based lease tied to node liveness (cockroachdb_logic). The
// liveness records live in one more Raft group, the liveness range. Every Raft message,
// liveness heartbeat and request hop travels the simulated network, so crashes and
// partitions act through it.
//
// Request path (ops `read` and `write`): the gateway is the node a balancer chose (else the
// first running node); it maps the request to a range and forwards it to the leaseholder
// (one hop). The leaseholder runs the step's CPU; a read is answered there, a write is
// proposed to the range's Raft group and answered once a majority has it (one round trip to
// the nearest follower). A range without a valid, reachable leaseholder parks the request
// (DistSender retries internally) until a lease is acquired, the client's timeout, or the
// per-replica circuit breaker (unavailable_timeout) trips and fails it with `unavailable`.
//
// Failure semantics:
//  - Node crash: its replicas lose volatile Raft state (term, vote, log, commit survive, as
//    on disk); requests it was serving die with it. Its liveness record expires liveness_ttl
//    after its last heartbeat was sent. Meanwhile each range it led elects a new Raft leader
//    among the survivors (a random [T, 2T) after the last heartbeat heard). That leader then
//    increments the dead node's liveness epoch (a CPut through the liveness range: needs its
//    quorum) and proposes a lease request on the range; requests wait until it applies.
//    Ranges whose lease was elsewhere keep serving (a write needs 2 of 3 replicas).
//  - Node return: its first liveness heartbeat bumps its own epoch; its replicas rejoin as
//    followers (pre-vote keeps them from disrupting the leaders). Leases stay where they are.
//  - Loss of a majority of a range's replicas: no leader, no lease; requests wait and then
//    fail (client timeout, or `unavailable` once the circuit breaker has tripped). Losing
//    the liveness range's majority expires every node's record, so every lease lapses and
//    reads fail too.
//  - Graceful stop (`stop`, cockroach node drain then shutdown): after drain_wait the node
//    stops acquiring leases and transfers each lease it holds to another live replica of
//    the range (a lease transfer through the range's Raft group), then its Raft leadership;
//    once it holds none, or after lease_transfer_wait, it stops like a crash with the host
//    up (connections are refused). Ranges whose lease moved keep serving throughout.
//  - Disk (a node that declares disks; its first disk): a Raft log append is a write and a
//    flush (Pebble's WAL sync). A follower persists appended entries before it handles the
//    message, so its acknowledgement follows its disk, and messages behind it wait in arrival
//    order; the leader writes its own log in parallel with sending (Raft thesis 10.2.1), and a
//    write is acknowledged once it committed and the leader's append is durable. A node
//    without disks costs no disk time.
//  - Snapshot (a follower behind the truncated log): the leader streams snapshot_bytes at most
//    at snapshot_max_rate; the stream breaks if either end goes down. The follower writes and
//    syncs it on its disk (behind what its disk already has), then applies it and answers.
//  - Steady state at t = 0: replica 0 of each range leads term 1 and holds the lease;
//    every node heartbeated its liveness record at t = 0, and heartbeats again at a phase
//    drawn in [0, liveness_heartbeat_interval).
#include <deque>
#include <map>
#include <memory>
#include <vector>

#include "models/cockroachdb/cockroachdb_logic.hpp"
#include "models/cockroachdb/cockroachdb_params.hpp"
#include "models/common/raft_logic.hpp"
#include "config/topology.hpp"
#include "core/rng.hpp"
#include "engine/component.hpp"
#include "engine/context.hpp"

namespace mailsim::models {

class CockroachDb : public engine::Component {
 public:
  CockroachDb(const config::ComponentSpec& spec, const config::Topology& topo, CockroachDbParams params,
              engine::Context& ctx);

  void start() override;
  void on_node_down(engine::NodeId n) override;
  void on_node_up(engine::NodeId n) override;
  void stop_instance(engine::NodeId n) override;
  void start_instance(engine::NodeId n) override;
  std::optional<engine::NodeId> resolve_role(const std::string& role) const override;
  void on_request(engine::Request& r) override;
  bool accepts(engine::NodeId n) const override;
  void on_cpu_done(engine::Request& r, bool ok) override;
  int register_op(const std::string& op) override;
  nlohmann::json resolved_params() const override;

 private:
  struct Replica {
    int group = 0;
    int rid = 0;   // Raft id within the group
    int node = 0;  // node index
    std::unique_ptr<raft::RaftLogic> raft;
    engine::Timer election, heartbeat;
    bool was_leader = false;
    core::RngStream rng;
    // Messages behind an append being written to disk, with when each can be handled.
    std::deque<std::pair<double, raft::Message>> inbox;
    engine::Timer inbox_timer;
    double snapshot_started = 0;  // when the stream of the last snapshot that reached it began
  };
  struct Node {
    engine::NodeId id;
    int index = 0;
    std::string name;
    bool running = false;
    uint64_t epoch = 0;     // bumped on boot and halt: stale callbacks check it
    bool bump_epoch = false;  // the first liveness heartbeat after a restart
    uint64_t hb_sent = 0, hb_applied = 0;
    double down_since = -1;
    bool dead_reported = false;
    engine::Timer hb, hb_retry, dead;
    bool draining = false;  // a clean stop is moving its leases away: it acquires none
    engine::Timer drain;
    core::RngStream rng;
    engine::Disk* disk = nullptr;  // the node's first disk, if it declares one (Raft log appends)
  };
  struct AckedWrite {
    uint64_t index, term;
    int service;
    double t;
  };
  struct WriteWindow {
    uint64_t n = 0;
    double first = 0, last = 0;
  };
  struct Group {
    std::vector<std::unique_ptr<Replica>> reps;
    uint64_t applied = 0;        // the log applied to the shared state (first reporter wins)
    bool unavailable = false;
    double unavailable_since = 0;
    int lost_holder = -1;        // the holder whose lease lapsed
    bool tripped = false;        // circuit breaker
    double acquiring_until = -1;  // a lease/epoch request in flight until then
    std::vector<uint64_t> parked;  // park ids
    // Raft log truncation (cockroachdb_log.cpp): the TruncateLog entry in flight (0: none),
    // and the last applied truncation (up to which index, and the index of its entry).
    uint64_t truncation_entry = 0, truncate_to = 0, truncate_entry = 0;
    // Writes acknowledged to a client: the Raft entry that committed them, until every
    // replica has it (those before acked_head); then only their count and window per service
    // (on_every_replica). A vector, not a deque: Group must stay nothrow-movable.
    std::vector<AckedWrite> acked;
    size_t acked_head = 0;
    std::map<int, WriteWindow> on_every_replica;
  };
  enum class CmdKind : uint8_t { kWrite, kHeartbeat, kIncrementEpoch, kLease, kTransfer, kTruncateLog };
  struct Cmd {
    CmdKind kind = CmdKind::kWrite;
    int node = -1;      // heartbeat/increment: the record's node; lease: the requester
    double time = 0;    // heartbeat: send time
    bool bump = false;  // heartbeat: first after restart
    uint64_t seq = 0;   // heartbeat: the node's attempt number
    int range = -1;     // increment/lease: the range whose lease is wanted
    uint64_t up_to = 0;  // truncate log: the last index to drop
    int proposer = -1;  // write: the node whose replica proposed it; transfer: the old holder
    engine::Request* r = nullptr;
    uint32_t gen = 0;
    double durable_at = 0;  // write: when the leader's own append is on its disk
  };
  struct Parked {
    engine::Request* r;
    uint32_t gen;
    int group;
  };

  void boot(Node& n, bool first);
  void halt(Node& n, const std::string& cause);
  void drain(Node& n, double deadline);
  void apply(Replica& rep, raft::RaftActions a);
  void send(Replica& from, const raft::Message& msg);
  void stream_snapshot(Replica& from, Replica& to, const raft::Message& msg, double transit);
  void receive(Replica& to, const raft::Message& msg);
  void arm_inbox(Replica& rep);
  void acknowledge_write(const Cmd& cmd, int group, const raft::Committed& c);
  void on_committed(Replica& rep, const raft::Committed& c);
  void tick();
  void scan(double now);
  void attempt_heartbeat(Node& n);
  std::string group_name(int g) const;
  void try_acquire(int g, Replica& leader);
  void liveness_call(Node& from, Cmd cmd);
  void set_available(int g, bool available, double now, const char* cause);
  void propose_write(Replica& leader, engine::Request& r, int g);
  Replica* leader_of(int g);
  Replica& replica(int g, int node) { return *groups_[static_cast<size_t>(g)].reps[static_cast<size_t>(logic_.replica_index(g, node))]; }
  void arrive_gateway(engine::Request& r);
  void dispatch(engine::Request& r, int g);
  void serve(engine::Request& r, int g);
  void park(engine::Request& r, int g);
  void release(int g);
  int holder_if_usable(int g) const;
  int range_of(const engine::Request& r) const;

  CockroachDbParams p_;
  engine::Context& ctx_;
  CrdbLogic logic_;
  std::vector<Node> nodes_;
  std::vector<Group> groups_;
  // The durability ledger's store. At the end of the run, an acknowledged write with no copy
  // on a node that is up is lost (cockroachdb_log.cpp).
  int ledger_store_ = -1;
  void count_surviving_copies();
  // The range's log after a commit (cockroachdb_log.cpp): a replica drops what an applied
  // truncation covers; the leader folds writes every replica holds and decides whether to
  // truncate (the raft log queue).
  void after_commit(Replica& rep);
  void maybe_truncate(Replica& leader);
  // Proposes `c` as a Raft entry of the leader's range: its index, or 0 (not leader: dropped).
  uint64_t propose_cmd(Replica& leader, const Cmd& c, raft::RaftActions& a);
  std::map<uint64_t, Cmd> cmds_;  // proposed commands by id (a Raft entry's data)
  uint64_t next_cmd_ = 1;
  std::map<uint64_t, Parked> parked_;
  uint64_t next_park_ = 1;
  engine::Timer tick_;
  int unavailable_ranges_ = 0;
  int failover_from_ = -1;  // open failover: the node whose leases lapsed first
};

}  // namespace mailsim::models
