#pragma once
// The Scheduler of a run: SimGrid's kernel timer queue (simgrid::kernel::timer::Timer). Its
// callbacks run in maestro's context, with no actor and no context switch.
//
// Event order: SimGrid 3.32 keeps timers in a fibonacci heap keyed on the date only, so
// callbacks due at the same date run in an order fixed by the whole sequence of heap
// operations, not in insertion order (docs/architecture.md, "Determinism").
//
// Cost: SimGrid allocates one kernel Timer per call. The callback itself waits in a slot of
// this scheduler's pool and SimGrid is handed only {this, slot}, which fits its task's small
// buffer, so the closure costs no allocation of its own (SimGrid would otherwise allocate
// every closure over 24 bytes).
#include <memory>
#include <vector>

#include "engine/scheduler.hpp"

namespace mailsim::engine {

class SimGridScheduler final : public Scheduler {
 public:
  SimGridScheduler() = default;
  SimGridScheduler(const SimGridScheduler&) = delete;
  SimGridScheduler& operator=(const SimGridScheduler&) = delete;

  double now() const override;
  void schedule(double t, core::Callback fn) override;

 private:
  struct Slot {
    core::Callback fn;
    Slot* next_free = nullptr;
  };
  void fire(Slot* s);

  static constexpr size_t kChunk = 256;
  std::vector<std::unique_ptr<Slot[]>> chunks_;  // slots never move: SimGrid holds their address
  Slot* free_ = nullptr;
};

}  // namespace mailsim::engine
