// Each model's reference page is generated from its params table: walking the registry,
// every model has docs/models/NAME.md, and the page carries exactly the rows (names,
// defaults, units, meaning, source), the ops and roles lines and the events table that
// `mailsim describe NAME --markdown` prints. A default changed in the table without the
// page, or a page edited by hand, fails here. docs/architecture.md's events table is what
// `mailsim describe --events --markdown` prints, one row per kind of the event catalogue.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "engine/event_catalogue.hpp"
#include "models/registry.hpp"
#include "tests/common/run_binary.hpp"

namespace {

using mailsim::testing::run_mailsim;
using mailsim::testing::slurp;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// The table that starts with `header`: its header, separator and rows, up to the first
// line that is not a table row.
std::vector<std::string> table_after(const std::vector<std::string>& lines,
                                     const std::string& header) {
  std::vector<std::string> out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] != header) continue;
    for (size_t j = i; j < lines.size() && !lines[j].empty() && lines[j][0] == '|'; ++j)
      out.push_back(lines[j]);
    break;
  }
  return out;
}

const std::string kModelEventsHeader = "| event | class | fields | meaning |";

class ModelDocs : public ::testing::TestWithParam<std::string> {};

TEST_P(ModelDocs, PageShowsTheParamsTableOpsAndRolesThatDescribePrints) {
  const std::string& model = GetParam();
  const std::string page_path = "docs/models/" + model + ".md";
  ASSERT_TRUE(std::filesystem::exists(page_path))
      << "model " << model << " has no reference page " << page_path;
  const auto page = lines_of(slurp(page_path));
  auto r = run_mailsim("describe " + model + " --markdown");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto described = lines_of(r.out);
  ASSERT_FALSE(described.empty());
  const std::string header = described.front();
  const auto want = table_after(described, header);
  ASSERT_EQ(want.size(), 2 + mailsim::models::find_model(model)->params.size()) << r.out;
  EXPECT_EQ(table_after(page, header), want)
      << page_path << " has drifted from `mailsim describe " << model
      << " --markdown`; paste its table into the page";
  for (const auto& line : described)
    if (line.rfind("Ops ", 0) == 0 || line.rfind("Roles ", 0) == 0)
      EXPECT_NE(std::find(page.begin(), page.end(), line), page.end())
          << page_path << " lacks the line\n"
          << line;
}

TEST_P(ModelDocs, PageShowsTheEventsTableThatDescribePrints) {
  const std::string& model = GetParam();
  const auto page = lines_of(slurp("docs/models/" + model + ".md"));
  auto r = run_mailsim("describe " + model + " --markdown");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto want = table_after(lines_of(r.out), kModelEventsHeader);
  size_t emitted = 0;
  for (const auto& e : mailsim::engine::event_catalogue())
    emitted += std::find(e.emitted_by.begin(), e.emitted_by.end(), model) != e.emitted_by.end();
  ASSERT_EQ(want.size(), 2 + emitted) << r.out;
  EXPECT_EQ(table_after(page, kModelEventsHeader), want)
      << "docs/models/" << model << ".md has drifted from `mailsim describe " << model
      << " --markdown`; paste its events table into the page";
}

TEST(EventDocs, ArchitectureShowsEveryCatalogueKindAsDescribeEventsPrintsIt) {
  const std::string header = "| event | class | fields | emitted by | meaning |";
  auto r = run_mailsim("describe --events --markdown");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto want = table_after(lines_of(r.out), header);
  ASSERT_EQ(want.size(), 2 + mailsim::engine::event_catalogue().size()) << r.out;
  EXPECT_EQ(table_after(lines_of(slurp("docs/architecture.md")), header), want)
      << "docs/architecture.md's events table has drifted from the catalogue; paste the output of "
         "`mailsim describe --events --markdown` into it";
}

INSTANTIATE_TEST_SUITE_P(Registry, ModelDocs, ::testing::ValuesIn(mailsim::models::model_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
