#include "engine/manual_scheduler.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace mailsim::engine {

void ManualScheduler::schedule(double t, core::Callback fn) {
  MAILSIM_ASSERT(t >= now_, "a callback scheduled in the past");
  queue_.push_back(Entry{t, next_seq_++, std::move(fn)});
  std::push_heap(queue_.begin(), queue_.end(), later);
}

bool ManualScheduler::step() {
  if (queue_.empty()) return false;
  std::pop_heap(queue_.begin(), queue_.end(), later);
  Entry e = std::move(queue_.back());
  queue_.pop_back();
  now_ = e.t;
  e.fn();  // may schedule more: the entry is already out of the queue
  return true;
}

void ManualScheduler::run_until(double t) {
  while (!queue_.empty() && queue_.front().t <= t) step();
  now_ = std::max(now_, t);
}

}  // namespace mailsim::engine
