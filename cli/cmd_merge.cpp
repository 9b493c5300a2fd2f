// mailsim merge SHARD...: combines the shard files of one run set (explore, reliability,
// sweep) into exactly the result an unsharded run writes (runset/merge.hpp).
#include <iostream>

#include "core/output_file.hpp"
#include "cli/commands.hpp"
#include "config/yaml_reader.hpp"
#include "core/error.hpp"
#include "runset/merge.hpp"
#include "reports/run_set_table.hpp"
#include "reports/sweep_table.hpp"

namespace mailsim::cli {

Command add_merge(CLI::App& app) {
  struct Opts {
    std::vector<std::string> files;
    std::string json, csv;
    bool quiet = false;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("shards", o->files, "Shard files written with --shard i/N --json FILE")->required();
  add_output(app, "--json", o->json, "Write the merged result to this file");
  add_output(app, "--csv", o->csv, "Sweeps: write the results table as CSV to this file");
  app.add_flag("-q,--quiet", o->quiet, "Print nothing but errors");
  return [o] {
    std::vector<std::pair<std::string, nlohmann::json>> docs;
    for (const auto& f : o->files) {
      std::string text = config::read_text_file(f);
      try {
        docs.emplace_back(f, nlohmann::json::parse(text));
      } catch (const nlohmann::json::exception& e) {
        throw core::InputError({f, 0, 0}, std::string("not JSON: ") + e.what());
      }
    }
    auto merged = runset::merge_shards(docs);
    if (!o->json.empty()) core::write_file_atomically(o->json, merged.result.dump(1) + "\n");
    if (!o->csv.empty()) {
      if (merged.result.value("schema", "") != "mailsim.sweep/1")
        throw core::InputError({"--csv", 0, 0}, "--csv applies to sweeps only");
      core::write_file_atomically(o->csv, reports::sweep_csv(merged.result));
    }
    if (!o->quiet) std::cout << reports::run_set_table(merged.set, merged.result) << std::flush;
    return 0;
  };
}

}  // namespace mailsim::cli
