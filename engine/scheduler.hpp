#pragma once
// Simulated time and timers on SimGrid's kernel timer queue. Every model shell and the
// request path run as callbacks in SimGrid's maestro context: no actor, no context switch
// per event (docs/architecture.md, "event-driven shells", explains the choice and its
// measured cost).
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <cstdint>
#include <utility>

namespace mailsim::engine {

class Scheduler {
 public:
  double now() const { return simgrid::s4u::Engine::get_clock(); }
  // Runs fn at absolute simulated time t (>= now). Timers due at the same time run in an
  // order fixed by the inputs (SimGrid's timer heap), not necessarily insertion order.
  template <class F>
  void at(double t, F&& fn) const {
    simgrid::kernel::timer::Timer::set(t, std::forward<F>(fn));
  }
  template <class F>
  void after(double delay, F&& fn) const {
    at(now() + delay, std::forward<F>(fn));
  }
};

// A restartable, cancellable timer. Arming again or cancelling invalidates the pending
// expiry by bumping a generation number, so no SimGrid timer handle is kept (SimGrid frees
// a timer once it fired). The owner must outlive the run, as components do.
class Timer {
 public:
  template <class F>
  void arm(const Scheduler& s, double delay, F fn) {
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
