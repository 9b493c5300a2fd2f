#pragma once
// Runs the mailsim binary as a user would (MAILSIM_BINARY is set by the test's CMake) and
// collects its exit code and its stdout + stderr; shared by the CLI-level tests.
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace mailsim::testing {

struct CommandResult {
  int code;
  std::string out;  // stdout and stderr together
};

inline CommandResult run_mailsim(const std::string& args) {
  std::string cmd = std::string(MAILSIM_BINARY) + " " + args + " 2>&1";
  CommandResult r{0, ""};
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace mailsim::testing
