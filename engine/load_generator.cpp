#include "engine/load_generator.hpp"

#include "core/error.hpp"

namespace mailsim::engine {

LoadGenerator::LoadGenerator(Scheduler& sched, Flow& flow, StepFeatures& features, const config::Scenario& scenario, uint64_t seed)
    : sched_(sched), flow_(flow), features_(features), end_(scenario.duration.seconds) {
  for (const auto& l : scenario.load) {
    int svc = flow.service_index(l.service);
    MAILSIM_ASSERT(svc >= 0, "load for a service the run did not set up: " + l.service);
    sources_.push_back({&l, svc, l.max_rate(), core::RngStream(seed, "load." + l.service)});
  }
}

void LoadGenerator::start() {
  for (auto& s : sources_) schedule_next(s);
}

void LoadGenerator::schedule_next(Source& s) {
  if (s.peak <= 0) return;
  double t = sched_.now() + s.rng.exponential(1.0 / s.peak);
  if (t >= end_) return;
  Source* sp = &s;
  sched_.at(t, [this, sp] {
    double rate = sp->spec->rate_at(sched_.now());
    // Thinning: skip the draw when the profile is at its peak, so constant loads use one
    // random number per arrival.
    if (rate >= sp->peak || sp->rng.uniform() * sp->peak < rate) {
      if (sp->spec->session)
        features_.sessions.start(sp->service, *sp->spec->session,
                                 sp->rng.next_u64() % static_cast<uint64_t>(sp->spec->session->users));
      else if (features_.senders.serves(sp->service))
        features_.senders.start(sp->service);
      else
        flow_.start(sp->service);
    }
    schedule_next(*sp);
  });
}

}  // namespace mailsim::engine
