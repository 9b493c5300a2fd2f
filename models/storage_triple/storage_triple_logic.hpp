#pragma once
// VK WorkSpace storage: nodes in groups of three, each group holding three disk pairs on its
// three node pairs ((a,b), (b,c), (c,a)); every object has two copies, on the two disks of
// one pair, written synchronously. No SimGrid here: node states in, pair states out.
//  - a pair is read-write when both its nodes are up (reachable, in a client's view);
//  - read-only when exactly one is up (or a returning node is still resyncing the pair);
//  - unavailable when both are down.
// New writes go only to read-write pairs (round robin); reads go to either live copy.
//  - PairResync: what one copy of a pair holds that the other lacks (bytes written to one
//    copy by attempts whose other copy failed), and the time to bring the pair back in sync.
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace mailsim::models {

enum class PairState { kReadWrite, kReadOnly, kUnavailable };

class TripleLayout {
 public:
  explicit TripleLayout(int nodes);  // nodes % 3 == 0 (validated by the registry)
  int pair_count() const { return static_cast<int>(pairs_.size()); }
  std::pair<int, int> pair_nodes(int p) const { return pairs_[static_cast<size_t>(p)]; }
  int partner(int pair, int node) const {
    auto [a, b] = pair_nodes(pair);
    return a == node ? b : a;
  }

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

// One pair's divergence between its two copies (side 0 = the pair's first node).
class PairResync {
 public:
  // A write attempt left the data on one copy only: the other one lacks it.
  void one_copy_written(int lacking_side, double bytes) { missing_[static_cast<size_t>(lacking_side)] += bytes; }
  double bytes_to_copy() const { return missing_[0] + missing_[1]; }
  void synced() { missing_ = {0, 0}; }
  // Seconds to bring the copies in sync: one round trip to compare the pair's change logs,
  // then the missing bytes at the slowest of the network route and the receiving disk.
  static double seconds(double bytes, double round_trip, double route_bandwidth, double disk_write_bandwidth);

  int behind = -1;        // the node catching up, or -1 when none is
  uint64_t generation = 0;

 private:
  std::array<double, 2> missing_{0, 0};
};

}  // namespace mailsim::models
