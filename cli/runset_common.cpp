#include "cli/runset_common.hpp"

#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"
#include "core/output_file.hpp"
#include "runset/merge.hpp"
#include "reports/run_set_table.hpp"

namespace mailsim::cli {

void RunSetOptions::add_to(CLI::App& app, bool shardable, double time_limit_default, const std::string& why_default) {
  app.add_option("-j,--jobs", jobs, "Simulations at once, each in its own process (default: the number of cores)");
  time_limit_s = time_limit_default;
  app.add_option("--time-limit", time_limit_s,
                 time_limit_default > 0
                     ? fmt::format("Kill a simulation after this many wall seconds (default: {:g}: {}; 0 = none)",
                                   time_limit_default, why_default)
                     : std::string("Kill a simulation after this many wall seconds (default: none)"));
  app.add_option("--memory-limit", memory_limit_mb,
                 "Fail a simulation that allocates more than this many MB (default: none)")
      ->check(CLI::PositiveNumber);
  app.add_option("--cache", cache, "Cache folder: results by input hash (a rerun resumes) and generated inputs")
      ->capture_default_str();
  app.add_flag("--no-cache", no_cache, "Do not read or write cached results (generated inputs are still written)");
  if (shardable)
    app.add_option("--shard", shard, "Run only slice i of N (0-based, i/N) and write a shard file for `mailsim merge`");
  add_output(app, "--json", json, "Write the result (or, with --shard, the shard) to this file");
  app.add_flag("-q,--quiet", quiet, "Print nothing but errors");
  app.add_flag("!--no-progress", progress, "No progress lines on stderr");
}

runset::RunnerOptions RunSetOptions::runner(const std::string& what) const {
  runset::RunnerOptions r;
  r.jobs = jobs;
  r.time_limit_s = time_limit_s;
  r.memory_limit_mb = memory_limit_mb;
  r.cache_dir = no_cache ? "" : cache;
  r.progress = progress && !quiet;
  r.what = what;
  return r;
}

runset::Shard RunSetOptions::parsed_shard() const { return shard.empty() ? runset::Shard{} : runset::parse_shard(shard); }

int finish_set(const nlohmann::json& set, const std::vector<nlohmann::json>& items, const RunSetOptions& o,
               bool any_failed) {
  runset::Shard sh = o.parsed_shard();
  if (!sh.whole()) {
    if (o.json.empty()) throw core::InputError({"--shard", 0, 0}, "--shard needs --json FILE for the shard file");
    core::write_file_atomically(o.json, runset::shard_document(set, sh, items).dump(1) + "\n");
    if (!o.quiet) std::cout << fmt::format("shard {}: {} of {} items written to {}\n", sh.text(), items.size(),
                                           set["total"].get<size_t>(), o.json);
    return any_failed ? core::kExitInternal : 0;
  }
  auto result = runset::finalize_set(set, items);
  if (!o.json.empty()) core::write_file_atomically(o.json, result.dump(1) + "\n");
  if (!o.quiet) std::cout << reports::run_set_table(set, result) << std::flush;
  return any_failed ? core::kExitInternal : 0;
}

}  // namespace mailsim::cli
