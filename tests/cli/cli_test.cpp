// The mailsim binary as a user runs it: exit codes, one-line errors with file:line:col,
// nothing written on bad input, byte-identical results for the same seed.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

struct Result {
  int code;
  std::string out;  // stdout and stderr together
};

Result mailsim(const std::string& args) {
  std::string cmd = std::string(MAILSIM_BINARY) + " " + args + " 2>&1";
  Result r{0, ""};
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string kTopo = "topologies/tutorial/lb-pair.yaml";
const std::string kInputs = "tests/cli/inputs/";

}  // namespace

TEST(Cli, ValidateAcceptsTheTutorialFiles) {
  auto r = mailsim("validate " + kTopo + " scenarios/tutorial/lb-master-crash.yaml --topology " + kTopo);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("ok (topology lb-pair"), std::string::npos);
}

TEST(Cli, UnknownModelIsBadInputWithPosition) {
  auto r = mailsim("validate " + kInputs + "bad-unknown-model.yaml");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, kInputs + "bad-unknown-model.yaml:6:22: unknown model 'mail_nodes' (did you mean 'mail_node'?)\n");
}

TEST(Cli, UnknownParamPointsAtTheKey) {
  auto r = mailsim("validate " + kInputs + "bad-param.yaml");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out.rfind(kInputs + "bad-param.yaml:10:26: unknown key 'advert_intt'", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("did you mean 'advert_int'?"), std::string::npos);
}

TEST(Cli, ScenarioServiceMustExistInTopology) {
  std::string out = "out/test-cli-bad.json";
  std::filesystem::remove(out);
  auto r = mailsim("run " + kTopo + " " + kInputs + "bad-scenario-service.yaml --json " + out);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, kInputs + "bad-scenario-service.yaml:5:15: service 'smtpp' is not in topology 'lb-pair' (did you mean 'smtp'?)\n");
  EXPECT_FALSE(std::filesystem::exists(out));  // nothing half-written
}

TEST(Cli, MissingFileIsBadInput) {
  auto r = mailsim("run no/such/topology.yaml scenarios/tutorial/lb-master-crash.yaml");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "no/such/topology.yaml: cannot open file\n");
}

TEST(Cli, UnknownFlagAndUnknownModelToDescribeAreBadInput) {
  EXPECT_EQ(mailsim("run --frobnicate").code, 2);
  auto r = mailsim("describe vip_balancr");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("did you mean 'vip_balancer'?"), std::string::npos);
}

TEST(Cli, DescribeListsParamsWithSources) {
  auto r = mailsim("describe vip_balancer");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("advert_int"), std::string::npos);
  EXPECT_NE(r.out.find("RFC 3768"), std::string::npos);
}

TEST(Cli, RunWritesJsonAndSameSeedIsByteIdentical) {
  std::string a = "out/test-cli-a.json", b = "out/test-cli-b.json";
  auto ra = mailsim("run " + kTopo + " scenarios/tutorial/lb-graceful-stop.yaml --seed 3 -q --json " + a);
  auto rb = mailsim("run " + kTopo + " scenarios/tutorial/lb-graceful-stop.yaml --seed 3 -q --json " + b);
  ASSERT_EQ(ra.code, 0) << ra.out;
  ASSERT_EQ(rb.code, 0) << rb.out;
  std::string ja = slurp(a);
  EXPECT_NE(ja.find("\"schema\": \"mailsim.run/1\""), std::string::npos);
  EXPECT_EQ(ja, slurp(b));
}
