// Topology parsing: the typed result of a valid file, and the one-line error of invalid
// ones. This file also drives the data-driven input tests shared with scenarios:
//   - tests/config/malformed/*.yaml: each file starts with "# expect: LINE:COL: MESSAGE"
//     (a trailing "..." makes MESSAGE a prefix) and must fail with exactly that error;
//     topology_*.yaml go through load_topology, scenario_*.yaml through load_scenario.
//   - tests/fuzz/corpus/*: the fuzzer's seeds and regressions; each must parse or fail
//     with an InputError, as the fuzz target demands.
//   - docs/formats.md: its annotated examples must parse.
#include "sim/config/topology.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/config/scenario.hpp"
#include "sim/config/yaml_reader.hpp"

using namespace mailsim;
using namespace mailsim::config;
namespace fs = std::filesystem;

namespace {

const char* kLbPair = R"(name: lb-pair
description: two balancers in front of two mail nodes
network:
  nic_latency: 50us
  nic_bandwidth: 10Gbps
  backbone_latency: 100us
  backbone_bandwidth: 40Gbps
  client_latency: 5ms
  client_bandwidth: 1Gbps
nodes:
  - {name: lb-1, cores: 2, speed: 2Gf, zone: dc1}
  - {name: lb-2, cores: 2, speed: 2Gf, zone: dc2}
  - {name: mail-1, cores: 8, speed: 2.4Gf}
  - name: mail-2
    cores: 8
    speed: 2.4Gf
components:
  - name: front_lb
    model: vip_balancer
    nodes: [lb-1, lb-2]
    params: {backend: mail, priority: [150, 100]}
  - name: mail
    model: mail_node
    nodes: [mail-1, mail-2]
services:
  - name: smtp
    steps:
      - component: front_lb
      - {component: mail, op: smtp, cpu: exponential 4ms, request: 50KiB, response: 1KiB}
  - name: imap
    steps:
      - component: front_lb
      - {component: mail, op: imap, cpu: lognormal 2ms 0.5}
)";

std::string topology_error(const std::string& text) {
  try {
    parse_topology(text, "t.yaml");
  } catch (const core::InputError& e) {
    return e.what();
  }
  return "";
}

