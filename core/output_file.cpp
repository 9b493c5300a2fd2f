#include "core/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <signal.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string_view>

namespace mailsim::core {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& path, const std::string& why) {
  throw OutputError(path, "cannot write this output: " + why);
}

[[noreturn]] void fail_errno(const std::string& path, int err) { fail(path, std::strerror(err)); }

// Where and how a path is written.
struct Target {
  enum class Kind { kReplace, kStream, kStdout } kind = Kind::kReplace;
  std::string path;  // the file replaced (a link's target), or the one streamed to
  bool exists = false;
  mode_t mode = 0;
};

constexpr std::string_view kTmpInfix = ".tmp.";

std::string temporary_name(const std::string& name, pid_t pid) {
  return "." + name + std::string(kTmpInfix) + std::to_string(pid);
}

Target classify(const std::string& path) {
  if (path == "-") return {Target::Kind::kStdout, path, true, 0};
  if (path.empty()) fail("<empty path>", "no file name given");
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) fail_errno(path, errno);
    return {Target::Kind::kReplace, path, false, 0};  // a new file
  }
  std::string real = path;
  if (S_ISLNK(st.st_mode)) {
    if (::stat(path.c_str(), &st) != 0)
      fail(path, errno == ENOENT ? "a symbolic link to nothing (dangling)" : std::strerror(errno));
    std::error_code ec;
    real = fs::canonical(path, ec).string();
    if (ec) fail(path, ec.message());
  }
  if (S_ISREG(st.st_mode)) return {Target::Kind::kReplace, real, true, st.st_mode & 07777};
  if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) return {Target::Kind::kStream, path, true, 0};
  if (S_ISDIR(st.st_mode)) fail(path, "it is a directory");
  fail(path, "not a regular file, character device or FIFO");
}

void write_all(int fd, const std::string& content, const std::string& path) {
  size_t off = 0;
  while (off < content.size()) {
    ssize_t n = ::write(fd, content.data() + off, content.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_errno(path, errno);
    off += static_cast<size_t>(n);
  }
}

void stream_to(const std::string& path, const std::string& content) {
  // O_NONBLOCK on open: a FIFO without a reader gives ENXIO instead of blocking forever.
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) fail(path, errno == ENXIO ? "a FIFO with no reader" : std::strerror(errno));
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  try {
    write_all(fd, content, path);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
}

void fsync_folder(const fs::path& folder) {
  int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // best effort: the rename itself has happened
  ::fsync(fd);
  ::close(fd);
}

void replace(const Target& t, const std::string& content) {
  const fs::path target(t.path);
  const fs::path folder = target.parent_path();
  if (!folder.empty()) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) fail(t.path, "cannot create its folder: " + ec.message());
  }
  // Hidden, beside the target (rename(2) must not cross file systems), unique per process.
  const std::string tmp = (folder / temporary_name(target.filename().string(), ::getpid())).string();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) fail_errno(t.path, errno);
  auto give_up = [&](int err) {
    ::close(fd);
    ::unlink(tmp.c_str());
    fail_errno(t.path, err);
  };
  try {
    write_all(fd, content, t.path);
  } catch (const OutputError&) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  if (t.exists && ::fchmod(fd, t.mode) != 0) give_up(errno);
  if (::fsync(fd) != 0) give_up(errno);
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    fail_errno(t.path, errno);
  }
  if (::rename(tmp.c_str(), t.path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    fail_errno(t.path, err);
  }
  fsync_folder(folder);
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& content) {
  const Target t = classify(path);
  switch (t.kind) {
    case Target::Kind::kStdout:
      std::fflush(stdout);
      write_all(STDOUT_FILENO, content, "<stdout>");
      return;
    case Target::Kind::kStream:
      return stream_to(t.path, content);
    case Target::Kind::kReplace:
      return replace(t, content);
  }
}

void check_output_path(const std::string& path) {
  const Target t = classify(path);
  if (t.kind == Target::Kind::kStdout) return;
  if (t.kind == Target::Kind::kStream) {
    if (::access(t.path.c_str(), W_OK) != 0) fail_errno(path, errno);
    return;
  }
  // The nearest existing folder must let us create files (the rest is created on write).
  fs::path folder = fs::path(t.path).parent_path();
  while (!folder.empty() && !fs::exists(folder)) folder = folder.parent_path();
  if (folder.empty()) folder = ".";  // a relative path whose first folder does not exist yet
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) fail(path, folder.string() + " is not a directory");
  if (::access(folder.c_str(), W_OK | X_OK) != 0) fail(path, folder.string() + ": " + std::strerror(errno));
}

bool is_stale_temporary(const std::string& name) {
  const size_t at = name.rfind(kTmpInfix);
  if (name.size() < 2 || name[0] != '.' || at == std::string::npos || at < 2) return false;
  const std::string digits = name.substr(at + kTmpInfix.size());
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) return false;
  const pid_t pid = static_cast<pid_t>(std::stol(digits));
  // kill(pid, 0) probes without sending: ESRCH means no such process (EPERM: it runs).
  return pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH;
}

void remove_stale_temporaries(const std::string& path) {
  if (path == "-" || path.empty()) return;
  const fs::path target(path);
  const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  const std::string prefix = "." + target.filename().string() + std::string(kTmpInfix);
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) == 0 && is_stale_temporary(name)) fs::remove(it->path(), ec);
    ec.clear();
  }
}

}  // namespace mailsim::core
