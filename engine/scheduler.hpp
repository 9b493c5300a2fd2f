#pragma once
// Simulated time and timers. Every model shell and the request path run as callbacks on a
// Scheduler: no actor, no context switch per event (docs/architecture.md, "Event-driven
// shells", explains the choice and its measured cost). Two implementations:
//  - SimGridScheduler (simgrid_scheduler.hpp): SimGrid's kernel timer queue, used by runs;
//  - ManualScheduler (manual_scheduler.hpp): a deterministic queue a test drives itself,
//    so a model shell runs without a SimGrid engine.
#include <cstdint>
#include <utility>

#include "core/callback.hpp"

namespace mailsim::engine {

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  virtual double now() const = 0;
  // Runs fn at absolute simulated time t (>= now). The order of callbacks due at the same
  // time is the implementation's: fixed by the inputs, not necessarily insertion order.
  virtual void schedule(double t, core::Callback fn) = 0;

  template <class F>
  void at(double t, F&& fn) {
    schedule(t, core::Callback(std::forward<F>(fn)));
  }
  template <class F>
  void after(double delay, F&& fn) {
    schedule(now() + delay, core::Callback(std::forward<F>(fn)));
  }
};

// A restartable, cancellable timer. Arming again or cancelling invalidates the pending
// expiry by bumping a generation number, so no scheduler handle is kept (SimGrid frees a
// timer once it fired). The owner must outlive the run, as components do.
class Timer {
 public:
  template <class F>
  void arm(Scheduler& s, double delay, F fn) {
    uint64_t g = ++generation_;
    armed_ = true;
    s.after(delay, [this, g, fn = std::move(fn)]() mutable {
      if (g != generation_) return;
      armed_ = false;
      fn();
    });
  }
  void cancel() {
    ++generation_;
    armed_ = false;
  }
  bool armed() const { return armed_; }

 private:
  uint64_t generation_ = 0;
  bool armed_ = false;
};

}  // namespace mailsim::engine
