#pragma once
// etcd: a Raft cluster of members, one per node (models/common/raft_logic), each applying
// the committed log to its key space and leases (etcd_logic). Other models are its clients:
// they call it in-process, and every call travels the simulated network (client -> member
// -> leader -> member -> client), so partitions and dead nodes act on it as on the real one.
//
// Failure semantics:
//  - Member crash: its Raft persistent state (term, vote, log, commit: etcd's WAL) survives;
//    the key space is rebuilt from the log on restart. A crashed leader's followers campaign
//    after a random [T, 2T) without heartbeats; clients connected to it time out and move to
//    the next endpoint.
//  - Graceful stop: a leader first hands its leadership over (etcd server.go Stop ->
//    TransferLeadership: MoveLeader to another voting member, polled every heartbeat
//    interval, given up after 5 s + 2 election timeouts), then stops; a follower stops at once.
//    A stopped member no longer answers; clients get a connection refused at once.
//  - Partition: a leader without a majority steps down after one election timeout
//    (check-quorum); a minority cannot elect (pre-vote + majority votes). Requests reaching a
//    member that knows no leader fail with "no leader"; a leader that steps down fails its
//    pending requests with "leader changed".
//  - Leases: only the leader's lessor expires them, checking every lease_check_interval; the
//    revocation goes through Raft. A new leader extends every lease to its full TTL plus one
//    election timeout (lessor Promote), once the empty entry of its term commits.
//  - Steady state at t = 0: the first listed member leads term 1 (no cold-start election).
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "models/common/raft_logic.hpp"
#include "models/etcd/etcd_logic.hpp"
#include "models/etcd/etcd_params.hpp"
#include "config/topology.hpp"
#include "core/rng.hpp"
#include "engine/component.hpp"
#include "engine/context.hpp"

namespace mailsim::models {

// A client call: etcd v3 KV/Lease operations as the clients of this project use them.
struct EtcdRequest {
  enum class Kind : uint8_t { kRange, kPut, kCas, kDelete, kLeaseGrant, kLeaseKeepAlive };
  Kind kind = Kind::kRange;
  std::string key;  // kRange: a prefix
  std::string value;
  bool expect_absent = false;
  std::string expect_value;
  int64_t lease = 0;
  double ttl = 0;
};

struct EtcdReply {
  bool ok = false;           // false: error (timeout, no leader, leader changed, refused, lease not found)
  std::string error;
  bool succeeded = false;    // kCas: the compare held; kPut with a lease: the lease existed
  std::map<std::string, std::string> kvs;  // kRange
  int64_t lease = 0;         // kLeaseGrant: the new id
};

class Etcd : public engine::Component {
 public:
  using Callback = std::function<void(const EtcdReply&)>;
  Etcd(const config::ComponentSpec& spec, EtcdParams params, engine::Context& ctx);

  void start() override;
  void on_node_down(engine::NodeId n) override;
  void on_node_up(engine::NodeId n) override;
  void stop_instance(engine::NodeId n) override;
  void start_instance(engine::NodeId n) override;
  std::optional<engine::NodeId> resolve_role(const std::string& role) const override;
  void on_request(engine::Request& r) override;
  bool accepts(engine::NodeId n) const override;
  nlohmann::json resolved_params() const override;

  // The client API. `client` is the caller's node; the call goes to the client's current
  // endpoint (the next member after a failure, as clientv3's balancer does) and `done` runs
  // exactly once: with the reply when it arrives, or with error "timeout" after `timeout`.
  void call(engine::NodeId client, EtcdRequest req, double timeout, Callback done);
  // A watch stream on a key prefix through the client's current endpoint (etcd3's Watch
  // RPC, which Patroni's etcd3 client keeps open): `changed` runs for every change under the
  // prefix that member applies, delivered over the network, for as long as the stream lives.
  // A new watch of the same client and prefix replaces the old one (the client closes it). A
  // stream dies silently with its member; the client notices through its own failed calls
  // (which move it to the next endpoint, see endpoint_of) and opens a new one. Returns the
  // member index the stream was opened on.
  int watch(engine::NodeId client, const std::string& prefix, std::function<void()> changed);
  // The member the client's calls go to now (clientv3's current endpoint).
  int endpoint_of(engine::NodeId client) { return endpoint(client); }
  double election_timeout() const { return p_.election_timeout.seconds; }

 private:
  struct Member {
    engine::NodeId node;
    int index;
    bool running = false;
    uint64_t epoch = 0;
    std::unique_ptr<raft::RaftLogic> raft;
    core::RngStream rng;
    EtcdStore store;
    engine::Timer election, heartbeat, lessor;
    engine::Timer stopping;  // a graceful stop waiting for its leadership transfer
    std::map<uint64_t, uint64_t> proposals;  // raft index -> call id (leader only)
    std::map<uint64_t, uint64_t> reads;      // read id -> call id
    struct Watch {
      engine::NodeId client;
      std::string prefix;
      std::function<void()> changed;
    };
    std::vector<Watch> watches;
    bool was_leader = false;
    uint64_t led_term = 0;  // the last term it led
  };
  struct Pending {
    engine::NodeId client;
    int member;          // the member the client sent the call to
    Callback done;
    std::string prefix;  // kRange
  };

  void boot(Member& m, bool steady_leader);
  void halt(Member& m, const std::string& cause);
  void stop_after_transfer(Member& m, int to, double deadline);
  void apply(Member& m, raft::RaftActions a);
  void send(Member& from, const raft::Message& msg);
  void on_committed(Member& m, const raft::Committed& c);
  void lessor_tick(Member& m);
  void receive(Member& m, uint64_t id, const EtcdRequest& req);
  void handle_at_leader(Member& leader, Member& entry, uint64_t id, const EtcdRequest& req);
  void reply(Member& from, Member& entry, uint64_t id, EtcdReply rep);
  void finish(uint64_t id, const EtcdReply& rep);
  void fail_pending(Member& m, const std::string& why);
  int endpoint(engine::NodeId client);
  void rotate(engine::NodeId client);

  EtcdParams p_;
  engine::Context& ctx_;
  std::vector<Member> mem_;
  std::vector<EtcdCommand> commands_;  // proposed commands; a Raft entry's data is index + 1
  std::map<uint64_t, std::unique_ptr<Pending>> pending_;
  uint64_t next_call_ = 1;
  int64_t next_lease_ = 1;
  std::map<engine::NodeId, int> endpoint_;  // client node -> member index
  int leader_lost_ = -1;                    // member whose leadership loss opened a failover
  uint64_t lost_term_ = 0;                  // the term that member led
  void open_failover(Member& m, const std::string& cause);
};

}  // namespace mailsim::models
