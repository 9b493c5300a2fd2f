// The command-line conventions of issue 16 and the terminal summary of `run`, each pinned
// by running the binary as a user would.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/common/run_binary.hpp"

namespace {

using mailsim::testing::run_mailsim;
using mailsim::testing::slurp;

const char* kEsc = "\033[";

TEST(Conventions, AnUnknownCommandGetsDidYouMean) {
  auto r = run_mailsim("runn topologies/tutorial/lb-pair.yaml");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("unknown command 'runn' (did you mean 'run'?)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("A subcommand is required"), std::string::npos) << r.out;
}

TEST(Conventions, ValidateChecksEveryFileAndReportsEachError) {
  std::filesystem::create_directories("out/test-conventions");
  std::ofstream("out/test-conventions/bad-1.yaml") << "name: x\nduration: 10q\nload: []\n";
  std::ofstream("out/test-conventions/bad-2.yaml") << "nodes: 3\n";
  auto r = run_mailsim("validate out/test-conventions/bad-1.yaml scenarios/tutorial/lb-master-crash.yaml "
                       "out/test-conventions/bad-2.yaml");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("out/test-conventions/bad-1.yaml:2:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("scenarios/tutorial/lb-master-crash.yaml: ok"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("out/test-conventions/bad-2.yaml:1:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 of 3 files have errors"), std::string::npos) << r.out;
}

TEST(Conventions, ColorFollowsTheFlagThenNoColorThenForceColor) {
  const std::string run = "run topologies/tutorial/lb-pair.yaml scenarios/tutorial/backend-crash.yaml";
  // Not a terminal: no colour unless asked.
  EXPECT_EQ(run_mailsim(run).out.find(kEsc), std::string::npos);
  EXPECT_NE(run_mailsim(run + " --color always").out.find(kEsc), std::string::npos);
  EXPECT_NE(run_mailsim("--color always " + run).out.find(kEsc), std::string::npos);
  std::string bin = MAILSIM_BINARY;
  auto with_env = [&](const std::string& env, const std::string& args) {
    std::string cmd = env + " " + bin + " " + args + " 2>&1";
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
    return out;
  };
  EXPECT_NE(with_env("FORCE_COLOR=1", run).find(kEsc), std::string::npos);
  EXPECT_EQ(with_env("FORCE_COLOR=1 NO_COLOR=1", run).find(kEsc), std::string::npos);
  EXPECT_NE(with_env("NO_COLOR=1", run + " --color always").find(kEsc), std::string::npos);
  EXPECT_EQ(with_env("FORCE_COLOR=1", run + " --color never").find(kEsc), std::string::npos);
}

TEST(Conventions, QuietPrintsNoProgressEvenOnATerminal) {
  // `script` gives the command a terminal, where progress lines are drawn in place.
  if (std::system("command -v script >/dev/null 2>&1") != 0) GTEST_SKIP() << "no script(1) to make a terminal";
  const std::string bin = MAILSIM_BINARY;
  const std::string check = bin + " check topologies/tutorial/lb-pair.yaml scenarios/tutorial/backend-crash.yaml "
                                  "scenarios/tutorial/lb-master-crash.yaml";
  auto on_tty = [](const std::string& cmd) {
    std::string out;
    FILE* p = popen(("script -qec '" + cmd + "' /dev/null 2>&1").c_str(), "r");
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
    return out;
  };
  EXPECT_NE(on_tty(check).find("[1/2] running"), std::string::npos) << "progress is shown without -q";
  EXPECT_EQ(on_tty(check + " -q").find("running"), std::string::npos);
  const std::string explore = bin + " explore topologies/tutorial/lb-pair.yaml --faults 1 --duration 40 --at 10.5 "
                                    "--rate 20 --no-cache -j 2 --cache out/test-conventions/cache";
  EXPECT_EQ(on_tty(explore + " -q").find("ETA"), std::string::npos);
}

TEST(Conventions, HelpTextsBakeInNoBuildPath) {
  auto r = run_mailsim("demo --help");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out.find(MAILSIM_SOURCE_DIR), std::string::npos) << r.out;
}

TEST(Conventions, CheckBaselineFlagsARegressionWithExitOne) {
  std::filesystem::create_directories("out/test-conventions/base");
  const std::string pair = "topologies/tutorial/lb-pair.yaml scenarios/tutorial/backend-crash.yaml";
  auto first = run_mailsim("check " + pair + " --out out/test-conventions/base -q");
  ASSERT_LE(first.code, 1) << first.out;
  auto same = run_mailsim("check " + pair + " --baseline out/test-conventions/base");
  EXPECT_EQ(same.code, first.code) << same.out;
  EXPECT_NE(same.out.find("no regression against out/test-conventions/base/lb-pair__backend-crash.json"),
            std::string::npos)
      << same.out;
  // A better earlier result: today's run is a regression.
  const std::string file = "out/test-conventions/base/lb-pair__backend-crash.json";
  std::string text = slurp(file);
  const std::string key = "\"availability\": ";
  const size_t at = text.find(key);
  ASSERT_NE(at, std::string::npos);
  text.replace(at + key.size(), text.find_first_of(",\n", at + key.size()) - at - key.size(), "1.0");
  std::ofstream(file) << text;
  auto worse = run_mailsim("check " + pair + " --baseline out/test-conventions/base");
  EXPECT_EQ(worse.code, 1) << worse.out;
  EXPECT_NE(worse.out.find("regressions against"), std::string::npos) << worse.out;
}

TEST(RunSummary, ShowsMailIncidentsAndADashForAServiceWithoutLoad) {
  auto r = run_mailsim("run topologies/tutorial/lb-pair.yaml scenarios/tutorial/smtp-full-outage.yaml");
  ASSERT_LE(r.code, 1) << r.out;
  // imap has no load in this scenario: no "0 requests 100%".
  std::istringstream lines(r.out);
  bool imap_row = false;
  for (std::string l; std::getline(lines, l);)
    if (l.rfind("imap ", 0) == 0) {
      imap_row = true;
      EXPECT_EQ(l.find("100.0000%"), std::string::npos) << l;
      EXPECT_NE(l.find("(no load)"), std::string::npos) << l;
    }
  EXPECT_TRUE(imap_row) << r.out;
  EXPECT_NE(r.out.find("mail:\n  smtp"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" delayed ("), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("acknowledged lost"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("incidents:\n  smtp"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("down"), std::string::npos) << r.out;
}

}  // namespace
