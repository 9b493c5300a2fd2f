#include "app/run_one.hpp"

#include "app/run_result.hpp"
#include "app/verdicts.hpp"
#include "models/registry.hpp"

namespace mailsim::app {

nlohmann::json run_one(const Inputs& in, uint64_t seed, engine::RunStats* stats, const RunBounds& bounds) {
  engine::RunOptions opts;
  opts.seed = seed;
  opts.max_requests = bounds.max_requests;
  opts.wall_limit_s = bounds.time_limit_s;
  opts.stop_overloaded = bounds.stop_overloaded;
  auto factory = [&in](const config::ComponentSpec& spec, engine::Context& ctx) {
    return models::create_component(spec, in.topology, ctx);
  };
  engine::RunRecord record = engine::run_simulation(in.topology, in.scenario, factory, opts);
  if (stats) *stats = record.stats;
  nlohmann::json result = run_result(in, seed, record);
  // Verdicts read the finished result only, so a stored result could be judged again.
  result["expectations"] = evaluate_expectations(in.scenario.expectations, result);
  return result;
}

}  // namespace mailsim::app
