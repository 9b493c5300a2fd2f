#include "runset/run_spec.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "core/output_file.hpp"
#include "config/topology.hpp"
#include "core/sha256.hpp"
#include "runset/result_cache.hpp"

namespace mailsim::runset {

namespace {

// The operators' files the topology's components read (`config:`): a changed
// keepalived.conf is a different run. Unreadable input adds nothing: the run reports it.
void add_config_files(core::Sha256& key, const RunSpec& spec) {
  try {
    const config::Topology topo = config::parse_topology(spec.topology_text, spec.topology_file);
    for (const auto& c : topo.components)
      for (const auto& ref : c.config) key.field(ref.path).field(config::read_text_file(ref.file));
  } catch (const core::InputError&) {
  }
}

}  // namespace

std::string run_key(const RunSpec& spec) {
  core::Sha256 key;
  key.field("mailsim.run").field(MAILSIM_VERSION).field(build_identity()).field(spec.topology_text);
  add_config_files(key, spec);
  key.field(spec.scenario_text).field(std::to_string(spec.seed));
  if (spec.stop_overloaded) key.field("stop_overloaded");  // results without it keep their keys
  return key.hex();
}

std::string reproduce_command(const RunSpec& spec) {
  return fmt::format("mailsim run {} {} --seed {}{}", spec.topology_file, spec.scenario_file, spec.seed,
                     spec.stop_overloaded ? " --stop-overloaded" : "");
}

std::string write_input(const std::string& cache_dir, const std::string& text, const std::string& stem) {
  std::string dir = (cache_dir.empty() ? std::string("out/cache") : cache_dir) + "/inputs";
  std::string path = dir + "/" + stem + "-" + core::sha256_hex(text).substr(0, 16) + ".yaml";
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::string have((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (have == text) return path;
  }
  core::write_file_atomically(path, text);
  return path;
}

}  // namespace mailsim::runset
