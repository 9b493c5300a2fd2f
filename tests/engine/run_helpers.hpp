#pragma once
// Helpers for engine tests: each TEST runs at most one simulation in its own process
// (gtest_discover_tests), or forks children for more (run_in_child).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/run_one.hpp"
#include "core/error.hpp"
#include "engine/event_catalogue.hpp"

namespace mailsim::testing {

inline nlohmann::json run_tutorial(const std::string& scenario, std::optional<uint64_t> seed = std::nullopt) {
  auto in = app::load_inputs("topologies/tutorial/lb-pair.yaml", "scenarios/tutorial/" + scenario + ".yaml");
  return app::run_one(in, seed.value_or(in.scenario.seed));
}

// The run result's events of `kind`, a name the event catalogue declares (a misspelt or
// retired name would otherwise match nothing and pass an emptiness check silently).
inline std::vector<nlohmann::json> events_of(const nlohmann::json& run, const std::string& kind) {
  MAILSIM_ASSERT(engine::find_event(kind) != nullptr, "events_of: no event kind named '" + kind + "'");
  std::vector<nlohmann::json> out;
  for (const auto& e : run.at("events"))
    if (e.at("kind") == kind) out.push_back(e);
  return out;
}

}  // namespace mailsim::testing
