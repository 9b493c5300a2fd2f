#pragma once
// A generic replicated service (what the article only names: Tarantool with Overlord or
// Raft, MySQL with Orchestrator, Scylla, the deployer), without SimGrid.
//  - active_passive: one active instance; when it is lost, a manager notices after
//    detection_delay and promotes the first live instance in list order after
//    promotion_delay; with none live, it promotes the first instance that comes back.
//  - quorum: a request needs k live instances (the coordinator and k-1 acknowledgements).
#include <cstddef>
#include <vector>

namespace mailsim::models {

class ActivePassive {
 public:
  explicit ActivePassive(int n) : up_(static_cast<size_t>(n), 1) {}
  int active() const { return active_; }
  // Node events; they return true when a promotion should be scheduled.
  bool on_down(int i) {
    up_[static_cast<size_t>(i)] = 0;
    if (i != active_) return false;
    active_ = -1;
    return true;
  }
  bool on_up(int i) {
    up_[static_cast<size_t>(i)] = 1;
    return active_ < 0 && !pending_;
  }
  void set_pending(bool p) { pending_ = p; }
  // The promotion timer fired: the first live instance becomes active (-1: none live).
  int promote() {
    pending_ = false;
    for (size_t i = 0; i < up_.size(); ++i)
      if (up_[i]) return active_ = static_cast<int>(i);
    return -1;
  }

 private:
  std::vector<char> up_;
  int active_ = 0;
  bool pending_ = false;
};

// k of n: the quorum size (k = 0 means a majority).
inline int quorum_size(int k, int n) { return k > 0 ? k : n / 2 + 1; }

}  // namespace mailsim::models
