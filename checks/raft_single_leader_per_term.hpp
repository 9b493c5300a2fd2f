#pragma once
// Invariant (Raft's Election Safety, Raft paper 5.2): at most one leader per term in each
// Raft group. Computed from `raft.leader_elected` {component, node, term} events; a
// component with several groups adds `group` (reported as component/group).
#include <nlohmann/json.hpp>

#include <vector>

#include "engine/event_log.hpp"

namespace mailsim::checks {

// {violations: N, intervals: [{component, term, nodes, t_s (when the second leader appeared)}]}
nlohmann::json raft_single_leader_per_term(const std::vector<engine::Event>& events);

}  // namespace mailsim::checks
