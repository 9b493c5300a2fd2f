#include "runset/child_run.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <iostream>
#include <stdexcept>

#include "core/error.hpp"

namespace mailsim::runset {

ChildResult run_in_child(const std::function<std::string()>& body) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  std::cout.flush();
  std::cerr.flush();
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    close(fds[0]);
    int code = 0;
    std::string out;
    try {
      out = body();
    } catch (const core::InputError& e) {
      std::cerr << e.what() << "\n";
      code = core::kExitBadInput;
    } catch (const std::exception& e) {
      std::cerr << "mailsim: internal error in a child run: " << e.what() << "\n";
      code = core::kExitInternal;
    }
    size_t off = 0;
    while (off < out.size()) {
      ssize_t n = write(fds[1], out.data() + off, out.size() - off);
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    close(fds[1]);
    std::cout.flush();
    std::cerr.flush();
    _exit(code);
  }
  close(fds[1]);
  ChildResult res;
  char buf[65536];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) res.output.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  res.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : core::kExitInternal;
  return res;
}

}  // namespace mailsim::runset
