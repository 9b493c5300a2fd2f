#pragma once
// Renders a run result (schema mailsim.run/1) as a compact terminal table: one row per
// service, failure causes, failovers, and the expectations' verdicts.
#include <nlohmann/json.hpp>
#include <string>

namespace mailsim::reports {

struct TableStyle {
  // ANSI colours (failures red, passes green, degraded availability yellow). The CLI
  // turns them on only when stdout is a terminal and NO_COLOR is unset or empty.
  bool color = false;
  // `s` in the ANSI colour `code` (below) when colours are on, else as it is.
  std::string paint(const char* code, const std::string& s) const;
};
inline constexpr const char* kRed = "31;1";
inline constexpr const char* kGreen = "32";
inline constexpr const char* kYellow = "33";
inline constexpr const char* kDim = "2";

std::string summary_table(const nlohmann::json& run, const TableStyle& style = {});

// Whether colours suit this stream: isatty(fd) and NO_COLOR unset or empty (no-color.org).
bool color_wanted(int fd);

}  // namespace mailsim::reports
