// The runner without SimGrid: children that succeed, crash, fail, hang; the cache.
#include "runset/runner.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/sha256.hpp"

namespace mailsim::runset {
namespace {

Job job(const std::string& name, std::function<std::string()> body, const std::string& key = "") {
  return Job{key, name, "mailsim run t.yaml " + name + ".yaml --seed 1", std::move(body)};
}

RunnerOptions quiet(int jobs = 2) {
  RunnerOptions o;
  o.jobs = jobs;
  o.progress = false;
  return o;
}

std::string fresh_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("mailsim-runset-" + name + "-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  return dir.string();
}

TEST(Runner, CrashIsIsolatedAndReportedWithItsCommand) {
  std::vector<Job> jobs = {job("a", [] { return std::string("{\"a\":1}"); }),
                           job("boom", []() -> std::string { abort(); }),
                           job("bad", []() -> std::string { throw core::InputError({"x.yaml", 3, 4}, "nope"); }),
                           job("c", [] { return std::string("{\"c\":3}"); })};
  auto r = run_jobs(jobs, quiet());
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].status, JobStatus::kOk);
  EXPECT_EQ(r[0].output, "{\"a\":1}");
  EXPECT_EQ(r[1].status, JobStatus::kCrashed);
  EXPECT_EQ(r[1].signal, SIGABRT);
  EXPECT_NE(r[1].describe(jobs[1]).find("reproduce with: mailsim run t.yaml boom.yaml --seed 1"), std::string::npos);
  EXPECT_EQ(r[2].status, JobStatus::kFailed);
  EXPECT_EQ(r[2].exit_code, 2);
  EXPECT_NE(r[2].describe(jobs[2]).find("x.yaml:3:4: nope"), std::string::npos) << r[2].describe(jobs[2]);
  EXPECT_EQ(r[3].status, JobStatus::kOk);
  EXPECT_EQ(r[3].output, "{\"c\":3}");
}

TEST(Runner, TimeLimitKillsTheChildAndTheSetGoesOn) {
  std::vector<Job> jobs = {job("sleeper", [] { sleep(30); return std::string("late"); }),
                           job("quick", [] { return std::string("ok"); })};
  RunnerOptions o = quiet();
  o.time_limit_s = 0.3;
  auto t0 = std::chrono::steady_clock::now();
  auto r = run_jobs(jobs, o);
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(wall, 5.0);
  EXPECT_EQ(r[0].status, JobStatus::kTimedOut);
  EXPECT_NE(r[0].describe(jobs[0]).find("time limit"), std::string::npos);
  EXPECT_EQ(r[1].status, JobStatus::kOk);
}

// A child that allocates past its memory limit is reported as out of memory with its
// command; the set goes on. (Under AddressSanitizer, whose allocator dies on a failed
// allocation instead of throwing std::bad_alloc, the child is reported as failed.)
TEST(Runner, ChildOutOfMemoryIsReportedWithItsCommandAndTheSetGoesOn) {
  std::vector<Job> jobs = {job("hog",
                               []() -> std::string {
#if defined(__SANITIZE_ADDRESS__)
                                 // ASan reports the failed allocation itself: that report is
                                 // this test's expected outcome, so it goes to stderr, not to
                                 // the report folder `make test-asan` requires to stay empty.
                                 __sanitizer_set_report_path("stderr");
#endif
                                 std::vector<std::unique_ptr<char[]>> held;
                                 for (int i = 0; i < 64; ++i) {  // 4 GiB at most: far past the limit
                                   held.emplace_back(new char[64 << 20]);
                                   std::fill_n(held.back().get(), 64 << 20, 'x');
                                 }
                                 return std::string("never");
                               }),
                           job("small", [] { return std::string("ok"); })};
  RunnerOptions o = quiet();
  o.memory_limit_mb = 256;
  auto r = run_jobs(jobs, o);
  EXPECT_FALSE(r[0].ok());
#if !defined(__SANITIZE_ADDRESS__)
  EXPECT_EQ(r[0].status, JobStatus::kOutOfMemory);
  EXPECT_NE(r[0].describe(jobs[0]).find("ran out of memory"), std::string::npos) << r[0].describe(jobs[0]);
#endif
  EXPECT_NE(r[0].describe(jobs[0]).find("reproduce with: mailsim run t.yaml hog.yaml --seed 1"), std::string::npos);
  EXPECT_EQ(r[1].status, JobStatus::kOk);
  EXPECT_EQ(r[1].output, "ok");
}

