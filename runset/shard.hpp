#pragma once
// `--shard i/N`: the i-th (0-based) of N deterministic slices of a run set. Item k of a set
// belongs to shard k mod N, so every shard gets an even share whatever the set's order,
// and shards need no coordination: Slurm array task ids, Kubernetes completion indexes
// and GNU parallel sequence numbers map onto i directly (docs/scale-out.md).
#include <cstddef>
#include <string>

namespace mailsim::runset {

struct Shard {
  int index = 0;  // i, in [0, count)
  int count = 1;  // N; 1 = the whole set
  bool whole() const { return count == 1; }
  bool owns(size_t item) const { return static_cast<int>(item % static_cast<size_t>(count)) == index; }
  std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }
};

// Parses "i/N" with 0 <= i < N <= 100000; a malformed one is core::InputError at "--shard".
Shard parse_shard(const std::string& text);

}  // namespace mailsim::runset
