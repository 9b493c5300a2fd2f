#include "models/scylla/scylla_params.hpp"

namespace mailsim::models {

using P = ScyllaParams;
using config::choice;
using config::param;
using config::range;

const config::ParamTable<P>& scylla_params() {
  static const config::ParamTable<P> table(
      "scylla",
      {
          choice(&P::consistency, "consistency", "one", {"one", "quorum", "all"},
                 "replicas that must answer a request, the coordinator included: one, a majority "
                 "(RF / 2 + 1) "
                 "or all",
                 "ScyllaDB docs, Consistency Levels (cqlsh's default is ONE); CQL CONSISTENCY"),
          param(&P::read_request_timeout, "read_request_timeout", "5000ms", "duration",
                "how long a coordinator waits for the replicas a read needs before ReadTimeout",
                "scylla.yaml: read_request_timeout_in_ms = 5000", range("1ms", "1h")),
          param(&P::write_request_timeout, "write_request_timeout", "2000ms", "duration",
                "how long a coordinator waits for the replicas a write needs before WriteTimeout",
                "scylla.yaml: write_request_timeout_in_ms = 2000", range("1ms", "1h")),
          param(&P::gossip_interval, "gossip_interval", "1s", "duration",
                "each node's gossip round: it sends its heartbeat to its peers",
                "ScyllaDB gms/gossiper.cc: gossip rounds every 1000 ms (INTERVAL)",
                range("10ms", "1m")),
          param(&P::driver_connect_timeout, "driver_connect_timeout", "5s", "duration",
                "the client's driver: how long it waits for a node to accept a connection before "
                "it tries the "
                "next node of its query plan",
                "DataStax Java driver 4 reference.conf: advanced.connection.connect-timeout = 5 "
                "seconds",
                range("100ms", "120s")),
          param(&P::phi_convict_threshold, "phi_convict_threshold", "8", "phi",
                "a node convicts a peer (marks it down) when phi, the suspicion from the time "
                "since its last "
                "heartbeat, exceeds this: phi = silence / (mean interval x ln 10)",
                "scylla.yaml: phi_convict_threshold = 8; phi accrual (Hayashibara et al. 2004) as "
                "Cassandra's "
                "FailureDetector computes it",
                range("5", "16")),
          param(&P::gossip_bytes, "gossip_bytes", "1KiB", "size", "size of one gossip message",
                "assumption: a digest of a few endpoints", range("64B", "1MiB")),
      });
  return table;
}

const NameTable<ScyllaOp>& scylla_ops() {
  static const NameTable<ScyllaOp> ops{{ScyllaOp::kRead, "read"}, {ScyllaOp::kWrite, "write"}};
  return ops;
}

const NameTable<ScyllaRole>& scylla_roles() {
  static const NameTable<ScyllaRole> roles{{ScyllaRole::kAny, "any"}};
  return roles;
}

}  // namespace mailsim::models
