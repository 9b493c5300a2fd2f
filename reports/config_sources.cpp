#include "reports/config_sources.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace mailsim::reports {

using nlohmann::json;

namespace {

// The name between the parentheses of "metric(NAME)", or "".
std::string subject_of(const std::string& metric) {
  const size_t open = metric.find('('), close = metric.rfind(')');
  return open == std::string::npos || close == std::string::npos || close < open ? ""
                                                                                : metric.substr(open + 1, close - open - 1);
}

// The components a subject stands for: itself, or its service's steps (delivery included);
// empty: every component.
std::set<std::string> components_of(const json& layout, const std::string& subject) {
  if (subject.empty()) return {};
  for (const auto& c : layout.value("components", json::array()))
    if (c.value("name", "") == subject) return {subject};
  for (const auto& s : layout.value("services", json::array())) {
    if (s.value("name", "") != subject) continue;
    std::set<std::string> out;
    for (const auto& step : s.value("steps", json::array())) out.insert(step.get<std::string>());
    return out;
  }
  return {};  // a check's name (violations(...)): the whole topology
}

}  // namespace

std::vector<std::string> config_sources(const json& result, const json& verdict) {
  std::vector<std::string> out;
  if (!result.is_object() || !result.contains("manifest")) return out;
  const json& manifest = result.at("manifest");
  const json configs = manifest.value("configs", json::array());
  if (configs.empty()) return out;
  const json layout = manifest.value("topology", json::object()).value("layout", json::object());
  const std::set<std::string> wanted = components_of(layout, subject_of(verdict.value("metric", "")));
  for (const auto& f : configs) {
    const std::string component = f.value("component", "");
    if (!wanted.empty() && !wanted.count(component)) continue;
    for (const auto& v : f.value("params", json::array()))
      out.push_back(fmt::format("{}:{}:{} `{}` ({}.{})", f.value("path", ""), v.value("line", 0), v.value("col", 0),
                                v.value("directive", ""), component, v.value("param", "")));
  }
  return out;
}

}  // namespace mailsim::reports
