// libFuzzer target for the YAML front end: every input goes through both parse_topology
// and parse_scenario. The contract (DESIGN.md decision 6): bad input is an InputError,
// whatever the bytes. Any other exception escapes this function, std::terminate aborts,
// and libFuzzer reports it like a crash; ASan and UBSan catch the rest.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/scenario.hpp"
#include "config/topology.hpp"
#include "core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)mailsim::config::parse_topology(text, "fuzz.yaml");
  } catch (const mailsim::core::InputError&) {
  }
  try {
    (void)mailsim::config::parse_scenario(text, "fuzz.yaml");
  } catch (const mailsim::core::InputError&) {
  }
  return 0;
}
