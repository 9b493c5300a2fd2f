#include "models/nfs/nfs_params.hpp"

namespace mailsim::models {

using P = NfsParams;
using config::choice;
using config::param;

const config::ParamTable<P>& nfs_params() {
  static const config::ParamTable<P> table(
      "nfs",
      {
          choice(&P::mode, "mode", "server", {"server", "appliance"},
                 "server: knfsd on each node (one server, or RuPost Maildir instances); appliance: two SAN heads, "
                 "the partner takes over the active head's address and volumes",
                 "mailsim; appliance HA as in NetApp ONTAP storage failover"),
          choice(&P::mount, "mount", "hard", {"hard", "soft"},
                 "hard: calls block and retry until the server answers; soft: EIO after the major timeout",
                 "nfs(5): hard is the default"),
          param(&P::timeo, "timeo", "60s", "duration",
                "RPC timeout before the first retransmission; grows by timeo after each one (linear backoff)",
                "nfs(5): timeo=600 (deciseconds) for NFS over TCP"),
          param(&P::retrans, "retrans", "2", "retransmissions",
                "retransmissions before a major timeout (soft: the call fails; hard: 'server not responding', "
                "retry from timeo)",
                "nfs(5): retrans default 2 for TCP; fs/nfs/client.c NFS_DEF_TCP_RETRANS"),
          param(&P::timeo_max, "timeo_max", "600s", "duration", "cap of the RPC timeout and of the major timeout",
                "nfs(5): 'up to the maximum of 600 seconds'; fs/nfs/client.c NFS_MAX_TCP_TIMEOUT"),
          param(&P::grace_period, "grace_period", "90s", "duration",
                "after a server (re)starts or a takeover, new OPENs, LOCKs, RENAMEs and REMOVEs get NFS4ERR_GRACE "
                "while clients reclaim state",
                "Linux nfsd: /proc/fs/nfsd/nfsv4gracetime defaults to the 90 s lease time (RFC 7530 9.6.2)"),
          param(&P::grace_retry_min, "grace_retry_min", "100ms", "duration",
                "first wait of a client told NFS4ERR_GRACE; doubles on each retry",
                "Linux fs/nfs/nfs4proc.c: NFS4_POLL_RETRY_MIN = HZ/10"),
          param(&P::grace_retry_max, "grace_retry_max", "15s", "duration", "longest wait between NFS4ERR_GRACE retries",
                "Linux fs/nfs/nfs4proc.c: NFS4_POLL_RETRY_MAX = 15*HZ"),
          param(&P::takeover_time, "takeover_time", "30s", "duration",
                "appliance: from the active head's death to the partner serving its volumes (then the grace period)",
                "assumption: vendor-specific; NetApp documents takeover within 'seconds to tens of seconds' "
                "(ONTAP HA pair docs); set it from the appliance's own figure"),
          param(&P::instances, "instances", "[]", "list: master, replica or backup per node",
                "server mode with several nodes: RuPost Maildir instances; the master serves, the hot replica is "
                "switched to when the master is unavailable, the backup never serves",
                "RuPost docs via the article (seeds/DIGEST.md, section 1)"),
          param(&P::replication_lag, "replication_lag", "5s", "duration",
                "age below which a delivery acknowledged by the master is not yet on the replica",
                "assumption: the article does not say how RuPost replicates Maildir"),
          param(&P::switch_check_interval, "switch_check_interval", "10s", "duration",
                "RuPost checks the master's availability this often", "assumption: not documented"),
          param(&P::switch_check_fall, "switch_check_fall", "3", "checks",
                "consecutive failed checks before RuPost switches to the replica", "assumption: not documented"),
          param(&P::disk, "disk", "", "disk name, empty = the node's first disk",
                "the disk of each server node that holds the export", "mailsim"),
          param(&P::rpc_bytes, "rpc_bytes", "200B", "size",
                "RPC header and reply overhead added to each call's request and response bytes",
                "RFC 5531 RPC header + RFC 7530 COMPOUND framing, order of magnitude"),
      });
  return table;
}

const NameTable<MaildirOp>& nfs_ops() {
  static const NameTable<MaildirOp> ops{{MaildirOp::kDeliver, "deliver"},
                                        {MaildirOp::kFetch, "fetch"},
                                        {MaildirOp::kFlag, "flag"},
                                        {MaildirOp::kList, "list"}};
  return ops;
}

const NameTable<NfsRole>& nfs_roles() {
  static const NameTable<NfsRole> roles{{NfsRole::kActive, "active"},
                                        {NfsRole::kMaster, "master"},
                                        {NfsRole::kReplica, "replica"},
                                        {NfsRole::kStandby, "standby"}};
  return roles;
}

}  // namespace mailsim::models
