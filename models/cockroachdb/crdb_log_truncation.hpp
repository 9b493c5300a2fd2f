#pragma once
// CockroachDB's Raft log truncation decision (pkg/kv/kvserver/raft_log_queue.go
// computeTruncateDecision and ShouldTruncate), as a pure function the range's leader runs
// after it commits. The leader then proposes the truncation through the range's Raft group
// (TruncateLogRequest), and each replica drops its log up to it once it has applied it.
//
// The new first index is the most aggressive of: the commit index + 1, and for each
// follower its match + 1 when it is recently active, or when it is not but the log is not
// yet larger than raft_log_truncation_threshold (past that, a follower that went away is
// cut off and will need a snapshot). The log is truncated when that frees at least
// RaftLogQueueStaleThreshold entries, or any entry once the log holds RaftLogQueueStaleSize.
#include <cstdint>
#include <vector>

namespace mailsim::models::crdb {

// raft_log_queue.go constants (not settings).
inline constexpr uint64_t kRaftLogQueueStaleThreshold = 100;  // entries
inline constexpr double kRaftLogQueueStaleSize = 64 * 1024;   // bytes

struct TruncationInput {
  uint64_t first_index = 1;  // the first entry in the leader's log
  uint64_t last_index = 0;
  uint64_t commit = 0;
  double log_bytes = 0;      // the leader's log
  double max_log_bytes = 0;  // raft_log_truncation_threshold
  struct Follower {
    uint64_t match = 0;
    bool recently_active = false;
  };
  std::vector<Follower> followers;
};

// The index to truncate up to (inclusive; the new first index - 1), or 0: do not truncate.
uint64_t truncate_up_to(const TruncationInput& in);

}  // namespace mailsim::models::crdb
