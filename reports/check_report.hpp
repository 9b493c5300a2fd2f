#pragma once
// Reports of `mailsim check` (docs/reports.md): JUnit XML for CI test views, one testcase
// per expectation per run, and a Markdown summary for a pull-request comment. Both name
// the exact `mailsim run ... --seed N` command that reproduces each run.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mailsim::reports {

struct CheckRun {
  std::string topology_file;
  std::string scenario_file;
  std::string name;     // "lb-pair/lb-master-crash"
  std::string command;  // "mailsim run T S --seed N"
  int exit_code = 0;    // the run's: 0 ran (verdicts in result), 2 bad input, 3 internal error
  nlohmann::json result;  // the run result; null when the run did not finish
};

// 0 all passed, 1 an expectation failed, 2 bad input, 3 internal error (the worst wins).
int check_exit_code(const std::vector<CheckRun>& runs);

std::string junit_xml(const std::vector<CheckRun>& runs);
std::string check_markdown(const std::vector<CheckRun>& runs);

// Escapes &, <, >, " and ' for XML and HTML text and attributes; control characters other
// than tab and newline (not allowed in XML 1.0) become U+FFFD.
std::string xml_escape(const std::string& s);

}  // namespace mailsim::reports
