// Topologies whose structure parses but whose component params or service paths the models'
// validation rejects (models/validation.cpp: each step's op against its model's ops, then
// each model's own check). Each file under tests/config/malformed_models starts with
// "# expect: LINE:COL: MESSAGE" (a trailing "..." makes it a prefix), as the files under
// tests/config/malformed do for the parser.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/registry.hpp"
#include "config/topology.hpp"
#include "core/error.hpp"

namespace fs = std::filesystem;

namespace {
std::vector<fs::path> files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(MAILSIM_MALFORMED_MODELS_DIR))
    if (e.path().extension() == ".yaml") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string test_name(const testing::TestParamInfo<fs::path>& info) {
  std::string n = info.param.stem().string();
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}
}  // namespace

class MalformedModelInput : public testing::TestWithParam<fs::path> {};

TEST_P(MalformedModelInput, FailsValidationWithTheExpectedError) {
  const fs::path& path = GetParam();
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  const std::string tag = "# expect: ";
  ASSERT_EQ(text.rfind(tag, 0), 0u) << path << " must start with '" << tag << "LINE:COL: MESSAGE'";
  std::string expect = text.substr(tag.size(), text.find('\n') - tag.size());
  const bool prefix = expect.size() >= 3 && expect.compare(expect.size() - 3, 3, "...") == 0;
  if (prefix) expect.resize(expect.size() - 3);
  expect = path.string() + ":" + expect;
  auto topo = mailsim::config::load_topology(path.string());  // the structure is fine
  try {
    mailsim::models::validate_topology(topo);
    FAIL() << path << " passed model validation";
  } catch (const mailsim::core::InputError& e) {
    const std::string got = e.what();
    if (prefix)
      EXPECT_EQ(got.substr(0, expect.size()), expect) << "full error: " << got;
    else
      EXPECT_EQ(got, expect);
  }
}

INSTANTIATE_TEST_SUITE_P(Files, MalformedModelInput, testing::ValuesIn(files()), test_name);
