#include "core/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <iterator>

#include "core/error.hpp"

namespace mailsim::core {

namespace {

[[noreturn]] void refuse(const std::string& path, const std::string& why) {
  throw InputError({path, 1, 1}, "cannot read this file: " + why);
}

std::string too_large(size_t limit) { return "larger than " + std::to_string(limit >> 20) + " MiB"; }

// Reads at most `limit` + 1 bytes from fd, so that an oversized input is seen without
// reading all of it.
std::string read_fd(int fd, const std::string& path, size_t limit) {
  std::string text;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) refuse(path, std::strerror(errno));
    if (n == 0) return text;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > limit) refuse(path, too_large(limit));
  }
}

}  // namespace

std::string read_input_file(const std::string& path) {
  if (path == "-") return read_fd(STDIN_FILENO, "<stdin>", kMaxInputBytes);
  // O_NONBLOCK: opening a FIFO must not wait for a writer; the type check below refuses it.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) refuse(path, errno == ELOOP ? "too many levels of symbolic links" : std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    refuse(path, std::strerror(err));
  }
  std::string why;
  if (S_ISDIR(st.st_mode)) why = "it is a directory";
  else if (!S_ISREG(st.st_mode)) why = "not a regular file (a device, FIFO or socket); use - to read standard input";
  else if (static_cast<unsigned long long>(st.st_size) > kMaxInputBytes) why = too_large(kMaxInputBytes);
  if (!why.empty()) {
    ::close(fd);
    refuse(path, why);
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  try {
    std::string text = read_fd(fd, path, kMaxInputBytes);
    ::close(fd);
    return text;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

}  // namespace mailsim::core
