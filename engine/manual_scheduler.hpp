#pragma once
// A Scheduler without SimGrid, for unit tests of model shells: a deterministic queue that
// runs callbacks in time order, and in insertion order (FIFO) among callbacks due at the
// same time. Time moves only when the test calls run_until() or step().
#include <cstdint>
#include <vector>

#include "engine/scheduler.hpp"

namespace mailsim::engine {

class ManualScheduler final : public Scheduler {
 public:
  double now() const override { return now_; }
  // t before now is a caller's bug: an assertion fails (InternalError).
  void schedule(double t, core::Callback fn) override;

  // Runs every callback due at or before t, including those they schedule within it, then
  // sets the clock to t (never backwards).
  void run_until(double t);
  // Runs the next callback and moves the clock to its time; false when none is pending.
  bool step();
  size_t pending() const { return queue_.size(); }
  // Time of the next callback; only valid when pending() > 0.
  double next_time() const { return queue_.front().t; }

 private:
  struct Entry {
    double t;
    uint64_t seq;  // insertion order, for FIFO among equal times
    core::Callback fn;
  };
  // std::push_heap / pop_heap with this order keep the earliest (t, seq) at the front.
  static bool later(const Entry& a, const Entry& b) { return a.t != b.t ? a.t > b.t : a.seq > b.seq; }

  double now_ = 0;
  uint64_t next_seq_ = 0;
  std::vector<Entry> queue_;
};

}  // namespace mailsim::engine
