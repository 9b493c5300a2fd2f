// Golden fingerprints: the SHA-256 of the run JSON of fixed (topology, scenario, seed)
// cases, as `mailsim run --json` writes it. Any change of behaviour, however small, changes
// a fingerprint: a refactor must keep them all, and a deliberate change rewrites them with
// scripts/golden.sh and says in its commit which ones changed and why.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/common/run_binary.hpp"

namespace {

struct Case {
  std::string sha, topology, scenario, seed;
};

std::vector<Case> load_cases() {
  std::vector<Case> cases;
  std::ifstream in("tests/golden/fingerprints.txt");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream s(line);
    Case c;
    s >> c.sha >> c.topology >> c.scenario >> c.seed;
    cases.push_back(c);
  }
  return cases;
}

std::string sha256_of(const std::string& path) {
  std::string cmd = "sha256sum < '" + path + "'";
  FILE* p = popen(cmd.c_str(), "r");
  char buf[128] = {0};
  size_t n = fread(buf, 1, 64, p);
  pclose(p);
  return std::string(buf, n);
}

class Golden : public ::testing::TestWithParam<size_t> {};

TEST_P(Golden, RunJsonMatchesItsFingerprint) {
  const auto cases = load_cases();
  ASSERT_LT(GetParam(), cases.size());
  const Case& c = cases[GetParam()];
  std::filesystem::create_directories("out/golden");
  const std::string json = "out/golden/case-" + std::to_string(GetParam()) + ".json";
  std::filesystem::remove(json);
  auto r = mailsim::testing::run_mailsim("run " + c.topology + " " + c.scenario + " --seed " + c.seed + " --json " + json +
                                         " -q");
  ASSERT_LE(r.code, 1) << r.out;
  EXPECT_EQ(sha256_of(json), c.sha) << c.topology << " " << c.scenario << " --seed " << c.seed
                                    << ": the run result changed; diff it against a run of the previous commit";
}

// One ctest case per fingerprint line (gtest_discover_tests lists them).
INSTANTIATE_TEST_SUITE_P(Cases, Golden, ::testing::Range<size_t>(0, 20));

TEST(GoldenFile, HasOneLinePerCase) {
  // Keeps the Range above and the file in step.
  EXPECT_EQ(load_cases().size(), 20u);
}

}  // namespace
