#include "models/etcd/etcd_params.hpp"

namespace mailsim::models {

using P = EtcdParams;
using config::param;
using config::range;

const config::ParamTable<P>& etcd_params() {
  static const config::ParamTable<P> table(
      "etcd",
      {
          param(&P::heartbeat_interval, "heartbeat_interval", "100ms", "duration",
                "how often the leader sends heartbeats (appends) to the followers",
                "etcd docs, tuning.md / etcd --heartbeat-interval, default 100 ms",
                range("1ms", "10s")),
          param(&P::election_timeout, "election_timeout", "1000ms", "duration",
                "T: a follower that hears no leader for a random time in [T, 2T) campaigns; a leader "
                "steps down after T without a quorum (check-quorum)",
                "etcd docs, tuning.md / etcd --election-timeout, default 1000 ms; etcd-io/raft "
                "resetRandomizedElectionTimeout",
                range("5ms", "50s").because("etcd refuses an election timeout above 50 s: server/embed/config.go")),
          param(&P::election_timeout_spread, "election_timeout_spread", "1", "x T",
                "width of the random part: each election timer is drawn uniformly in [T, T x (1 + spread)); 1 is "
                "etcd's [T, 2T); the Raft paper's Figure 16 compares 150-151 ms (1/150) with 150-300 ms (1)",
                "etcd-io/raft raft.go resetRandomizedElectionTimeout: electionTimeout + rand(electionTimeout) "
                "(fixed at 1 in etcd; a parameter here for experiments); Ongaro & Ousterhout, USENIX ATC 2014, "
                "section 9.3, Figure 16",
                range("0", "10")),
          param(&P::pre_vote, "pre_vote", "true", "bool",
                "a node first asks whether it could win before raising its term (Raft thesis 9.6)",
                "etcd --pre-vote, default true since v3.5 (CHANGELOG-3.5)"),
          param(&P::check_quorum, "check_quorum", "true", "bool",
                "a leader steps down when it has not heard a majority within an election timeout",
                "etcd server/etcdserver/raft.go: raft.Config{CheckQuorum: true} (not configurable)"),
          param(&P::lease_check_interval, "lease_check_interval", "500ms", "duration",
                "how often the leader's lessor looks for expired leases and proposes their revocation",
                "etcd server/lease/lessor.go runLoop: revokeExpiredLeases every 500 ms",
                range("1ms", "1h")),
          param(&P::request_bytes, "request_bytes", "256B", "size",
                "size of one client request or reply (gRPC over HTTP/2) and of a Raft message header",
                "mailsim assumption: small key/value operations; negligible on a LAN",
                range("1B", "1536KiB").because("etcd --max-request-bytes, default 1.5 MiB")),
      });
  return table;
}

const NameTable<EtcdRole>& etcd_roles() {
  static const NameTable<EtcdRole> roles{{EtcdRole::kLeader, "leader"}, {EtcdRole::kFollower, "follower"}};
  return roles;
}

raft::RaftConfig etcd_raft_config(const EtcdParams& p, int id, int peers) {
  raft::RaftConfig c;
  c.id = id;
  c.peers = peers;
  c.heartbeat_interval = p.heartbeat_interval.seconds;
  c.election_timeout = p.election_timeout.seconds;
  c.election_timeout_spread = p.election_timeout_spread;
  c.pre_vote = p.pre_vote;
  c.check_quorum = p.check_quorum;
  return c;
}

}  // namespace mailsim::models
