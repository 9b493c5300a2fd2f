// Same inputs and seed: byte-identical run result; another seed: a different one.
#include <gtest/gtest.h>

#include "sim/cli/child_run.hpp"
#include "tests/engine/run_helpers.hpp"

namespace {
std::string run_in_process(const std::string& scenario, uint64_t seed) {
  auto child = mailsim::cli::run_in_child([&] { return mailsim::testing::run_tutorial(scenario, seed).dump(); });
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
