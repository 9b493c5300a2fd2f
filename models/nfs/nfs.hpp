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
//  - Appliance (mode appliance): the partner head takes over after `takeover_time`, then
//    runs the grace period; the old head, when back, stays standby.
//  - Maildir instances (RuPost): RuPost checks the master every switch_check_interval and
//    after switch_check_fall failures switches to the hot replica; deliveries acknowledged
//    by the master less than replication_lag before its loss are counted lost
//    (`mail.lost`, `failover.completed.lost_messages`). Calls blocked on the old master
//    stay blocked (hard) until it returns; new calls go to the replica. No switch back.
//  - The caller's node crashing while a held call is blocked: the request is orphaned by
//    the mail node and the call abandoned.
#include <memory>
#include <vector>

#include "models/disk/disk_logic.hpp"
#include "models/nfs/nfs_logic.hpp"
#include "models/nfs/nfs_params.hpp"
#include "config/topology.hpp"
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
    DiskQueue disk;
    DiskCost cost;
  };
  struct Op;
  void send(const std::shared_ptr<Op>& op);
  void arm_tick(const std::shared_ptr<Op>& op);
  void complete(const std::shared_ptr<Op>& op);
  bool op_abandoned(const Op& op) const;
  void server_lost(Instance& in, const std::string& cause);
  void server_back(Instance& in);
  void begin_grace();
  void check_master();
  bool instances_mode() const { return !p_.instances.empty(); }

  NfsParams p_;
  engine::Context& ctx_;
  std::vector<Instance> inst_;
  int active_ = 0;           // the instance calls go to
  double grace_until_ = 0;
  uint64_t grace_gen_ = 0;
  bool not_responding_ = false;
  ReplicationLedger ledger_;
  double master_lost_at_ = -1;
  int check_fails_ = 0;
  bool switched_ = false;
  engine::Timer check_timer_, takeover_timer_;
};

}  // namespace mailsim::models
