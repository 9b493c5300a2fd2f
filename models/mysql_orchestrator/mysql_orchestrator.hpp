#pragma once
// mysql_orchestrator: MySQL with asynchronous replication (one writable primary, the other
// instances its replicas) and Orchestrator, which detects a dead primary and promotes a
// replica. Everything Orchestrator knows it learns through messages over the network, from
// the node it runs on (`orchestrator_node`):
//  - every instance_poll it reads the primary (a connection that must succeed within
//    connect_timeout; a dead or cut-off host is silent, a stopped mysqld refuses);
//  - when that read fails it restarts the IO thread of every replica it reaches and reads
//    them: a replica whose IO thread reconnected to the primary within connect_timeout
//    still replicates. The holistic analysis (mysql_orchestrator_logic.hpp) then says
//    DeadMaster only when every replica it reached has lost the primary too;
//  - DeadMaster, unless a recovery ran within recovery_block, starts a recovery: the
//    statements Orchestrator runs (mysql_orchestrator_logic.hpp, RecoveryPhase), each a
//    round trip to an instance: with two or more replicas it stops and reads them all, moves
//    the others below the candidate, resets the candidate's replication and makes it
//    writable; then the PostMasterFailoverProcesses hook reaches the candidate and, after
//    hook_time, the writer address (a VIP or DNS name) points at it. A statement unanswered
//    or refused stops the recovery. The old primary is not re-attached (it comes back
//    detached); replicas not moved below the new primary are lost to the cluster.
//
// Replication: each write the primary commits is acknowledged to the client and its binlog
// event travels to every replica over the network (mysql_binlog.cpp); a replica's relay log
// holds what arrived. A promotion loses the old primary's acknowledged commits the
// candidate never received (the durability ledger counts them, failover.completed says how
// many); Orchestrator promotes the most advanced replica.
//
// Clients connect to the writer address for every request: a dead or cut-off primary leaves
// their SYN unanswered (retransmitted as Linux does, until their timeout; a retry after the
// address moved reaches the new primary); a stopped mysqld refuses at once (`unavailable`).
// A request running on an instance that dies is orphaned.
#include <deque>
#include <functional>
#include <vector>

#include "config/topology.hpp"
#include "engine/component.hpp"
#include "engine/context.hpp"
#include "engine/scheduler.hpp"
#include "models/mysql_orchestrator/mysql_orchestrator_logic.hpp"
#include "models/mysql_orchestrator/mysql_orchestrator_params.hpp"

namespace mailsim::models {

class MysqlOrchestrator : public engine::Component {
 public:
  MysqlOrchestrator(const config::ComponentSpec& spec, MysqlOrchestratorParams params,
                    engine::Context& ctx);

  void start() override;
  void on_node_down(engine::NodeId n) override { lose(n, "crash"); }
  void on_node_up(engine::NodeId n) override { back(n); }
  void stop_instance(engine::NodeId n) override { lose(n, "stop"); }
  void start_instance(engine::NodeId n) override { back(n); }
  std::optional<engine::NodeId> resolve_role(const std::string& role) const override;
  void on_request(engine::Request& r) override;
  bool accepts(engine::NodeId n) const override;
  void on_cpu_done(engine::Request& r, bool ok) override;
  int register_op(const std::string& op) override { return static_cast<int>(mysql_ops().at(op)); }
  nlohmann::json resolved_params() const override;

 private:
  void lose(engine::NodeId n, const std::string& cause);
  void back(engine::NodeId n);
  void poll();
  void primary_unreachable();
  void ask_replica(int replica, std::function<void(ReplicaView)> done);
  void analysed(const std::vector<ReplicaView>& views, const std::vector<int>& replicas);
  void regroup(const std::vector<int>& replicas);
  void run_phase(RecoveryPhase phase, std::vector<int> instances, std::function<void(std::vector<int> ok)> done);
  void run_statements(int instance, size_t left, std::function<void(bool ok)> done);
  void abandon_recovery();
  void promote(int to);
  // The binlog (mysql_binlog.cpp).
  void commit(int instance, engine::Request& r);
  void stream(size_t replica);
  void trim_binlog();
  uint64_t count_lost(uint64_t kept);
  void count_lost_at_end();

  MysqlOrchestratorParams p_;
  engine::Context& ctx_;
  engine::NodeId orchestrator_;
  std::vector<char> running_;      // mysqld serves on the instance
  std::vector<char> replicating_;  // the instance replicates from the primary
  int primary_ = 0;                // the writable instance; the writer address points at it
  bool busy_ = false;              // an analysis or a recovery is under way: polls wait
  int failover_from_ = -1;         // the instance whose loss opened a failover record
  RecoveryGate gate_;
  engine::Timer poll_;

  // Asynchronous replication. Transactions are numbered in one sequence: a promoted replica
  // continues from the last one it received (GTID), and what the old primary had past that
  // is gone.
  struct BinlogEntry {  // a commit of the primary not yet in every replica's relay log
    uint64_t seq;
    int service;
    uint64_t message;  // the mail queue's message id it queued, 0: none
    double acknowledged_at;
    double bytes;      // its binlog event
  };
  std::vector<uint64_t> received_;  // per instance: the last transaction in its binlog or relay log
  std::vector<uint64_t> lineage_;   // per instance: the generation of the history it holds
  std::vector<char> streaming_;     // per replica: a window of the binlog is on its way, or a retry is due
  std::deque<BinlogEntry> binlog_;  // the primary's commits some replica has not received
  uint64_t generation_ = 0;         // promotions so far: an old primary's events count nowhere
  int ledger_store_ = -1;
};

}  // namespace mailsim::models
