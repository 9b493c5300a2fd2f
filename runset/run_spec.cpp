#include "runset/run_spec.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "core/output_file.hpp"
#include "core/sha256.hpp"

namespace mailsim::runset {

std::string run_key(const RunSpec& spec) {
  return core::Sha256()
      .field("mailsim.run")
      .field(MAILSIM_VERSION)
      .field(spec.topology_text)
      .field(spec.scenario_text)
      .field(std::to_string(spec.seed))
      .hex();
}

std::string reproduce_command(const RunSpec& spec) {
  return fmt::format("mailsim run {} {} --seed {}", spec.topology_file, spec.scenario_file, spec.seed);
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
