#include "models/mysql_orchestrator/mysql_orchestrator_params.hpp"

namespace mailsim::models {

using P = MysqlOrchestratorParams;
using config::param;
using config::range;

const config::ParamTable<P>& mysql_orchestrator_params() {
  static const config::ParamTable<P> table(
      "mysql_orchestrator",
      {
          param(&P::orchestrator_node, "orchestrator_node", "", "node",
                "the node Orchestrator runs on (required); it probes the instances from there, and "
                "a partition "
                "between it and an instance is what it sees",
                "mailsim: Orchestrator is a separate service; where it runs is the deployment's "
                "choice"),
          param(&P::instance_poll, "instance_poll", "5s", "duration",
                "how often Orchestrator reads each instance (InstancePollSeconds)",
                "Orchestrator go/config/config.go: InstancePollSeconds = 5", range("1s", "1h")),
          param(&P::connect_timeout, "connect_timeout", "2s", "duration",
                "Orchestrator's connect timeout to an instance (MySQLConnectTimeoutSeconds); also "
                "how long it "
                "waits for a replica's restarted IO thread to reconnect to the primary",
                "Orchestrator go/config/config.go: MySQLConnectTimeoutSeconds = 2",
                range("100ms", "1h")),
          param(&P::topology_read_timeout, "topology_read_timeout", "600s", "duration",
                "how long Orchestrator waits for the answer to a recovery statement on an "
                "instance it connected to (MySQLTopologyReadTimeoutSeconds); a statement not "
                "answered by then fails the recovery",
                "Orchestrator go/config/config.go: MySQLTopologyReadTimeoutSeconds = 600",
                range("1s", "1h")),
          param(&P::hook_time, "hook_time", "0s", "duration",
                "run time of the PostMasterFailoverProcesses commands beyond their one round "
                "trip to the promoted node; they move the writer address clients use (a VIP "
                "brought up there, a DNS or proxy update)",
                "Orchestrator go/config/config.go: PostMasterFailoverProcesses = [] (none); "
                "the hook is the deployment's script: set its measured run time",
                range("0s", "1h")),
          param(&P::recovery_block, "recovery_block", "3600s", "duration",
                "anti-flapping: after a recovery, a new DeadMaster on the same cluster is not "
                "recovered for this "
                "long (RecoveryPeriodBlockSeconds)",
                "Orchestrator go/config/config.go: RecoveryPeriodBlockSeconds = 3600",
                range("0s", "30d")),
          param(&P::probe_bytes, "probe_bytes", "512B", "size",
                "size of one of Orchestrator's reads of an instance or recovery statements, each "
                "way",
                "assumption: a handful of SHOW statements' rows", range("1B", "1MiB")),
          param(&P::binlog_window, "binlog_window", "64KiB", "size",
                "how much of the binlog the primary's dump thread has in flight to one replica: "
                "one TCP receive window; the next part leaves when it has arrived, so a replica "
                "that cannot keep up falls behind in the primary's binlog, not in the network",
                "assumption: Linux's default receive buffer (net.ipv4.tcp_rmem 131072 B), half "
                "of it advertised (tcp_adv_win_scale = 1)",
                range("1KiB", "1GiB")),
          param(&P::connect_retry, "connect_retry", "60s", "duration",
                "after its connection to the primary failed, a replica's IO thread tries again "
                "this much later (SOURCE_CONNECT_RETRY)",
                "MySQL 8.0 reference, CHANGE REPLICATION SOURCE TO: SOURCE_CONNECT_RETRY "
                "(MASTER_CONNECT_RETRY) defaults to 60",
                range("1s", "1d")),
      });
  return table;
}

const NameTable<MysqlOp>& mysql_ops() {
  static const NameTable<MysqlOp> ops{
      {MysqlOp::kRead, "read"}, {MysqlOp::kWrite, "write"}, {MysqlOp::kQuery, "query"}};
  return ops;
}

const NameTable<MysqlRole>& mysql_roles() {
  static const NameTable<MysqlRole> roles{{MysqlRole::kPrimary, "primary"},
                                          {MysqlRole::kReplica, "replica"}};
  return roles;
}

}  // namespace mailsim::models
