#include "models/cockroachdb/crdb_log_truncation.hpp"

#include <algorithm>

namespace mailsim::models::crdb {

uint64_t truncate_up_to(const TruncationInput& in) {
  uint64_t first = std::min(in.last_index, in.commit + 1);
  const bool too_large = in.log_bytes > in.max_log_bytes;
  for (const auto& f : in.followers)
    if (f.recently_active || !too_large) first = std::min(first, f.match + 1);
  if (first <= in.first_index) return 0;
  const uint64_t n = first - in.first_index;
  const bool worth_it = n >= kRaftLogQueueStaleThreshold || in.log_bytes >= kRaftLogQueueStaleSize;
  return worth_it ? first - 1 : 0;
}

}  // namespace mailsim::models::crdb
