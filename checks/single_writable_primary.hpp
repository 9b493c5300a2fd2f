#pragma once
// Invariant: never two PostgreSQL nodes of one component accepting writes at the same time.
// Computed from the timeline: models emit `pg.writable` / `pg.read_only` {component, node,
// cause} whenever a node starts or stops accepting writes (promotion, demotion, crash).
#include <nlohmann/json.hpp>

#include <vector>

#include "engine/event_log.hpp"

namespace mailsim::checks {

// {violations: N, intervals: [{component, start_s, end_s (null: until the end), nodes, cause}]}
nlohmann::json single_writable_primary(const std::vector<engine::Event>& events);

}  // namespace mailsim::checks
