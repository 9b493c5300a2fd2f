// The layers run one way (docs/architecture.md, "Layers"). The table of which layer links
// which is read back from the CMake targets at configure time (build/layers.txt); this
// test checks every #include of every source file against it, and checks that
// docs/architecture.md shows the same table.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct Layers {
  std::vector<std::string> order;                      // bottom first
  std::map<std::string, std::vector<std::string>> links;  // layer -> layers its target links
};

Layers read_table() {
  Layers t;
  std::ifstream in(MAILSIM_LAYER_TABLE);
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string layer = line.substr(0, colon);
    t.order.push_back(layer);
    t.links[layer];
    std::istringstream rest(line.substr(colon + 1));
    std::string dep;
    while (rest >> dep) t.links[layer].push_back(dep);
  }
  return t;
}

// The layer itself and everything it reaches through its link lines.
std::set<std::string> reachable(const Layers& t, const std::string& layer) {
  std::set<std::string> seen{layer};
  std::vector<std::string> todo{layer};
  while (!todo.empty()) {
    std::string l = todo.back();
    todo.pop_back();
    for (const auto& d : t.links.at(l))
      if (seen.insert(d).second) todo.push_back(d);
  }
  return seen;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<fs::path> sources_of(const std::string& layer) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(MAILSIM_ROOT) / layer)) {
    const auto ext = e.path().extension();
    if (e.is_regular_file() && (ext == ".cpp" || ext == ".hpp")) out.push_back(e.path());
  }
  return out;
}

TEST(Layers, TableListsEveryLayerBottomFirst) {
  const Layers t = read_table();
  ASSERT_EQ(t.order.size(), 10u);
  EXPECT_EQ(t.order.front(), "core");
  EXPECT_EQ(t.order.back(), "cli");
  // A layer links only layers listed before it: no cycle is possible.
  for (size_t i = 0; i < t.order.size(); ++i)
    for (const auto& d : t.links.at(t.order[i])) {
      auto pos = std::find(t.order.begin(), t.order.end(), d);
      ASSERT_NE(pos, t.order.end()) << d;
      EXPECT_LT(static_cast<size_t>(pos - t.order.begin()), i) << t.order[i] << " links " << d << ", a layer above it";
    }
}

TEST(Layers, EveryIncludeRunsDownward) {
  const Layers t = read_table();
  const std::regex include(R"re(#include\s+"([a-z_]+)/[^"]+")re");
  std::set<std::string> layers(t.order.begin(), t.order.end());
  for (const auto& layer : t.order) {
    const auto allowed = reachable(t, layer);
    for (const auto& file : sources_of(layer)) {
      const std::string text = slurp(file);
      const bool is_test = file.filename().string().find("_test.cpp") != std::string::npos;
      for (std::sregex_iterator m(text.begin(), text.end(), include), end; m != end; ++m) {
        const std::string to = (*m)[1];
        if (to == "tests" && is_test) continue;
        if (!layers.count(to)) {
          ADD_FAILURE() << file << " includes " << (*m)[0] << ": not a layer";
          continue;
        }
        // A test beside the code may use any layer (it is not part of the library).
        if (is_test) continue;
        EXPECT_TRUE(allowed.count(to)) << file << " (layer " << layer << ") includes " << (*m)[0]
                                       << ": layer " << to << " is not below it";
      }
    }
  }
}

// Model logic classes are state machines without SimGrid or the engine (events in,
// actions out), so they are tested without a simulation.
TEST(Layers, ModelLogicUsesNeitherSimGridNorTheEngine) {
  const std::regex bad(R"re(#include\s+[<"](simgrid/|engine/)[^">]+[">])re");
  for (const auto& file : sources_of("models")) {
    const std::string name = file.filename().string();
    if (name.find("_logic.") == std::string::npos) continue;
    const std::string text = slurp(file);
    std::smatch m;
    EXPECT_FALSE(std::regex_search(text, m, bad)) << file << " includes " << m[0];
  }
}

// Two definitions of one name in one namespace break the One Definition Rule, silently:
// the linker keeps one instantiation of, say, std::vector<T>::push_back for both, and one
// of the two types is then read with the other's layout. This happened once (patroni's
// `struct MemberStatus` and tarantool's `enum class MemberStatus`, both in
// mailsim::models; only AddressSanitizer saw it). Every project header is in one
// namespace per layer, so a type defined at namespace scope in two headers is a clash.
TEST(Layers, NoTypeIsDefinedInTwoHeaders) {
  // A definition at namespace scope: the keyword in column 0, the name, then a base list,
  // a brace or an enum's underlying type; a forward declaration ends with ';' instead.
  const std::regex definition(R"re(^(?:struct|class|enum class|enum|union)\s+([A-Za-z_]\w*)\s*(?:final\s*)?[:{])re");
  std::map<std::string, std::vector<std::string>> where;
  for (const auto& layer : read_table().order)
    for (const auto& file : sources_of(layer)) {
      if (file.extension() != ".hpp") continue;
      std::istringstream in(slurp(file));
      for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (std::regex_search(line, m, definition)) where[m[1]].push_back(file.lexically_relative(MAILSIM_ROOT).string());
      }
    }
  ASSERT_GT(where.size(), 50u) << "the scan found too few types to be looking at the sources";
  for (const auto& [name, files] : where)
    EXPECT_EQ(files.size(), 1u) << name << " is defined in " << ::testing::PrintToString(files);
}

// docs/architecture.md shows the table as rows "| `layer` | `mailsim_layer` | `a`, `b` | ...".
TEST(Layers, ArchitecturePageShowsTheMeasuredTable) {
  const Layers t = read_table();
  const std::string doc = slurp(fs::path(MAILSIM_ROOT) / "docs/architecture.md");
  for (const auto& layer : t.order) {
    std::string deps;
    for (const auto& d : t.links.at(layer)) deps += (deps.empty() ? "" : ", ") + std::string("`") + d + "`";
    if (deps.empty()) deps = "-";
    const std::string row = "| `" + layer + "/` | `mailsim_" + layer + "` | " + deps + " |";
    EXPECT_NE(doc.find(row), std::string::npos) << "docs/architecture.md lacks the row\n" << row;
  }
}

}  // namespace