// kLbPair with the first occurrence of `from` replaced by `to`.
std::string lb_pair_with(const std::string& from, const std::string& to) {
  std::string s = kLbPair;
  auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> files_in(const char* dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

// ---- a valid topology ------------------------------------------------------------------

TEST(Topology, ParsesLbPair) {
  Topology t = parse_topology(kLbPair, "lb-pair.yaml");
  EXPECT_EQ(t.file, "lb-pair.yaml");
  EXPECT_EQ(t.name, "lb-pair");
  EXPECT_EQ(t.description, "two balancers in front of two mail nodes");
  EXPECT_DOUBLE_EQ(t.network.nic_latency.seconds, 50e-6);
  EXPECT_DOUBLE_EQ(t.network.nic_bandwidth.bytes_per_s, 1.25e9);
  EXPECT_DOUBLE_EQ(t.network.backbone_latency.seconds, 100e-6);
  EXPECT_DOUBLE_EQ(t.network.backbone_bandwidth.bytes_per_s, 5e9);
  EXPECT_DOUBLE_EQ(t.network.client_latency.seconds, 5e-3);
  EXPECT_DOUBLE_EQ(t.network.client_bandwidth.bytes_per_s, 1.25e8);

  ASSERT_EQ(t.nodes.size(), 4u);
  EXPECT_EQ(t.node_names(), (std::vector<std::string>{"lb-1", "lb-2", "mail-1", "mail-2"}));
  EXPECT_EQ(t.nodes[0].cores, 2);
  EXPECT_DOUBLE_EQ(t.nodes[0].speed.flops, 2e9);
  EXPECT_EQ(t.nodes[0].zone, "dc1");
  EXPECT_EQ(t.nodes[2].zone, "");  // optional
  EXPECT_EQ(t.nodes[0].mark.file, "lb-pair.yaml");
  EXPECT_EQ(t.nodes[0].mark.line, 11);
  EXPECT_EQ(t.nodes[0].mark.col, 5);
  EXPECT_EQ(t.nodes[3].mark.line, 14);
  EXPECT_EQ(t.nodes[3].mark.col, 5);

  ASSERT_EQ(t.components.size(), 2u);
  const ComponentSpec& lb = t.components[0];
  EXPECT_EQ(lb.name, "front_lb");
  EXPECT_EQ(lb.model, "vip_balancer");
  EXPECT_EQ(lb.nodes, (std::vector<std::string>{"lb-1", "lb-2"}));
  EXPECT_EQ(lb.mark.line, 18);
  EXPECT_EQ(lb.model_mark.line, 19);
  EXPECT_EQ(lb.model_mark.col, 12);
  ASSERT_TRUE(lb.params.IsMap());
  EXPECT_EQ(lb.params["backend"].Scalar(), "mail");
  EXPECT_EQ(lb.params["priority"].size(), 2u);
  EXPECT_FALSE(t.components[1].params.IsDefined() && !t.components[1].params.IsNull());

  ASSERT_EQ(t.services.size(), 2u);
  const ServiceSpec& smtp = t.services[0];
  EXPECT_EQ(smtp.name, "smtp");
  ASSERT_EQ(smtp.steps.size(), 2u);
  EXPECT_EQ(smtp.steps[0].component, "front_lb");
  EXPECT_EQ(smtp.steps[0].op, "");  // a proxy step
  EXPECT_EQ(smtp.steps[0].cpu.kind, core::Distribution::Kind::kConstant);
  EXPECT_DOUBLE_EQ(smtp.steps[0].cpu.mean, 0);
  EXPECT_DOUBLE_EQ(smtp.steps[0].request_bytes.bytes, 0);
  EXPECT_EQ(smtp.steps[1].component, "mail");
  EXPECT_EQ(smtp.steps[1].op, "smtp");
  EXPECT_EQ(smtp.steps[1].cpu.kind, core::Distribution::Kind::kExponential);
  EXPECT_DOUBLE_EQ(smtp.steps[1].cpu.mean, 0.004);
  EXPECT_DOUBLE_EQ(smtp.steps[1].request_bytes.bytes, 50 * 1024);
  EXPECT_DOUBLE_EQ(smtp.steps[1].response_bytes.bytes, 1024);
  EXPECT_EQ(smtp.steps[1].mark.line, 29);
  EXPECT_EQ(smtp.steps[1].mark.col, 9);
  EXPECT_EQ(t.services[1].steps[1].cpu.kind, core::Distribution::Kind::kLognormal);
  EXPECT_DOUBLE_EQ(t.services[1].steps[1].cpu.sigma, 0.5);
}

TEST(Topology, Lookups) {
  Topology t = parse_topology(kLbPair, "lb-pair.yaml");
  ASSERT_NE(t.find_node("mail-2"), nullptr);
  EXPECT_EQ(t.find_node("mail-2")->cores, 8);
  EXPECT_EQ(t.find_node("mail-3"), nullptr);
  EXPECT_EQ(t.find_node("front_lb"), nullptr);
  ASSERT_NE(t.find_component("mail"), nullptr);
  EXPECT_EQ(t.find_component("mail")->model, "mail_node");
  EXPECT_EQ(t.find_component("lb-1"), nullptr);
  ASSERT_NE(t.find_service("imap"), nullptr);
  EXPECT_EQ(t.find_service("pop3"), nullptr);
  EXPECT_EQ(t.node_index("lb-1"), 0);
  EXPECT_EQ(t.node_index("mail-2"), 3);
  EXPECT_EQ(t.node_index("nope"), -1);
  EXPECT_EQ(t.component_names(), (std::vector<std::string>{"front_lb", "mail"}));
  EXPECT_EQ(t.service_names(), (std::vector<std::string>{"smtp", "imap"}));
}

TEST(Topology, PlacementOnOneNodeAsAScalar) {
  Topology t = parse_topology(lb_pair_with("nodes: [mail-1, mail-2]", "nodes: mail-1"), "t.yaml");
  EXPECT_EQ(t.find_component("mail")->nodes, std::vector<std::string>{"mail-1"});
}

TEST(Topology, EmptyComponentsAndServicesAreAllowed) {
  std::string s = kLbPair;
  s = s.substr(0, s.find("components:")) + "components: []\nservices: []\n";
  Topology t = parse_topology(s, "t.yaml");
  EXPECT_TRUE(t.components.empty());
  EXPECT_TRUE(t.services.empty());
}

TEST(Topology, LoadFromFileUsesThePathInErrors) {
  try {
    load_topology("/nonexistent/dir/lb.yaml");
    FAIL() << "no throw";
  } catch (const core::InputError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/dir/lb.yaml: cannot open file");
    EXPECT_EQ(e.mark().line, 0);
  }
}

// ---- inline malformed topologies (more are files under tests/config/malformed) --------

TEST(TopologyErrors, UnknownRootKeyWithHint) {
  EXPECT_EQ(topology_error(lb_pair_with("services:", "service:")),
            "t.yaml:25:1: unknown key 'service' in a topology (did you mean 'services'?)");
}

TEST(TopologyErrors, NodeWithBadSpeedUnit) {
  EXPECT_EQ(topology_error(lb_pair_with("speed: 2Gf, zone: dc2", "speed: 2GHz, zone: dc2")),
            "t.yaml:12:36: '2GHz' is not a CPU speed: unknown unit 'GHz' (use f, kf, Mf, Gf, Tf)");
}

TEST(TopologyErrors, ParamsAreNotCheckedHere) {
  // Model params are parsed later by the model's table (models/registry), so an unknown
  // param key is not a topology error.
  EXPECT_EQ(topology_error(lb_pair_with("backend: mail", "backendd: mail")), "");
}

TEST(TopologyErrors, StepCallsUnknownComponent) {
  EXPECT_EQ(topology_error(lb_pair_with("{component: mail, op: imap", "{component: mial, op: imap")),
            "t.yaml:33:21: service 'imap' calls unknown component 'mial' (did you mean 'mail'?)");
}

TEST(TopologyErrors, NotYaml) {
  EXPECT_EQ(topology_error("name: [unclosed\n").rfind("t.yaml:", 0), 0u);
  EXPECT_NE(topology_error("name: [unclosed\n").find(": YAML syntax error: "), std::string::npos);
  EXPECT_EQ(topology_error(""), "t.yaml:1:1: the document is empty");
  EXPECT_EQ(topology_error("just a sentence"), "t.yaml:1:1: a topology must be a map, not a scalar");
}

// ---- data-driven inputs ---------------------------------------------------------------

class MalformedInput : public testing::TestWithParam<fs::path> {};

TEST_P(MalformedInput, FailsWithTheExpectedError) {
  const fs::path& path = GetParam();
  std::string text = read_file(path);
  const std::string tag = "# expect: ";
  ASSERT_EQ(text.rfind(tag, 0), 0u) << path << " must start with '" << tag << "LINE:COL: MESSAGE'";
  std::string expect = text.substr(tag.size(), text.find('\n') - tag.size());
  bool prefix = expect.size() >= 3 && expect.compare(expect.size() - 3, 3, "...") == 0;
  if (prefix) expect.resize(expect.size() - 3);
  expect = path.string() + ":" + expect;

  std::string stem = path.filename().string();
  bool topology = stem.rfind("topology_", 0) == 0;
  ASSERT_TRUE(topology || stem.rfind("scenario_", 0) == 0) << stem << ": name must start with topology_ or scenario_";
  try {
    if (topology) load_topology(path.string());
    else load_scenario(path.string());
    FAIL() << path << " parsed without error";
  } catch (const core::InputError& e) {
    std::string got = e.what();
    if (prefix) EXPECT_EQ(got.substr(0, expect.size()), expect) << "full error: " << got;
    else EXPECT_EQ(got, expect);
    EXPECT_GE(e.mark().line, 1) << "an input error must have a position";
    EXPECT_GE(e.mark().col, 1) << "an input error must have a position";
  }
}

std::vector<fs::path> malformed_files() { return files_in(MAILSIM_MALFORMED_DIR); }

std::string test_name(const testing::TestParamInfo<fs::path>& info) {
  std::string n = info.param.stem().string();
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Files, MalformedInput, testing::ValuesIn(malformed_files()), test_name);

TEST(MalformedInputs, AtLeast24Files) { EXPECT_GE(malformed_files().size(), 24u); }

// The fuzz target's contract, replayed without the fuzzer: any input either parses or
// fails with an InputError.
TEST(FuzzCorpus, EveryInputParsesOrFailsWithInputError) {
  auto files = files_in(MAILSIM_FUZZ_CORPUS_DIR);
  EXPECT_GE(files.size(), 3u);
  for (const auto& f : files) {
    std::string text = read_file(f);
    for (int which = 0; which < 2; ++which) {
      try {
        if (which == 0) parse_topology(text, "fuzz.yaml");
        else parse_scenario(text, "fuzz.yaml");
      } catch (const core::InputError&) {
      } catch (const std::exception& e) {
        ADD_FAILURE() << f << ": " << (which == 0 ? "topology" : "scenario") << " parser threw " << e.what();
      }
    }
  }
}

// docs/formats.md: the ```yaml blocks whose first line is "# topology: ..." or
// "# scenario: ..." are the annotated examples; they must stay valid.
TEST(FormatsDoc, ExamplesParse) {
  std::string doc = read_file(MAILSIM_FORMATS_DOC);
  ASSERT_FALSE(doc.empty()) << MAILSIM_FORMATS_DOC;
  int topologies = 0, scenarios = 0;
  const std::string open = "```yaml\n";
  for (size_t at = doc.find(open); at != std::string::npos; at = doc.find(open, at)) {
    size_t begin = at + open.size();
    size_t end = doc.find("\n```", begin);
    ASSERT_NE(end, std::string::npos);
    std::string block = doc.substr(begin, end - begin + 1);
    at = end;
    try {
      if (block.rfind("# topology:", 0) == 0) {
        Topology t = parse_topology(block, "formats.md");
        EXPECT_EQ(t.nodes.size(), 4u);
        EXPECT_NE(t.find_component("front_lb"), nullptr);
        ++topologies;
      } else if (block.rfind("# scenario:", 0) == 0) {
        Scenario s = parse_scenario(block, "formats.md");
        EXPECT_FALSE(s.faults.empty());
        ++scenarios;
      }
    } catch (const core::InputError& e) {
      ADD_FAILURE() << "example in docs/formats.md does not parse: " << e.what();
    }
  }
  EXPECT_GE(topologies, 1);
  EXPECT_GE(scenarios, 1);
}
