#pragma once
// Reports of `mailsim check` (docs/reports.md) over its runs (runset/check_runs.hpp): the
// terminal lines, JUnit XML for CI test views, one testcase per expectation per run, and a
// Markdown summary for a pull-request comment. All name the exact `mailsim run ... --seed
// N` command that reproduces each run.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reports/summary_table.hpp"
#include "runset/check_runs.hpp"

namespace mailsim::reports {

using runset::CheckRun;

// 0 all passed, 1 an expectation failed, 2 bad input, 3 internal error (the worst wins).
int check_exit_code(const std::vector<CheckRun>& runs);

std::string junit_xml(const std::vector<CheckRun>& runs);
std::string check_markdown(const std::vector<CheckRun>& runs);

// A run's lines on the terminal: PASS, FAIL or ERROR with its name, each failed
// expectation with what was measured, and the command that reproduces a run that did not
// pass; nothing for a passing run when `quiet`.
std::string check_run_text(const CheckRun& run, bool quiet, const TableStyle& style);
// The last line: "ok: 2 of 2 runs passed" or "failed: 1 of 2 runs passed".
std::string check_summary_text(const std::vector<CheckRun>& runs, const TableStyle& style);
// A run result's failed expectations, one line each: INDENT FAIL TEXT  MEASURED.
std::string failed_verdicts_text(const nlohmann::json& run, const std::string& indent, const TableStyle& style);

// Escapes &, <, >, " and ' for XML and HTML text and attributes; control characters other
// than tab and newline (not allowed in XML 1.0) become U+FFFD.
std::string xml_escape(const std::string& s);

}  // namespace mailsim::reports
