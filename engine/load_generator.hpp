#pragma once
// Open-loop Poisson arrivals per service. Time-varying rates (step, ramp) are drawn by
// thinning (Lewis & Shedler 1979): candidates at the profile's peak rate, each kept with
// probability rate(t)/peak, which gives an exact non-homogeneous Poisson process.
#include <vector>

#include "config/scenario.hpp"
#include "core/rng.hpp"
#include "engine/flow.hpp"
#include "engine/step_features.hpp"

namespace mailsim::engine {

class LoadGenerator {
 public:
  LoadGenerator(Scheduler& sched, Flow& flow, StepFeatures& features, const config::Scenario& scenario, uint64_t seed);
  void start();

 private:
  struct Source {
    const config::LoadSpec* spec;
    int service;
    double peak;
    core::RngStream rng;
  };
  void schedule_next(Source& s);

  Scheduler& sched_;
  Flow& flow_;
  StepFeatures& features_;
  double end_;
  std::vector<Source> sources_;
};

}  // namespace mailsim::engine
