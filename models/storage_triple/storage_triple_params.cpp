#include "models/storage_triple/storage_triple_params.hpp"

namespace mailsim::models {

using P = StorageTripleParams;
using config::param;

const config::ParamTable<P>& storage_triple_params() {
  static const config::ParamTable<P> table(
      "storage_triple",
      {
          param(&P::resync_time, "resync_time", "60s", "duration",
                "a returning node compares and catches up its copies for this long before its pairs are read-write "
                "again",
                "assumption: VK's storage format is not public; the article says only that a returning node resyncs"),
          param(&P::objects_per_pair, "objects_per_pair", "1000000", "messages",
                "messages each pair holds at time 0; reads pick a pair in proportion to what it holds",
                "assumption: data spread evenly over the pairs"),
          param(&P::disk, "disk", "", "disk name, empty = the node's first disk",
                "the disk of each storage node that holds its copies", "mailsim"),
      });
  return table;
}

}  // namespace mailsim::models