TEST(Runner, LargeOutputsAndJobOrderWithManyWorkers) {
  std::vector<Job> jobs;
  for (int i = 0; i < 12; ++i)
    jobs.push_back(job("j" + std::to_string(i), [i] {
      usleep(static_cast<useconds_t>((12 - i) * 2000));  // later jobs finish first
      return std::string(200000 + static_cast<size_t>(i), static_cast<char>('a' + i));
    }));
  auto r = run_jobs(jobs, quiet(4));
  for (int i = 0; i < 12; ++i) {
    ASSERT_EQ(r[static_cast<size_t>(i)].status, JobStatus::kOk);
    EXPECT_EQ(r[static_cast<size_t>(i)].output, std::string(200000 + static_cast<size_t>(i), static_cast<char>('a' + i)));
  }
}

TEST(Runner, InterruptedSetResumesFromTheCache) {
  std::string dir = fresh_dir("cache");
  RunnerOptions o = quiet();
  o.cache_dir = dir;
  // First pass: job 1 crashes (as if the set had been interrupted there).
  std::vector<Job> first = {job("a", [] { return std::string("A"); }, "k0aa"),
                            job("b", []() -> std::string { abort(); }, "k1bb"),
                            job("c", [] { return std::string("C"); }, "k2cc")};
  auto r1 = run_jobs(first, o);
  EXPECT_EQ(r1[1].status, JobStatus::kCrashed);
  // Second pass: jobs 0 and 2 would crash if they ran; the cache serves them.
  std::vector<Job> second = {job("a", []() -> std::string { abort(); }, "k0aa"),
                             job("b", [] { return std::string("B"); }, "k1bb"),
                             job("c", []() -> std::string { abort(); }, "k2cc")};
  auto r2 = run_jobs(second, o);
  EXPECT_EQ(r2[0].status, JobStatus::kCached);
  EXPECT_EQ(r2[0].output, "A");
  EXPECT_EQ(r2[1].status, JobStatus::kOk);
  EXPECT_EQ(r2[1].output, "B");
  EXPECT_EQ(r2[2].status, JobStatus::kCached);
  EXPECT_EQ(r2[2].output, "C");
  std::filesystem::remove_all(dir);
}

// A cache entry is trusted only when its header names its key and the hash of its body: a
// truncated entry, a hand-edited one, or another key's result is named and recomputed.
TEST(ResultCache, CorruptOrForeignEntriesAreNamedAndRecomputed) {
  std::string dir = fresh_dir("corrupt");
  std::ostringstream warn;
  RunnerOptions o = quiet(1);
  o.cache_dir = dir;
  o.progress_out = &warn;
  ASSERT_TRUE(run_jobs({job("a", [] { return std::string("{\"a\":1}"); }, "k0aa"),
                        job("b", [] { return std::string("{\"b\":2}"); }, "k1bb")},
                       o)[0]
                  .ok());
  const ResultCache cache(dir, warn);
  std::string a_entry = cache_entry("k0aa", "{\"a\":1}");
  core::write_file_atomically(cache.path("k0aa"), a_entry.substr(0, a_entry.size() - 3));  // truncated
  core::write_file_atomically(cache.path("k1bb"), a_entry);                                 // another key's entry
  auto r = run_jobs({job("a", [] { return std::string("{\"a\":10}"); }, "k0aa"),
                     job("b", [] { return std::string("{\"b\":20}"); }, "k1bb")},
                    o);
  EXPECT_EQ(r[0].status, JobStatus::kOk);  // recomputed, not served
  EXPECT_EQ(r[0].output, "{\"a\":10}");
  EXPECT_EQ(r[1].status, JobStatus::kOk);
  EXPECT_EQ(r[1].output, "{\"b\":20}");
  EXPECT_NE(warn.str().find("cache entry " + cache.path("k0aa") + " is corrupt: its body does not match its hash"),
            std::string::npos)
      << warn.str();
  EXPECT_NE(warn.str().find("cache entry " + cache.path("k1bb") + " is corrupt: it holds the result of key k0aa"),
            std::string::npos)
      << warn.str();
  // The recomputed results replaced the bad entries.
  auto again = run_jobs({job("a", []() -> std::string { abort(); }, "k0aa")}, o);
  EXPECT_EQ(again[0].status, JobStatus::kCached);
  EXPECT_EQ(again[0].output, "{\"a\":10}");
  std::filesystem::remove_all(dir);
}

