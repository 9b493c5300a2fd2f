#include "engine/simgrid_scheduler.hpp"

#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u/Engine.hpp>

namespace mailsim::engine {

double SimGridScheduler::now() const { return simgrid::s4u::Engine::get_clock(); }

void SimGridScheduler::schedule(double t, core::Callback fn) {
  if (free_ == nullptr) {
    chunks_.push_back(std::make_unique<Slot[]>(kChunk));
    Slot* chunk = chunks_.back().get();
    for (size_t i = 0; i < kChunk; ++i) chunk[i].next_free = i + 1 < kChunk ? &chunk[i + 1] : nullptr;
    free_ = chunk;
  }
  Slot* s = free_;
  free_ = s->next_free;
  s->fn = std::move(fn);
  simgrid::kernel::timer::Timer::set(t, [this, s] { fire(s); });
}

// The slot goes back to the pool only after its callback returned: callbacks schedule more
// timers, which must not reuse the slot still running.
void SimGridScheduler::fire(Slot* s) {
  s->fn();
  s->fn.reset();
  s->next_free = free_;
  free_ = s;
}

}  // namespace mailsim::engine
