#pragma once
// The worker pool of one operation on one mail node: at most `workers` requests run at
// once, up to `backlog` wait in FIFO order, the rest are refused. No SimGrid here.
#include <cstddef>
#include <deque>

namespace mailsim::models {

enum class Admission { kRun, kQueued, kRejected };

template <class Item>
class WorkerPool {
 public:
  WorkerPool(int workers, int backlog) : workers_(workers), backlog_(backlog) {}

  Admission admit(Item item) {
    if (busy_ < workers_) {
      ++busy_;
      return Admission::kRun;
    }
    if (static_cast<int>(queue_.size()) < backlog_) {
      queue_.push_back(item);
      return Admission::kQueued;
    }
    return Admission::kRejected;
  }
  // A running item finished: its worker takes the next waiting one, if any (returned
  // through `next`; the worker stays busy), else becomes idle.
  bool release(Item& next) {
    if (!queue_.empty()) {
      next = queue_.front();
      queue_.pop_front();
      return true;
    }
    if (busy_ > 0) --busy_;
    return false;
  }
  // Drops everything (a crash): the caller gets the waiting items to dispose of.
  std::deque<Item> clear() {
    busy_ = 0;
    std::deque<Item> out;
    out.swap(queue_);
    return out;
  }
  int busy() const { return busy_; }
  size_t waiting() const { return queue_.size(); }

 private:
  int workers_;
  int backlog_;
  int busy_ = 0;
  std::deque<Item> queue_;
};

}  // namespace mailsim::models
