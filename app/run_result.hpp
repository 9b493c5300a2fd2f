#pragma once
// The run-result document (schema mailsim.run/1, docs/architecture.md) assembled from
// what the engine recorded: manifest, services, the event timeline, failovers paired from
// the models' events, the durability ledger and the invariant checks (checks/).
#include <nlohmann/json.hpp>

#include "app/inputs.hpp"
#include "engine/run.hpp"

namespace mailsim::app {

nlohmann::json run_result(const Inputs& in, uint64_t seed, const engine::RunRecord& record);

// Pairs each component's failover.started with its next failover.completed. Models emit
// both from their mechanisms (the role holder lost; another instance took the role), so
// the durations come out of their timers and messages.
nlohmann::json pair_failovers(const std::vector<engine::Event>& events);

}  // namespace mailsim::app
