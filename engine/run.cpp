#include "engine/run.hpp"

#include <simgrid/s4u/Engine.hpp>
#include <simgrid/version.h>
#include <xbt/log.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "engine/processor_sharing_cpu.hpp"
#include "engine/simgrid_platform.hpp"
#include "engine/simgrid_scheduler.hpp"

namespace sg4 = simgrid::s4u;

namespace mailsim::engine {

namespace {

// CM02 without LV08's 13.01 latency factor (SIMGRID-NOTES.md): latencies in a topology
// mean what they say. mailsim's own messages do not use SimGrid comms (network.hpp), but
// any future bulk transfer will, and must see the same latencies.
std::unique_ptr<sg4::Engine> make_engine() {
  xbt_log_control_set("root.thres:critical");
  static int argc = 3;
  static char arg0[] = "mailsim";
  static char arg1[] = "--cfg=network/model:CM02";
  static char arg2[] = "--log=root.thres:critical";
  static char* argv[] = {arg0, arg1, arg2, nullptr};
  return std::make_unique<sg4::Engine>(&argc, argv);
}

}  // namespace

RunRecord run_simulation(const config::Topology& topo, const config::Scenario& scen, const ComponentFactory& factory,
                         const RunOptions& opts) {
  auto engine = make_engine();
  Platform platform(topo);
  // SimGrid's view of the same star (simgrid_platform.hpp): no activity of a run uses it
  // today, but any SimGrid comm would see the topology's figures (platform_route_test).
  const SimGridPlatform hosts(platform);
  SimGridScheduler sched;
  // Exact processor sharing of each node's cores on the scheduler's timers: the completion
  // times of SimGrid's Exec sharing (cpu_equivalence_test) without an Exec per job.
  ProcessorSharingCpu cpu(sched, platform);
  Simulation sim(topo, scen, factory, opts.seed, sched, platform, cpu);
  sim.start();
  if (opts.before_start) opts.before_start(sim.context(), sim.components());

  // Advances time to `until`; a bounded run goes in slices and stops at the first slice
  // that passed a bound (false, and `stopped` says which).
  auto w0 = std::chrono::steady_clock::now();
  std::string stopped;
  const bool bounded = opts.max_requests > 0 || opts.wall_limit_s > 0 || opts.stop_overloaded;
  OverloadDetector overload = sim.overload_detector();
  // The overload detector samples at the end of every slice of the load: slices of one
  // metrics window.
  const double slice = opts.stop_overloaded ? overload.window() : std::max(1e-3, scen.duration.seconds / 1000);
  std::optional<Overload> overloaded;
  auto advance = [&](double until) {
    if (!bounded) {
      engine->run_until(until);
      return true;
    }
    for (double t = engine->get_clock(); t < until;) {
      t = std::min(until, t + slice);
      engine->run_until(t);
      const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
      if (opts.max_requests > 0 && sim.requests() >= opts.max_requests)
        stopped = fmt::format("--max-requests {} reached at {:g} s of simulated time", opts.max_requests, t);
      else if (opts.wall_limit_s > 0 && wall >= opts.wall_limit_s)
        stopped = fmt::format("--time-limit {:g} s of wall time reached at {:g} s of simulated time",
                              opts.wall_limit_s, t);
      if (opts.stop_overloaded && !overloaded && t <= scen.duration.seconds)
        overloaded = overload.observe(t, sim.progress(t));
      if (overloaded && stopped.empty())
        stopped = fmt::format("overloaded: {}", overloaded->text());
      if (!stopped.empty()) return false;
    }
    return true;
  };

  // Run past the end of the load by the longest client timeout, so every request that
  // arrived gets its answer or its timeout.
  const double max_timeout = sim.longest_timeout();
  double end = scen.duration.seconds + max_timeout;
  bool complete = advance(end);
  // MTA clients: go on while deferred messages wait for their next attempt, until each is
  // accepted or bounced (at most maximal_queue_lifetime after the load ends).
  const double hard_end = end + sim.drain_limit();
  while (complete && sim.pending() > 0 && end < hard_end) {
    end = std::min(hard_end, std::max(end, sim.latest_due()) + max_timeout);
    complete = advance(end);
  }
  if (!complete) end = engine->get_clock();
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();

  RunRecord record = sim.finish(end);
  record.engine = {{"simgrid", std::to_string(SIMGRID_VERSION_MAJOR) + "." + std::to_string(SIMGRID_VERSION_MINOR)},
                   {"network_model", "CM02"},
                   {"end_s", end}};
  record.stats.wall_seconds = wall;
  record.stopped_early = stopped;
  record.overloaded = overloaded;
  return record;
}

}  // namespace mailsim::engine
