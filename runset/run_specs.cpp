#include "runset/run_specs.hpp"

#include <iostream>

#include "app/run_one.hpp"

namespace mailsim::runset {

std::string simulate_spec(const RunSpec& spec) {
  auto in = app::load_inputs(spec.topology_file, spec.scenario_file);
  app::RunBounds bounds;
  bounds.stop_overloaded = spec.stop_overloaded;
  return app::run_one(in, spec.seed, nullptr, bounds).dump();
}

Job make_job(const RunSpec& spec) {
  Job job;
  job.key = run_key(spec);
  job.label = spec.label;
  job.command = reproduce_command(spec);
  job.body = [spec] { return simulate_spec(spec); };
  return job;
}

std::vector<std::optional<nlohmann::json>> run_specs(const std::vector<RunSpec>& specs, const RunnerOptions& o,
                                                     std::vector<std::string>* errors) {
  std::vector<Job> jobs;
  for (const auto& s : specs) jobs.push_back(make_job(s));
  auto results = run_jobs(jobs, o);
  std::vector<std::optional<nlohmann::json>> out;
  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i].ok()) {
      out.push_back(nlohmann::json::parse(results[i].output));
    } else {
      out.push_back(std::nullopt);
      errors->push_back(results[i].describe(jobs[i]));
      std::cerr << "mailsim: " << errors->back() << "\n";
    }
  }
  return out;
}

std::vector<nlohmann::json> run_items(const RunSetPlan& plan, const RunnerOptions& o, bool* any_failed) {
  std::vector<std::string> errors;
  auto runs = run_specs(plan.runs.specs, o, &errors);
  std::vector<nlohmann::json> items;
  size_t e = 0;
  for (size_t q = 0; q < plan.runs.index.size(); ++q)
    items.push_back(plan.item(plan.runs.index[q], runs[q] ? &*runs[q] : nullptr, runs[q] ? "" : errors[e++]));
  *any_failed = !errors.empty();
  return items;
}

}  // namespace mailsim::runset
