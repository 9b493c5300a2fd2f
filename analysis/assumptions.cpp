#include "analysis/assumptions.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <sstream>

#include "models/registry.hpp"

namespace mailsim::analysis {

namespace {

bool says_assumption(const std::string& text) { return text.find("assumption") != std::string::npos; }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t#"), b = s.find_last_not_of(" \t");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

bool is_comment_line(const std::string& l) {
  const size_t a = l.find_first_not_of(" \t");
  return a != std::string::npos && l[a] == '#';
}

// A line that starts a top-level key (`services:`): not indented, not a comment, not a
// list item.
bool is_top_level_key(const std::string& l) {
  return !l.empty() && !std::isspace(static_cast<unsigned char>(l[0])) && l[0] != '#' && l[0] != '-';
}

}  // namespace

std::vector<std::string> assumptions_of(const config::Topology& topo, const std::string& topology_text,
                                        const std::set<std::string>& components) {
  std::vector<std::string> out;
  const auto lines = lines_of(topology_text);
  for (size_t i = 0; i < topo.components.size(); ++i) {
    const config::ComponentSpec& c = topo.components[i];
    if (!components.count(c.name)) continue;
    if (const models::ModelInfo* m = models::find_model(c.model))
      for (const auto& p : m->params) {
        if (!says_assumption(p.source)) continue;
        const YAML::Node given = c.params.IsMap() ? c.params[p.name] : YAML::Node();
        std::string value = p.default_text;
        if (given && given.IsScalar()) value = given.Scalar();
        else if (given) value = YAML::Dump(given);
        out.push_back(fmt::format("{}.{} = {}{} ({})", c.name, p.name, value, given ? "" : " (default)", p.source));
      }
    // The component's lines: the comments just above its entry, and its entry up to the next.
    const int first = c.mark.line;
    if (first < 1) continue;
    // Its entry ends at the next component, or at the next top-level key (`services:`).
    int next = i + 1 < topo.components.size() ? topo.components[i + 1].mark.line : static_cast<int>(lines.size()) + 1;
    for (int l = first + 1; l < next; ++l)
      if (is_top_level_key(lines[static_cast<size_t>(l - 1)])) next = l;
    int from = first;
    while (from >= 2 && is_comment_line(lines[static_cast<size_t>(from - 2)])) --from;
    for (int l = from; l < next && l <= static_cast<int>(lines.size()); ++l) {
      const std::string& text = lines[static_cast<size_t>(l - 1)];
      const size_t hash = text.find('#');
      if (hash == std::string::npos || !says_assumption(text.substr(hash))) continue;
      // A note that goes on over the comment lines below it is one note.
      std::string note = trim(text.substr(hash));
      const int at = l;
      while (l < static_cast<int>(lines.size()) && is_comment_line(lines[static_cast<size_t>(l)]) &&
             !says_assumption(lines[static_cast<size_t>(l)]))
        note += " " + trim(lines[static_cast<size_t>(l++)]);
      out.push_back(fmt::format("{}:{}: {}", topo.file, at, note));
    }
  }
  return out;
}

}  // namespace mailsim::analysis
