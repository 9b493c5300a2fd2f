#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "core/output_file.hpp"
#include "reports/summary_table.hpp"
#include "runset/child_run.hpp"
#include "cli/commands.hpp"
#include "cli/compare_run.hpp"
#include "app/run_one.hpp"

namespace mailsim::cli {

// Until the seed topologies land, the default job runs the tutorial scenarios on the
// tutorial topology, each in its own process, and writes their run results.
Command add_demo(CLI::App& app) {
  struct Opts {
    std::string data;
    std::string out = "out/demo";
  };
  auto o = std::make_shared<Opts>();
  app.add_option("--data", o->data,
                 "Folder holding topologies/ and scenarios/ (default: the current folder when it has topologies/, "
                 "else the checkout this binary was built from)");
  app.add_option("--out", o->out, "Folder for the run results")->capture_default_str();
  return [o] {
    // The current folder first: paths stay relative, so the results of two checkouts
    // compare byte for byte (no machine's absolute path in them).
    if (o->data.empty()) o->data = std::filesystem::is_directory("topologies") ? "." : MAILSIM_SOURCE_DIR;
    // "topologies/x.yaml", not "./topologies/x.yaml", in what the demo prints and writes.
    auto data = [&](const std::string& rel) { return (std::filesystem::path(o->data) / rel).lexically_normal().string(); };
    const std::string topo = data("topologies/tutorial/lb-pair.yaml");
    const std::vector<std::string> scenarios = {"lb-master-crash", "lb-graceful-stop", "backend-crash", "lb-split-brain"};
    int worst = 0;
    for (size_t i = 0; i < scenarios.size(); ++i) {
      const std::string& name = scenarios[i];
      std::string scen = data("scenarios/tutorial/" + name + ".yaml");
      std::cout << fmt::format("== {} ({}/{}) ==\n", name, i + 1, scenarios.size());
      std::cout.flush();
      auto child = runset::run_in_child([&] {
        auto in = app::load_inputs(topo, scen);
        return app::run_one(in, in.scenario.seed).dump(1) + "\n";
      });
      if (child.exit_code != 0) {
        worst = std::max(worst, child.exit_code);
        continue;
      }
      auto result = nlohmann::json::parse(child.output);
      std::string path = o->out + "/" + name + ".json";
      core::write_file_atomically(path, child.output);
      std::cout << reports::summary_table(result) << "result: " << path << "\n\n";
    }
    // The four seed clusters side by side (docs/topologies.md): short generated runs keep
    // this within the 3-minute budget of the default job on two cores.
    std::cout << "== compare: the four seed clusters ==\n";
    std::cout.flush();
    CompareOptions c;
    for (const char* t : {"rupost-13", "tegu-13", "vk-workspace-8", "deepmail-11"})
      c.compare.topologies.push_back(data(std::string("topologies/") + t + ".yaml"));
    // ...under the scenario library too (docs/topologies.md#scenario-library), in name order.
    std::vector<std::string> library;
    for (const auto& e : std::filesystem::directory_iterator(data("scenarios/library")))
      if (e.path().extension() == ".yaml") library.push_back(e.path().string());
    std::sort(library.begin(), library.end());
    c.compare.scenarios = library;
    c.markdown = o->out + "/compare.md";
    c.html = o->out + "/compare.html";
    c.rs.json = o->out + "/compare.json";
    c.rs.cache = o->out + "/cache";  // generated inputs only: the demo shows fresh runs
    c.rs.no_cache = true;
    worst = std::max(worst, run_compare(c));
    std::cout << fmt::format("result: {}, {} and {}\n", c.html, c.markdown, c.rs.json);
    return worst;
  };
}

}  // namespace mailsim::cli
