#include "runset/runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <new>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "core/output_file.hpp"
#include "core/error.hpp"

namespace mailsim::runset {

const char* status_name(JobStatus s) {
  switch (s) {
    case JobStatus::kOk: return "ok";
    case JobStatus::kCached: return "cached";
    case JobStatus::kFailed: return "failed";
    case JobStatus::kCrashed: return "crashed";
    case JobStatus::kTimedOut: return "timed out";
    case JobStatus::kOutOfMemory: return "out of memory";
  }
  return "?";
}

std::string JobResult::describe(const Job& job) const {
  std::string what;
  switch (status) {
    case JobStatus::kFailed: what = fmt::format("failed (exit code {})", exit_code); break;
    case JobStatus::kCrashed:
      what = fmt::format("crashed (signal {}, {}{})", signal, strsignal(signal),
                         signal == SIGKILL ? ", perhaps by the kernel when memory ran out" : "");
      break;
    case JobStatus::kTimedOut: what = "exceeded its time limit and was killed"; break;
    case JobStatus::kOutOfMemory: what = "ran out of memory"; break;
    default: what = status_name(status);
  }
  std::string first_error;
  if (!errors.empty()) {
    std::string e = errors;
    while (!e.empty() && e.back() == '\n') e.pop_back();
    size_t nl = e.rfind('\n');
    first_error = ": " + (nl == std::string::npos ? e : e.substr(nl + 1));
  }
  return fmt::format("{} {}{}; reproduce with: {}", job.label, what, first_error, job.command);
}

int default_jobs() {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

namespace {

using Clock = std::chrono::steady_clock;

struct Running {
  size_t index = 0;
  pid_t pid = -1;
  int out_fd = -1, err_fd = -1;
  Clock::time_point start, deadline;
  bool has_deadline = false;
  bool killed = false;
  std::string out, err;
};

// The child's exit code for std::bad_alloc: private to the runner and its children (a run
// reproduced alone exits 3, an internal error).
constexpr int kExitOutOfMemory = 100;

// The address space this process holds now (/proc/self/statm: its first field, in pages).
double address_space_bytes() {
  std::ifstream statm("/proc/self/statm");
  double pages = 0;
  statm >> pages;
  return pages * static_cast<double>(sysconf(_SC_PAGESIZE));
}

// Caps what the child may add to the address space it inherited: an absolute RLIMIT_AS
// would refuse AddressSanitizer's terabytes of reserved shadow from the start.
void limit_memory(double added_mb) {
  if (added_mb <= 0) return;
  const double limit = address_space_bytes() + added_mb * 1024 * 1024;
  rlimit r{};
  r.rlim_cur = r.rlim_max = static_cast<rlim_t>(limit);
  setrlimit(RLIMIT_AS, &r);
}

[[noreturn]] void child_main(const Job& job, int out_fd, int err_fd, double memory_limit_mb) {
  dup2(err_fd, STDERR_FILENO);
  dup2(err_fd, STDOUT_FILENO);  // anything the body prints is kept with its errors
  close(err_fd);
  limit_memory(memory_limit_mb);
  int code = 0;
  std::string out;
  try {
    out = job.body();
  } catch (const std::bad_alloc&) {
    std::cerr << "mailsim: std::bad_alloc\n";
    code = kExitOutOfMemory;
  } catch (const core::InputError& e) {
    std::cerr << e.what() << "\n";
    code = core::kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "mailsim: internal error: " << e.what() << "\n";
    code = core::kExitInternal;
  }
  size_t off = 0;
  while (code == 0 && off < out.size()) {
    ssize_t n = write(out_fd, out.data() + off, out.size() - off);
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
  close(out_fd);
  std::cout.flush();
  std::cerr.flush();
  _exit(code);
}

// Reads what is available; returns false at end of file.
bool drain(int fd, std::string& into) {
  char buf[65536];
  ssize_t n = read(fd, buf, sizeof buf);
  if (n > 0) {
    into.append(buf, static_cast<size_t>(n));
    return true;
  }
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  return false;
}

std::string format_duration(double s) {
  if (s < 0) s = 0;
  long t = static_cast<long>(s + 0.5);
  if (t >= 3600) return fmt::format("{}:{:02}:{:02}", t / 3600, (t / 60) % 60, t % 60);
  return fmt::format("{}:{:02}", t / 60, t % 60);
}

}  // namespace

std::vector<JobResult> run_jobs(const std::vector<Job>& jobs, const RunnerOptions& opts) {
  std::vector<JobResult> results(jobs.size());
  std::ostream& progress = opts.progress_out ? *opts.progress_out : std::cerr;
  const bool tty = opts.tty >= 0 ? opts.tty == 1 : isatty(STDERR_FILENO) == 1;
  const int width = opts.jobs > 0 ? opts.jobs : default_jobs();
  const auto t0 = Clock::now();
  ResultCache cache(opts.cache_dir, progress);

  size_t next = 0, done = 0, executed = 0, failed = 0, cached = 0;
  double executed_wall = 0;
  std::vector<Running> running;

  auto report = [&](size_t index, double wall) {
    if (!opts.progress) return;
    const size_t n = jobs.size();
    if (tty) {
      double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
      std::string eta = "?";
      if (executed > 0) {
        double per = elapsed / static_cast<double>(executed);  // wall per executed job, all workers
        eta = format_duration(per * static_cast<double>(n - done));
      }
      int pct = n ? static_cast<int>(100 * done / n) : 100;
      progress << fmt::format("\r\033[K{} {}/{} ({}%), {} running, {} cached, {} failed, elapsed {}, ETA {}",
                              opts.what, done, n, pct, running.size(), cached, failed, format_duration(elapsed),
                              done == n ? "0:00" : eta)
               << std::flush;
      if (done == n) progress << "\n";
    } else {
      const JobResult& r = results[index];
      progress << fmt::format("[{}/{}] {} {}", done, n, jobs[index].label, status_name(r.status));
      if (r.status != JobStatus::kCached) progress << fmt::format(" ({:.2f} s)", wall);
      progress << "\n" << std::flush;
    }
  };

  auto finish = [&](Running& r, int status) {
    JobResult& res = results[r.index];
    double wall = std::chrono::duration<double>(Clock::now() - r.start).count();
    if (r.err.size() > 4096) r.err = r.err.substr(r.err.size() - 4096);
    res.errors = r.err;
    if (r.killed) {
      res.status = JobStatus::kTimedOut;
      res.signal = SIGKILL;
    } else if (WIFSIGNALED(status)) {
      res.status = JobStatus::kCrashed;
      res.signal = WTERMSIG(status);
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == kExitOutOfMemory) {
      res.status = JobStatus::kOutOfMemory;
    } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
      res.status = JobStatus::kFailed;
      res.exit_code = WEXITSTATUS(status);
    } else {
      res.status = JobStatus::kOk;
      res.output = std::move(r.out);
      cache.put(jobs[r.index].key, res.output);
    }
    if (!res.ok()) ++failed;
    ++done;
    ++executed;
    executed_wall += wall;
    report(r.index, wall);
  };

  while (done < jobs.size()) {
    // Start children up to the width; cached results are served without forking.
    while (next < jobs.size() && static_cast<int>(running.size()) < width) {
      size_t i = next++;
      std::string text;
      if (cache.get(jobs[i].key, &text)) {
        results[i].status = JobStatus::kCached;
        results[i].output = std::move(text);
        ++done;
        ++cached;
        report(i, 0);
        continue;
      }
      int out_p[2], err_p[2];
      if (pipe(out_p) != 0 || pipe(err_p) != 0) throw std::runtime_error("pipe failed");
      std::cout.flush();
      std::cerr.flush();
      progress.flush();
      pid_t pid = fork();
      if (pid < 0) throw std::runtime_error("fork failed");
      if (pid == 0) {
        close(out_p[0]);
        close(err_p[0]);
        for (auto& r : running) {
          close(r.out_fd);
          close(r.err_fd);
        }
        child_main(jobs[i], out_p[1], err_p[1], opts.memory_limit_mb);
      }
      close(out_p[1]);
      close(err_p[1]);
      Running r;
      r.index = i;
      r.pid = pid;
      r.out_fd = out_p[0];
      r.err_fd = err_p[0];
      r.start = Clock::now();
      if (opts.time_limit_s > 0) {
        r.has_deadline = true;
        r.deadline = r.start + std::chrono::microseconds(static_cast<int64_t>(opts.time_limit_s * 1e6));
      }
      running.push_back(std::move(r));
    }
    if (running.empty()) continue;

    // Wait for output, an end of file, or the nearest deadline.
    int timeout_ms = tty && opts.progress ? 500 : 1000;
    auto now = Clock::now();
    for (auto& r : running)
      if (r.has_deadline && !r.killed) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(r.deadline - now).count() + 1;
        timeout_ms = std::max<int>(0, std::min<int64_t>(timeout_ms, left));
      }
    std::vector<pollfd> fds;
    for (auto& r : running) {
      fds.push_back({r.out_fd, POLLIN, 0});
      fds.push_back({r.err_fd, POLLIN, 0});
    }
    int rc = poll(fds.data(), fds.size(), timeout_ms);
    if (rc < 0 && errno != EINTR) throw std::runtime_error("poll failed");
    for (size_t k = 0; k < running.size(); ++k) {
      Running& r = running[k];
      if (r.out_fd >= 0 && (fds[2 * k].revents & (POLLIN | POLLHUP | POLLERR)))
        if (!drain(r.out_fd, r.out)) {
          close(r.out_fd);
          r.out_fd = -1;
        }
      if (r.err_fd >= 0 && (fds[2 * k + 1].revents & (POLLIN | POLLHUP | POLLERR)))
        if (!drain(r.err_fd, r.err)) {
          close(r.err_fd);
          r.err_fd = -1;
        }
    }
    now = Clock::now();
    for (auto& r : running)
      if (r.has_deadline && !r.killed && now >= r.deadline) {
        kill(r.pid, SIGKILL);  // the pipes close when it dies
        r.killed = true;
      }
    // Reap the children whose pipes are both closed.
    for (size_t k = 0; k < running.size();) {
      Running& r = running[k];
      if (r.out_fd < 0 && r.err_fd < 0) {
        int status = 0;
        while (waitpid(r.pid, &status, 0) < 0 && errno == EINTR) {
        }
        finish(r, status);
        running.erase(running.begin() + static_cast<long>(k));
      } else {
        ++k;
      }
    }
    if (tty && opts.progress && done < jobs.size()) report(0, 0);
  }
  return results;
}

}  // namespace mailsim::runset
