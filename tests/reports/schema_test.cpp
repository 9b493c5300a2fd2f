// Every run result mailsim produces validates against docs/schema/run-1.schema.json: each
// tutorial scenario runs in a child process (one simulation per process) and its JSON,
// expectations included, goes through the validator of tests/reports/json_schema.hpp.
#include <gtest/gtest.h>

#include <fstream>

#include "runset/child_run.hpp"
#include "tests/engine/run_helpers.hpp"
#include "tests/reports/json_schema.hpp"

namespace {

void expect_valid(const std::string& scenario) {
  auto child = mailsim::runset::run_in_child([&] { return mailsim::testing::run_tutorial(scenario).dump(); });
  ASSERT_EQ(child.exit_code, 0);
  nlohmann::json run = nlohmann::json::parse(child.output);
  std::ifstream in(MAILSIM_RUN_SCHEMA);
  nlohmann::json schema = nlohmann::json::parse(in);
  mailsim::testing::SchemaValidator v;
  auto errors = v.validate(schema, run);
  for (const auto& e : errors) ADD_FAILURE() << scenario << ": " << e;
  // The tutorial scenarios carry expectations: the verdicts were validated too.
  EXPECT_FALSE(run.at("expectations").empty()) << scenario;
}

}  // namespace

TEST(RunSchema, LbMasterCrash) { expect_valid("lb-master-crash"); }
TEST(RunSchema, LbGracefulStop) { expect_valid("lb-graceful-stop"); }
TEST(RunSchema, BackendCrash) { expect_valid("backend-crash"); }
TEST(RunSchema, LbSplitBrain) { expect_valid("lb-split-brain"); }
