#include "models/nfs/nfs_params.hpp"

namespace mailsim::models {

using P = NfsParams;
using config::choice;
using config::param;
using config::range;

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
                "nfs(5): timeo=600 (deciseconds) for NFS over TCP",
                range("100ms", "600s").because("nfs(5): tenths of a second, at most 600 s: NFS_MAX_TCP_TIMEOUT")),
          param(&P::retrans, "retrans", "2", "retransmissions",
                "retransmissions before a major timeout (soft: the call fails; hard: 'server not responding', "
                "retry from timeo)",
                "nfs(5): retrans default 2 for TCP; fs/nfs/client.c NFS_DEF_TCP_RETRANS",
                range("0", "1000")),
          param(&P::timeo_max, "timeo_max", "600s", "duration", "cap of the RPC timeout and of the major timeout",
                "nfs(5): 'up to the maximum of 600 seconds'; fs/nfs/client.c NFS_MAX_TCP_TIMEOUT",
                range("100ms", "600s").because("fs/nfs/client.c NFS_MAX_TCP_TIMEOUT = 600 s")),
          param(&P::grace_period, "grace_period", "90s", "duration",
                "after a server (re)starts or a takeover, new OPENs, LOCKs, RENAMEs and REMOVEs get NFS4ERR_GRACE "
                "while clients reclaim state",
                "Linux nfsd: /proc/fs/nfsd/nfsv4gracetime defaults to the 90 s lease time (RFC 7530 9.6.2)",
                range("10s", "1h").because("Linux fs/nfsd/nfsctl.c: nfsv4gracetime 10 s to 3600 s")),
          param(&P::grace_retry_min, "grace_retry_min", "100ms", "duration",
                "first wait of a client told NFS4ERR_GRACE; doubles on each retry",
                "Linux fs/nfs/nfs4proc.c: NFS4_POLL_RETRY_MIN = HZ/10",
                range("1ms", "1h")),
          param(&P::grace_retry_max, "grace_retry_max", "15s", "duration", "longest wait between NFS4ERR_GRACE retries",
                "Linux fs/nfs/nfs4proc.c: NFS4_POLL_RETRY_MAX = 15*HZ",
                range("1ms", "1h")),
          param(&P::heartbeat_interval, "heartbeat_interval", "1s", "duration",
                "appliance: each head sends its partner a heartbeat over the network and stamps its mailbox disk "
                "this often",
                "assumption: NetApp documents the HA interconnect and mailbox disks but not their period; "
                "1 s, well under takeover_detection",
                range("1ms", "1h")),
          param(&P::takeover_detection, "takeover_detection", "15s", "duration",
                "appliance: a head whose partner sent no heartbeat and stamped no mailbox for this long takes it "
                "over; both must be silent, so a network partition alone causes no takeover",
                "NetApp Data ONTAP HA guide: options cf.takeover.detection.seconds, default 15 (10-180)",
                range("10s", "180s").because("Data ONTAP: cf.takeover.detection.seconds 10 to 180")),
          param(&P::takeover_export, "takeover_export", "15s", "duration",
                "appliance: from the takeover decision to the partner serving the volumes at the failed head's "
                "address (assume its disks, replay NVRAM, bring up the address); the grace period follows",
                "assumption: NetApp publishes no single figure; 15 s keeps detection + takeover at the 30 s the "
                "model assumed before it had a detector",
                range("0s", "1h")),
          param(&P::instances, "instances", "[]", "list: master, replica or backup per node",
                "server mode with several nodes: RuPost Maildir instances; the master serves, the hot replica is "
                "switched to when the master is unavailable, the backup never serves",
                "RuPost docs via the article (seeds/DIGEST.md, section 1)"),
          param(&P::replica_sync_interval, "replica_sync_interval", "60s", "duration",
                "RuPost instances: the master's Maildir is copied to the hot replica by a periodic rsync run this "
                "often (a run still going skips the next); deliveries since the last run's scan are lost with the "
                "master",
                "assumption: the article does not say how RuPost replicates its instances; they are NFS exports, "
                "so a file-level periodic rsync from cron (finest period 1 min) is the closest real mechanism "
                "(dovecot dsync replication would need a dovecot per store, which the article does not describe)",
                range("1s", "1d")),
          param(&P::backup_sync_interval, "backup_sync_interval", "24h", "duration",
                "RuPost instances: the hot replica is copied to the cold backup this often, the same way",
                "assumption: a nightly copy for 'consistent file-system backups' (seeds/DIGEST.md, section 1)",
                range("1s", "30d")),
          param(&P::switch_check_interval, "switch_check_interval", "10s", "duration",
                "RuPost checks the master's availability this often", "assumption: not documented",
                range("1ms", "1h")),
          param(&P::switch_check_timeout, "switch_check_timeout", "5s", "duration",
                "RuPost's check is an NFS NULL RPC (what rpcinfo -T tcp HOST nfs sends) from a mail node to the "
                "master; no answer within this time, or a refused connection, is a failed check",
                "assumption: RuPost's check is not documented; a NULL RPC is the lightest probe of an NFS server, "
                "and 5 s keeps one check inside switch_check_interval",
                range("1ms", "1h")),
          param(&P::switch_check_fall, "switch_check_fall", "3", "checks",
                "consecutive failed checks before RuPost switches to the replica", "assumption: not documented",
                range("1", "1000")),
          param(&P::disk, "disk", "", "disk name, empty = the node's first disk",
                "the disk of each server node that holds the export", "mailsim"),
          param(&P::rpc_bytes, "rpc_bytes", "200B", "size",
                "RPC header and reply overhead added to each call's request and response bytes",
                "RFC 5531 RPC header + RFC 7530 COMPOUND framing, order of magnitude",
                range("0B", "1MiB")),
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
