#include <fmt/format.h>

#include <iostream>

#include "models/registry.hpp"
#include "cli/commands.hpp"
#include "app/inputs.hpp"
#include "app/run_bounds.hpp"
#include "app/run_one.hpp"
#include "config/yaml_reader.hpp"
#include "core/error.hpp"

namespace mailsim::cli {

namespace {
// A topology has `nodes`, a scenario has `load`; anything else is neither.
bool looks_like_topology(const config::YamlReader& r, const YAML::Node& root) {
  if (!root.IsMap()) r.fail(root, "neither a topology nor a scenario: the document must be a map");
  if (root["nodes"]) return true;
  if (root["duration"] || root["load"] || root["population"]) return false;
  r.fail(root, "neither a topology (has 'nodes') nor a scenario (has 'duration')");
}

void validate_one(const std::string& f, const std::optional<config::Topology>& against) {
  config::YamlReader r(f);
  const YAML::Node root = r.load_string(config::read_text_file(f));  // parsed once
  if (looks_like_topology(r, root)) {
    auto t = config::parse_topology(root, r);
    models::import_configs(t);
    models::validate_topology(t);
    std::cout << std::flush;
    std::cerr << app::config_warnings_text(t);
    std::cout << fmt::format("{}: ok (topology {}: {} nodes, {} components, {} services)\n", f, t.name, t.nodes.size(),
                             t.components.size(), t.services.size());
  } else {
    auto s = config::parse_scenario(root, r);
    if (against) {
      models::validate_scenario(s, *against);
      app::check_expectation_subjects(s, *against);
    }
    if (const std::string w = app::long_run_warning(s); !w.empty()) std::cerr << w << "\n";
    std::cout << fmt::format("{}: ok (scenario {}: {}s, {} loads, {} faults{})\n", f, s.name, s.duration.seconds,
                             s.load.size(), s.faults.size(), against ? ", checked against " + against->name : "");
  }
}

}  // namespace

Command add_validate(CLI::App& app) {
  struct Opts {
    std::vector<std::string> files;
    std::string topology;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("files", o->files, "Topology or scenario YAML files")->required();
  app.add_option("--topology", o->topology, "Also check scenarios against this topology (services, nodes, roles)");
  return [o] {
    std::optional<config::Topology> against;
    if (!o->topology.empty()) {
      against = models::load_topology(o->topology);
    }
    // Every file is checked, and each bad one reported (one error per file: its first),
    // so one run of validate lists all that need fixing.
    size_t bad = 0;
    for (const auto& f : o->files) {
      try {
        validate_one(f, against);
      } catch (const core::InputError& e) {
        std::cout << std::flush;  // the errors and the ok lines in file order
        std::cerr << e.what() << "\n";
        ++bad;
      }
    }
    if (bad > 0 && o->files.size() > 1) std::cerr << fmt::format("{} of {} files have errors\n", bad, o->files.size());
    return bad > 0 ? static_cast<int>(core::kExitBadInput) : 0;
  };
}

}  // namespace mailsim::cli
