#pragma once
// The pieces of the compare document (schema mailsim.compare/1, analysis/compare.hpp)
// that every compare renderer shows, worded once: the terminal table and Markdown
// (reports/compare_table.hpp) and the HTML page (reports/compare_html.hpp) hold the same
// tables, notes and commands.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace mailsim::reports {

struct TextTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// What was run and how: "mailsim 0.1.0 · generated runs: every service at 20/s for 90 s, ...".
std::string compare_header(const nlohmann::json& result);
// The command that reproduces the whole comparison ("" when the document has none).
std::string compare_command(const nlohmann::json& result);

// One row per topology and service: SPOFs, min failures, exact availability, p99, the
// worst single-node crash, lost mail.
TextTable compare_rows(const nlohmann::json& result);
// With extra scenarios: per topology and service, the availability under each (and lost
// mail); no rows without scenarios.
TextTable scenario_rows(const nlohmann::json& result);

// A service's worst single-node crash: "58.406% degraded (rupost-2)", "-" when unmeasured.
std::string worst_crash_text(const nlohmann::json& service);
// The longest failover per component of one topology: "pg 30.5s (pg-1), ...".
std::string failover_line(const nlohmann::json& topology);
// Where analyze and the crash runs disagree, one line per service and node, with why.
std::vector<std::string> disagreement_lines(const nlohmann::json& topology);
// The assumptions behind a topology's headline figures, each once: "NOTE (behind: smtp's
// lost mail, webmail's worst crash)".
std::vector<std::string> assumption_lines(const nlohmann::json& topology);
// The commands that reproduce a topology's baseline and its worst crashes: {what, command}.
std::vector<std::pair<std::string, std::string>> reproduce_commands(const nlohmann::json& topology);
// The legend of the columns.
extern const char* const kCompareLegend;

}  // namespace mailsim::reports
