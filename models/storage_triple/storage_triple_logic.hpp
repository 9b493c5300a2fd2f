#pragma once
// VK WorkSpace storage: nodes in groups of three, each group holding three disk pairs on its
// three node pairs ((a,b), (b,c), (c,a)); every object has two copies, on the two disks of
// one pair, written synchronously. No SimGrid here: node states in, pair states out.
//  - a pair is read-write when both its nodes are up and it is not resyncing;
//  - read-only when exactly one is up (or a returning node is still resyncing the pair);
//  - unavailable when both are down.
// New writes go only to read-write pairs (round robin); reads go to either live copy.
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace mailsim::models {

enum class PairState { kReadWrite, kReadOnly, kUnavailable };
const char* pair_state_name(PairState s);

class TripleLayout {
 public:
  explicit TripleLayout(int nodes);  // nodes % 3 == 0 (validated by the registry)
  int pair_count() const { return static_cast<int>(pairs_.size()); }
  std::pair<int, int> pair_nodes(int p) const { return pairs_[static_cast<size_t>(p)]; }

  void set_node_up(int node, bool up) { up_[static_cast<size_t>(node)] = up; }
  bool node_up(int node) const { return up_[static_cast<size_t>(node)]; }
  void set_resyncing(int pair, bool r) { resyncing_[static_cast<size_t>(pair)] = r; }
  bool resyncing(int pair) const { return resyncing_[static_cast<size_t>(pair)]; }
  PairState state(int pair) const;
  std::vector<int> pairs_of(int node) const;
  // The next read-write pair in round-robin order, or -1 when none is writable.
  int pick_write_pair();

 private:
  std::vector<std::pair<int, int>> pairs_;
  std::vector<char> up_;
  std::vector<char> resyncing_;
  size_t rr_ = 0;
};

}  // namespace mailsim::models