// A cache folder that cannot be written costs the caching, never the set.
TEST(ResultCache, UnwritableCacheFolderDoesNotAbortTheSet) {
  std::string dir = fresh_dir("unwritable");
  std::filesystem::create_directories(dir);
  core::write_file_atomically(dir + "/results", "a file where the results folder would go\n");
  std::ostringstream warn;
  RunnerOptions o = quiet(1);
  o.cache_dir = dir;
  o.progress_out = &warn;
  auto r = run_jobs({job("a", [] { return std::string("A"); }, "k0aa"), job("b", [] { return std::string("B"); }, "k1bb")},
                    o);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].status, JobStatus::kOk);
  EXPECT_EQ(r[1].status, JobStatus::kOk);
  EXPECT_EQ(r[1].output, "B");
  EXPECT_NE(warn.str().find("cannot write to the cache"), std::string::npos) << warn.str();
  EXPECT_EQ(warn.str().find("cannot write to the cache", warn.str().find("cannot write to the cache") + 1),
            std::string::npos)
      << "warned once";
  std::filesystem::remove_all(dir);
}

// A set killed mid-write leaves ".KEY.json.tmp.PID" in the cache; the next set removes
// it once PID no longer runs, and leaves a live writer's temporary alone.
TEST(ResultCache, StaleTemporariesOfAKilledSetAreRemovedWhenTheCacheOpens) {
  std::string dir = fresh_dir("stale");
  pid_t dead = fork();
  if (dead == 0) _exit(0);
  waitpid(dead, nullptr, 0);
  const std::string folder = dir + "/results/k0";
  std::filesystem::create_directories(folder);
  const std::string stale = folder + "/.k0aa.json.tmp." + std::to_string(dead);
  const std::string live = folder + "/.k0bb.json.tmp." + std::to_string(getpid());
  for (const auto& f : {stale, live}) std::ofstream(f) << "mailsim-cache/1 k0aa ";  // half an entry
  std::ostringstream warn;
  RunnerOptions o = quiet(1);
  o.cache_dir = dir;
  o.progress_out = &warn;
  auto r = run_jobs({job("a", [] { return std::string("A"); }, "k0aa")}, o);
  EXPECT_EQ(r[0].status, JobStatus::kOk);
  EXPECT_FALSE(std::filesystem::exists(stale));
  EXPECT_TRUE(std::filesystem::exists(live));
  EXPECT_EQ(warn.str(), "");
  std::filesystem::remove_all(dir);
}

// The build's identity is a hash of the running binary, the same for every call.
TEST(ResultCache, BuildIdentityIsTheHashOfTheRunningBinary) {
  EXPECT_EQ(build_identity().size(), 64u);
  EXPECT_EQ(build_identity(), build_identity());
  std::ifstream in("/proc/self/exe", std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  EXPECT_EQ(build_identity(), core::sha256_hex(s.str()));
}

TEST(Runner, PlainProgressLinesWithoutATty) {
  std::ostringstream out;
  RunnerOptions o = quiet(1);
  o.progress = true;
  o.tty = 0;
  o.progress_out = &out;
  run_jobs({job("one", [] { return std::string("1"); }), job("two", [] { return std::string("2"); })}, o);
  EXPECT_NE(out.str().find("[1/2] one ok"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("[2/2] two ok"), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find('\r'), std::string::npos);
  std::ostringstream tty;
  o.tty = 1;
  o.progress_out = &tty;
  run_jobs({job("one", [] { return std::string("1"); })}, o);
  EXPECT_NE(tty.str().find('\r'), std::string::npos);
  EXPECT_NE(tty.str().find("ETA"), std::string::npos);
}

}  // namespace
}  // namespace mailsim::runset
