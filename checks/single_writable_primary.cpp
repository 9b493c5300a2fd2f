#include "checks/single_writable_primary.hpp"

#include <map>
#include <string>

namespace mailsim::checks {

nlohmann::json single_writable_primary(const std::vector<engine::Event>& events) {
  nlohmann::json intervals = nlohmann::json::array();
  std::map<std::string, std::map<std::string, std::string>> writable;  // component -> node -> cause
  std::map<std::string, size_t> open;                                   // component -> index in intervals
  for (const auto& e : events) {
    const bool up = e.kind == engine::EventKind::kPgWritable;
    if (!up && e.kind != engine::EventKind::kPgReadOnly) continue;
    const std::string comp = e.fields.value("component", "");
    const std::string node = e.fields.value("node", "");
    auto& w = writable[comp];
    if (up) w[node] = e.fields.value("cause", "");
    else w.erase(node);
    auto it = open.find(comp);
    if (w.size() >= 2 && it == open.end()) {
      nlohmann::json nodes = nlohmann::json::array();
      std::string cause;
      for (const auto& [n, c] : w) {
        nodes.push_back(n);
        cause += (cause.empty() ? "" : "; ") + n + ": " + c;
      }
      open[comp] = intervals.size();
      intervals.push_back({{"component", comp}, {"start_s", e.t_s}, {"end_s", nullptr}, {"nodes", nodes}, {"cause", cause}});
    } else if (w.size() < 2 && it != open.end()) {
      intervals[it->second]["end_s"] = e.t_s;
      open.erase(it);
    }
  }
  return {{"violations", intervals.size()}, {"intervals", intervals}};
}

}  // namespace mailsim::checks
