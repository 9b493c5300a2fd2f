#pragma once
// Renders a run result (schema mailsim.run/1) as a compact terminal table: one row per
// service (`-` for one with no load), failure causes, mail (delayed, bounced, lost),
// incidents, the most loaded resources and the bottleneck (resource_lines.hpp), failovers,
// and the expectations' verdicts.
#include <nlohmann/json.hpp>
#include <string>

namespace mailsim::reports {

struct TableStyle {
  // ANSI colours (failures red, passes green, degraded availability yellow). The CLI
  // turns them on as color_wanted() says.
  bool color = false;
  // `s` in the ANSI colour `code` (below) when colours are on, else as it is.
  std::string paint(const char* code, const std::string& s) const;
};
inline constexpr const char* kRed = "31;1";
inline constexpr const char* kGreen = "32";
inline constexpr const char* kYellow = "33";
inline constexpr const char* kDim = "2";

std::string summary_table(const nlohmann::json& run, const TableStyle& style = {});

// Whether colours suit this stream: never when NO_COLOR is set and not empty
// (no-color.org); always when FORCE_COLOR is set, not empty and not 0 (force-color.org);
// else when fd is a terminal. `mailsim --color always|never` sets these for the process.
bool color_wanted(int fd);

}  // namespace mailsim::reports
