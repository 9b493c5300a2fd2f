#pragma once
// nfs: NFS servers holding Maildir, and the client mount semantics of their callers.
// A service step `{component: store, op: fetch}` placed after a mail_node step is an NFS
// call made from the node the request is on (the mail node): caller -> server RPC, the
// server's disk (disk_logic.hpp), and the reply. With `hold_worker: true` on the step the
// mail node's worker stays busy until the request ends, as a process blocked on the call.
//
// Failure semantics:
//  - Server (or active head) crash: calls in flight get no reply; the client retransmits
//    on its RPC timeouts (nfs_logic.hpp). hard: the call completes at the first
//    retransmission after the server serves again; soft: io_error at the major timeout.
//  - Server restart (mode server): it serves again with a grace period: calls that need
//    state (deliver, fetch, flag) get NFS4ERR_GRACE and the client polls (0.1 s .. 15 s)
//    until the grace period ends; `list` (READDIR) is served at once.
//  - Appliance (mode appliance): the serving head sends its partner a heartbeat over the
//    network and stamps its mailbox disk every heartbeat_interval. A partner that has had
//    neither for takeover_detection takes over (a partition alone, with the mailbox still
//    stamped, causes none); it serves the volumes takeover_export later, then runs the grace
//    period. The old head, when back, stays standby; a standby back while the serving head
//    is down takes over the same way, takeover_detection after its boot.
//  - Maildir instances (RuPost): every switch_check_interval a mail node sends the master an
//    NFS NULL RPC; no answer within switch_check_timeout (dead or partitioned master) or a
//    refusal (knfsd stopped on a live host) is a failed check, and after switch_check_fall
//    failures in a row RuPost switches to the hot replica. The master's Maildir reaches the
//    replica by a periodic rsync run every replica_sync_interval (and the replica's the
//    backup every backup_sync_interval): each run copies what its scan found, message by
//    message through the source disk, the network and the target disk. Deliveries the
//    master acknowledged that no run had copied yet are lost at the switch
//    (`mail.lost`, `failover.completed.lost_messages`); `nfs.sync_completed` shows each
//    run's messages, duration and largest lag. Calls blocked on the old master
//    stay blocked (hard) until it returns; new calls go to the replica. No switch back.
//  - The caller's node crashing while a held call is blocked: the request is orphaned by
//    the mail node and the call abandoned.
//  - The instance calls go to holds the "serving store" role: `store.serving` when it
//    starts serving (start, takeover, switch, restart), `store.not_serving` when it stops.
#include <map>
#include <memory>
#include <vector>

#include "models/disk/disk_logic.hpp"
#include "models/nfs/nfs_logic.hpp"
#include "models/nfs/nfs_params.hpp"
#include "config/topology.hpp"
#include "engine/acked_span.hpp"
#include "engine/component.hpp"
#include "engine/context.hpp"

namespace mailsim::models {

class Nfs : public engine::Component {
 public:
  Nfs(const config::ComponentSpec& spec, const config::Topology& topo, NfsParams params, engine::Context& ctx);

  void start() override;
  void on_node_down(engine::NodeId n) override;
  void on_node_up(engine::NodeId n) override;
  void stop_instance(engine::NodeId n) override;
  void start_instance(engine::NodeId n) override;
  std::optional<engine::NodeId> resolve_role(const std::string& role) const override;
  void on_request(engine::Request& r) override;
  bool accepts(engine::NodeId n) const override;
  int register_op(const std::string& op) override;
  nlohmann::json resolved_params() const override;

 private:
  enum class Role { kServer, kMaster, kReplica, kBackup, kHead };
  struct Instance {
    engine::NodeId node;
    Role role = Role::kServer;
    bool serving = false;
    uint64_t epoch = 0;
    engine::Disk* disk;  // the export's disk on this node
  };
  struct Op;
  void send(const std::shared_ptr<Op>& op);
  void arm_tick(const std::shared_ptr<Op>& op);
  void complete(const std::shared_ptr<Op>& op);
  bool op_abandoned(const Op& op) const;
  void server_lost(Instance& in, const std::string& cause);
  void server_back(Instance& in);
  void begin_grace();
  void now_serving(const char* cause);  // the active instance serves: store.serving
  void check_master();
  void check_failed();
  void heartbeat_tick();
  void take_over(size_t head);
  // RuPost's periodic rsync between instances (nfs_sync.cpp).
  struct Sync {
    int from = 0, to = 0;  // instance indexes: master -> replica, replica -> backup
    double interval = 0;
    SyncBacklog backlog;   // on `from`, not yet on `to`
    bool running = false;
    uint64_t run = 0;      // bumped per run: a stale copy step finds a newer run
    size_t todo = 0;       // messages left of this run's scan
    size_t copied = 0;
    double bytes = 0, lag_max = 0, started = 0;
    engine::Timer timer;
  };
  void start_syncs();
  void sync_tick(Sync& s);
  void copy_next(Sync& s, uint64_t run, uint64_t from_epoch, uint64_t to_epoch);
  void end_sync(Sync& s, bool completed);
  void delivered(const Instance& on, int service, double bytes);
  // The durability ledger: the backlog's messages are on no surviving copy.
  void backlog_lost(const SyncBacklog& backlog);
  void count_lost_at_end();
  int ledger_store_ = -1;
  std::map<int, engine::AckedSpan> acked_;  // by service: what clients were acknowledged
  Sync* sync_from(const Instance& in);
  bool instances_mode() const { return !p_.instances.empty(); }

  NfsParams p_;
  engine::Context& ctx_;
  std::vector<Instance> inst_;
  int active_ = 0;           // the instance calls go to
  double grace_until_ = 0;
  uint64_t grace_gen_ = 0;
  bool not_responding_ = false;
  std::vector<Sync> syncs_;  // RuPost instances: master -> replica, replica -> backup
  int check_fails_ = 0;
  bool switched_ = false;
  std::vector<engine::NodeId> checkers_;  // mail nodes that call this store: they run RuPost's check
  uint64_t check_seq_ = 0;
  double mailbox_stamped_ = 0;                 // appliance: last mailbox-disk stamp of the serving head
  std::vector<double> heartbeat_heard_;       // appliance: per head, last heartbeat from the serving head
  bool taking_over_ = false;
  engine::Timer check_timer_, takeover_timer_, heartbeat_timer_;
};

}  // namespace mailsim::models
