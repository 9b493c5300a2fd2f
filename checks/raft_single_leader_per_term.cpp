#include "checks/raft_single_leader_per_term.hpp"

#include <map>
#include <set>
#include <string>

namespace mailsim::checks {

nlohmann::json raft_single_leader_per_term(const std::vector<engine::Event>& events) {
  nlohmann::json intervals = nlohmann::json::array();
  std::map<std::pair<std::string, uint64_t>, std::set<std::string>> leaders;
  for (const auto& e : events) {
    if (e.kind != engine::EventKind::kRaftLeaderElected) continue;
    // A component running several Raft groups (cockroachdb: one per range) names the group.
    std::string comp = e.fields.value("component", "");
    if (const std::string g = e.fields.value("group", ""); !g.empty()) comp += "/" + g;
    const uint64_t term = e.fields.value("term", uint64_t{0});
    auto& s = leaders[{comp, term}];
    if (!s.insert(e.fields.value("node", "")).second || s.size() < 2) continue;
    intervals.push_back({{"component", comp}, {"term", term}, {"nodes", s}, {"t_s", e.t_s}});
  }
  return {{"violations", intervals.size()}, {"intervals", intervals}};
}

}  // namespace mailsim::checks
