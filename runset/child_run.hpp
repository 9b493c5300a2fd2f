#pragma once
// Runs a function in a forked child and returns what it printed to the pipe: one
// simulation per process (DESIGN.md decision 1), and a crash in the child stays there.
#include <functional>
#include <string>

namespace mailsim::runset {

struct ChildResult {
  int exit_code = 0;  // the child's exit code, or 3 when it died of a signal
  std::string output;
};

ChildResult run_in_child(const std::function<std::string()>& body);

}  // namespace mailsim::runset
