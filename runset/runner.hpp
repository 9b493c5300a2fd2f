#pragma once
// The one runner of every command that runs many simulations (sweep, explore,
// reliability): SimGrid allows one engine per process (DESIGN.md decision 1), so each job
// runs in a forked child that writes its JSON to a pipe.
//
// - `jobs` children at once (default: the number of cores).
// - A child that dies of a signal, exits non-zero, runs out of memory (std::bad_alloc, or
//   past `memory_limit_mb`), or outlives `time_limit_s` (then it is killed with SIGKILL)
//   is reported with the exact command that reproduces it; the other jobs go on. Failures
//   are never cached, so a later run retries them.
// - Successful results are cached (result_cache.hpp: verified entries, keyed by the inputs,
//   the options and the build): an interrupted set run again with the same cache resumes
//   where it stopped; a corrupt entry is named and recomputed; an unwritable cache folder
//   is warned about and the set goes on.
// - Progress goes to `progress_out`: one line rewritten with a carriage return and an ETA
//   on a TTY, otherwise one plain line per finished job. Wall-clock figures appear only
//   there, never in results.
// Results come back in job order, whatever order the children finished in.
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "runset/result_cache.hpp"

namespace mailsim::runset {

struct Job {
  std::string key;      // cache key (hex); empty: never cached
  std::string label;    // short name for progress and reports
  std::string command;  // the command line that reproduces this job alone
  std::function<std::string()> body;  // runs in the child; returns the result text (JSON)
};

enum class JobStatus { kOk, kCached, kFailed, kCrashed, kTimedOut, kOutOfMemory };
const char* status_name(JobStatus s);

struct JobResult {
  JobStatus status = JobStatus::kOk;
  int exit_code = 0;     // the child's exit code (kFailed)
  int signal = 0;        // the signal that killed it (kCrashed, kTimedOut: SIGKILL)
  std::string output;    // what the body returned (kOk, kCached)
  std::string errors;    // the child's stderr, last 4 KiB
  bool ok() const { return status == JobStatus::kOk || status == JobStatus::kCached; }
  std::string describe(const Job& job) const;  // one line for a failed job, with the command
};

struct RunnerOptions {
  int jobs = 0;             // children at once; 0 = the number of online cores
  double time_limit_s = 0;  // per job, wall clock; 0 = none
  // Per job: the address space a child may add to what it inherits at the fork
  // (RLIMIT_AS, so that it also holds under AddressSanitizer's reserved shadow); 0 = none.
  double memory_limit_mb = 0;
  std::string cache_dir;    // "" = no cache
  bool progress = true;
  std::ostream* progress_out = nullptr;  // default std::cerr
  int tty = -1;             // -1: ask isatty(stderr); 0/1 to force (tests)
  std::string what = "runs";  // noun in progress lines
};

std::vector<JobResult> run_jobs(const std::vector<Job>& jobs, const RunnerOptions& opts);

int default_jobs();  // the number of online cores, at least 1

}  // namespace mailsim::runset
