// queue_run: a whole mailsim run (the same Simulation: models, flow, load, faults, metrics)
// on ManualScheduler, a binary heap, instead of SimGrid's engine loop. It is not a way to
// run mailsim (DESIGN.md decision 1: SimGrid is the engine); it measures what mailsim's own
// code costs per request, so docs/performance.md can say how much of a run is SimGrid's
// loop (one iteration per timer) and how much is mailsim.
//
// Usage: queue_run TOPOLOGY SCENARIO
// Prints, on stderr, the line `mailsim run` prints:
//   N requests simulated in X s wall (R requests/s)
#include <chrono>
#include <cstdio>

#include "config/scenario.hpp"
#include "config/topology.hpp"
#include "engine/test_bed.hpp"
#include "models/registry.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: queue_run TOPOLOGY SCENARIO\n");
    return 2;
  }
  using namespace mailsim;  // NOLINT(google-build-using-namespace)
  config::Topology topo = config::load_topology(argv[1]);
  config::Scenario scen = config::load_scenario(argv[2]);
  auto factory = [&topo](const config::ComponentSpec& spec, engine::Context& ctx) {
    return models::create_component(spec, topo, ctx);  // as app/run_one.cpp passes its inputs
  };
  engine::TestBed bed(topo, scen, factory, scen.seed);
  bed.start();
  const double end = scen.duration.seconds + bed.sim().longest_timeout();
  auto w0 = std::chrono::steady_clock::now();
  bed.run_until(end);
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
  engine::RunRecord record = bed.sim().finish(end);
  std::fprintf(stderr, "%llu requests simulated in %.3f s wall (%.0f requests/s)\n",
               static_cast<unsigned long long>(record.stats.requests), wall,
               wall > 0 ? static_cast<double>(record.stats.requests) / wall : 0);
  return 0;
}
