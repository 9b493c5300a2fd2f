#include "models/storage_triple/storage_triple_params.hpp"

namespace mailsim::models {

using P = StorageTripleParams;
using config::param;
using config::range;

const config::ParamTable<P>& storage_triple_params() {
  static const config::ParamTable<P> table(
      "storage_triple",
      {
          param(&P::rpc_timeout, "rpc_timeout", "1s", "duration",
                "the front node's wait for a storage node's answer; no answer marks the node unreachable in the "
                "client's view (its pairs read-only) and fails that copy of the operation",
                "assumption: VK's storage protocol is not public; 1 s as the same cluster's mcrouter "
                "(--server-timeout, default 1000 ms)",
                range("1ms", "1h")),
          param(&P::probe_interval, "probe_interval", "10s", "duration",
                "the client probes an unreachable storage node this often; an answer makes its pairs writable again",
                "assumption: VK's client is not public; 10 s as mcrouter's first TKO probe "
                "(--probe-timeout-initial, default 10000 ms)",
                range("1ms", "1d")),
          param(&P::objects_per_pair, "objects_per_pair", "1000000", "messages",
                "messages each pair holds at time 0; reads pick a pair in proportion to what it holds",
                "assumption: data spread evenly over the pairs",
                range("1", "1000000000")),
          param(&P::disk, "disk", "", "disk name, empty = the node's first disk",
                "the disk of each storage node that holds its copies", "mailsim"),
      });
  return table;
}

}  // namespace mailsim::models
