// Same inputs and seed: byte-identical run result; another seed: a different one.
#include <gtest/gtest.h>

#include "reports/csv_series.hpp"
#include "reports/html_report.hpp"
#include "runset/child_run.hpp"
#include "tests/engine/run_helpers.hpp"

namespace {
std::string run_in_process(const std::string& scenario, uint64_t seed) {
  auto child = mailsim::runset::run_in_child([&] { return mailsim::testing::run_tutorial(scenario, seed).dump(); });
  EXPECT_EQ(child.exit_code, 0);
  return child.output;
}
}  // namespace

TEST(Determinism, SameSeedGivesByteIdenticalResult) {
  std::string a = run_in_process("backend-crash", 11);
  std::string b = run_in_process("backend-crash", 11);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b);
}

TEST(Determinism, DifferentSeedGivesDifferentResult) {
  std::string a = run_in_process("backend-crash", 11);
  std::string b = run_in_process("backend-crash", 12);
  ASSERT_FALSE(a.empty());
  EXPECT_NE(a, b);
}

// The reports rendered from a run are as reproducible as the run: the HTML page and the
// CSV series of two runs with one seed are byte-identical (no wall clock, no host name).
namespace {
std::string rendered(const std::string& scenario, uint64_t seed) {
  auto child = mailsim::runset::run_in_child([&] {
    auto run = mailsim::testing::run_tutorial(scenario, seed);
    return mailsim::reports::html_report(run) + "\n=====\n" + mailsim::reports::csv_series(run);
  });
  EXPECT_EQ(child.exit_code, 0);
  return child.output;
}
}  // namespace

TEST(Determinism, SameSeedGivesByteIdenticalHtmlAndCsv) {
  std::string a = rendered("lb-master-crash", 5);
  std::string b = rendered("lb-master-crash", 5);
  ASSERT_NE(a.find("<svg"), std::string::npos);
  ASSERT_NE(a.find("\n=====\nservice,window_start_s"), std::string::npos);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, rendered("lb-master-crash", 6));
}
