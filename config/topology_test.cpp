// Topology parsing: the typed result of a valid file, and the one-line error of invalid
// ones. This file also drives the data-driven input tests shared with scenarios:
//   - tests/config/malformed/*.yaml: each file starts with "# expect: LINE:COL: MESSAGE"
//     (a trailing "..." makes MESSAGE a prefix) and must fail with exactly that error;
//     topology_*.yaml go through load_topology, scenario_*.yaml through load_scenario.
//   - tests/fuzz/corpus/*: the fuzzer's seeds and regressions; each must parse or fail
//     with an InputError, as the fuzz target demands.
//   - docs/formats.md: its annotated examples must parse.
#include "config/topology.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "config/scenario.hpp"
#include "config/yaml_reader.hpp"

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

// `marked` is a topology in which one '^' stands just before the place the error must
// point at; the '^' is removed, the rest parsed, and the error must be exactly
// "t.yaml:LINE:COL: message".
testing::AssertionResult fails_at(const std::string& marked, const std::string& message) {
  auto at = marked.find('^');
  if (at == std::string::npos) return testing::AssertionFailure() << "no ^ in the test input";
  std::string text = marked;
  text.erase(at, 1);
  size_t newline = at == 0 ? std::string::npos : text.rfind('\n', at - 1);
  size_t col = newline == std::string::npos ? at + 1 : at - newline;
  size_t line =
      1 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
  std::string expect =
      "t.yaml:" + std::to_string(line) + ":" + std::to_string(col) + ": " + message;
  std::string got = topology_error(text);
  if (got == expect) return testing::AssertionSuccess();
  return testing::AssertionFailure() << "\n  got:    " << got << "\n  wanted: " << expect;
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
    EXPECT_STREQ(e.what(), "/nonexistent/dir/lb.yaml:1:1: cannot read this file: No such file or directory");
    EXPECT_EQ(e.mark().line, 1);
  }
}

// ---- inline malformed topologies (more are files under tests/config/malformed) --------

TEST(TopologyErrors, UnknownRootKeyWithHint) {
  EXPECT_TRUE(fails_at(lb_pair_with("services:", "^service:"),
                       "unknown key 'service' in a topology (did you mean 'services'?)"));
}

TEST(TopologyErrors, NodeWithBadSpeedUnit) {
  EXPECT_TRUE(fails_at(lb_pair_with("speed: 2Gf, zone: dc2", "speed: ^2GHz, zone: dc2"),
                       "'2GHz' is not a CPU speed: unknown unit 'GHz' (use f, kf, Mf, Gf, Tf)"));
}

TEST(Topology, ANodeMayHaveItsOwnNicBandwidth) {
  Topology t = parse_topology(lb_pair_with("speed: 2Gf, zone: dc2", "speed: 2Gf, zone: dc2, nic: 25Gbps"), "lb-pair.yaml");
  ASSERT_TRUE(t.nodes[1].nic.has_value());
  EXPECT_DOUBLE_EQ(t.nodes[1].nic->bytes_per_s, 25e9 / 8);
  EXPECT_FALSE(t.nodes[0].nic.has_value());  // the network's nic_bandwidth
}

TEST(TopologyErrors, ANodesNicBandwidthIsRangeChecked) {
  EXPECT_TRUE(fails_at(lb_pair_with("speed: 2Gf, zone: dc2", "speed: 2Gf, zone: dc2, nic: ^0Gbps"),
                       "nic is 0Gbps; it must be 1Kbps to 10000Gbps"));
  EXPECT_TRUE(fails_at(lb_pair_with("speed: 2Gf, zone: dc2", "speed: 2Gf, zone: dc2, nic: ^fast"), "'fast' is not a bandwidth: expected a number followed by a unit"));
}

TEST(TopologyErrors, EmptyValuesPointAtTheirKey) {
  EXPECT_TRUE(
      fails_at(lb_pair_with("zone: dc2}", "^zone: }"), "expected a name, found nothing (null)"));
  EXPECT_TRUE(fails_at(lb_pair_with("    cores: 8\n", "    ^cores:\n"),
                       "expected an integer, found nothing (null)"));
  EXPECT_TRUE(fails_at(lb_pair_with("    model: mail_node\n", "    ^model:\n"),
                       "expected a name, found nothing (null)"));
}

TEST(TopologyErrors, ParamsAreNotCheckedHere) {
  // Model params are parsed later by the model's table (models/registry), so an unknown
  // param key is not a topology error.
  EXPECT_EQ(topology_error(lb_pair_with("backend: mail", "backendd: mail")), "");
}

TEST(TopologyErrors, StepCallsUnknownComponent) {
  EXPECT_TRUE(fails_at(lb_pair_with("{component: mail, op: imap", "{component: ^mial, op: imap"),
                       "service 'imap' calls unknown component 'mial' (did you mean 'mail'?)"));
}

TEST(TopologyErrors, NotYaml) {
  EXPECT_EQ(topology_error("name: [unclosed\n").rfind("t.yaml:", 0), 0u);
  EXPECT_NE(topology_error("name: [unclosed\n").find(": YAML syntax error: "), std::string::npos);
  EXPECT_EQ(topology_error(""), "t.yaml:1:1: the document is empty");
  EXPECT_EQ(topology_error("# only a comment\n"), "t.yaml:1:1: the document is empty");
  EXPECT_TRUE(fails_at("^just a sentence", "a topology must be a map, not a scalar"));
  EXPECT_TRUE(fails_at(std::string(kLbPair) + "^---\n" + kLbPair,
                       "a second YAML document: a file holds one topology or one scenario"));
}

// ---- config: operators' files named by a component ---------------------------------------

TEST(TopologyConfig, FilesAreRelativeToTheTopologysFolderOnePerNodeOrOneForAll) {
  Topology t = parse_topology(
      lb_pair_with("params: {backend: mail, priority: [150, 100]}",
                   "params: {backend: mail}\n    config:\n      keepalived: {lb-1: lb/a.conf, lb-2: {file: lb/b.conf, "
                   "section: VI_1}}\n      haproxy: ../shared/haproxy.cfg"),
      "infra/ci/topology.yaml");
  const auto& refs = t.find_component("front_lb")->config;
  ASSERT_EQ(refs.size(), 3u);
  EXPECT_EQ(refs[0].kind, "keepalived");
  EXPECT_EQ(refs[0].node, "lb-1");
  EXPECT_EQ(refs[0].path, "lb/a.conf");
  EXPECT_EQ(refs[0].file, "infra/ci/lb/a.conf");
  EXPECT_EQ(refs[0].section, "");
  EXPECT_EQ(refs[1].node, "lb-2");
  EXPECT_EQ(refs[1].section, "VI_1");
  EXPECT_EQ(refs[2].kind, "haproxy");
  EXPECT_EQ(refs[2].node, "");
  EXPECT_EQ(refs[2].path, "../shared/haproxy.cfg");
  EXPECT_EQ(refs[2].file, "infra/shared/haproxy.cfg");
  EXPECT_EQ(refs[2].mark.line, 24);  // the haproxy line
  EXPECT_TRUE(t.find_component("mail")->config.empty());
}

TEST(TopologyConfig, ConfigFolderMovesWhereThePathsAreOpenedNotHowTheyAreWritten) {
  // A rewritten copy elsewhere (mailsim sweep's, under CACHE/inputs) names its original's
  // folder: the manifest keeps the paths as written, the files are opened from there.
  const std::string config = "params: {backend: mail}\n    config: {haproxy: {file: ../lb/haproxy.cfg, section: /var/vmail}}";
  const std::string text = lb_pair_with("params: {backend: mail, priority: [150, 100]}", config);
  const Topology copy = parse_topology("config_folder: /srv/infra/mailsim\n" + text, "out/cache/inputs/t.yaml");
  const auto& ref = copy.find_component("front_lb")->config.at(0);
  EXPECT_EQ(ref.path, "../lb/haproxy.cfg");
  EXPECT_EQ(ref.file, "/srv/infra/lb/haproxy.cfg");
  EXPECT_EQ(ref.section, "/var/vmail");  // a section may be a mount point
  const Topology relative = parse_topology("config_folder: ../mailsim\n" + text, "infra/ci/t.yaml");
  EXPECT_EQ(relative.find_component("front_lb")->config.at(0).file, "infra/lb/haproxy.cfg");
  EXPECT_EQ(parse_topology(text, "infra/ci/t.yaml").find_component("front_lb")->config.at(0).file,
            "infra/lb/haproxy.cfg");
}

TEST(TopologyConfig, BadEntriesPointAtTheirValue) {
  const std::string from = "params: {backend: mail, priority: [150, 100]}";
  EXPECT_TRUE(fails_at(lb_pair_with(from, "config: {keepalived: ^/etc/keepalived/keepalived.conf}"),
                       "config file '/etc/keepalived/keepalived.conf' must be relative to the topology's folder (the "
                       "run manifest records it as written, the same on every machine)"));
  EXPECT_TRUE(fails_at(lb_pair_with(from, "config: {keepalived: {lb-1: a.conf, ^lb-3: b.conf}}"),
                       "config.keepalived: component 'front_lb' does not run on node 'lb-3' (did you mean 'lb-1'?)"));
  EXPECT_TRUE(fails_at(lb_pair_with(from, "config: {keepalived: ^{lb-1: a.conf}}"),
                       "config.keepalived: no file for node 'lb-2' of component 'front_lb': give one file per node, "
                       "or one file for every node"));
  EXPECT_TRUE(fails_at(lb_pair_with(from, "config: {haproxy: {file: h.cfg, ^sektion: x}}"),
                       "unknown key 'sektion' in a config file (did you mean 'section'?)"));
  EXPECT_TRUE(fails_at(lb_pair_with(from, "config: ^[a.conf]"),
                       "config (a map from a file kind to its file) must be a map, not a list"));
}

TEST(YamlReaderOrigins, AnImportedNodeIsMarkedAtItsDirective) {
  auto origins = std::make_shared<NodeOrigins>();
  YAML::Node params = YAML::Load("backend: mail\n");
  YAML::Node imported("5s");
  params["advert_int"] = imported;
  origins->push_back({imported, {"lb/keepalived.conf", 9, 5}});
  const YamlReader r("t.yaml", origins);
  EXPECT_EQ(core::located(r.mark(params["advert_int"]), "x"), "lb/keepalived.conf:9:5: x");
  EXPECT_EQ(core::located(r.mark(params["backend"]), "x"), "t.yaml:1:10: x");
  EXPECT_EQ(core::located(YamlReader("t.yaml").mark(params["advert_int"]), "x"), "t.yaml: x");
}

// ---- regressions: inputs that once escaped as something other than an InputError, or
// gave a useless message (found by hand and by tests/fuzz) ----------------------------

TEST(TopologyRegressions, ComponentWithoutParams) {
  // Assigning yaml-cpp's node for a missing `params` threw YAML::InvalidNode.
  Topology t = parse_topology(kLbPair, "t.yaml");
  EXPECT_FALSE(t.components[1].params.IsDefined() && !t.components[1].params.IsNull());
}

TEST(TopologyRegressions, DeepNesting) {
  // yaml-cpp stops at depth 2000 with DeepRecursion, whose own text is "bad file".
  for (const std::string& text :
       {std::string(5000, '['), std::string(1990, '['), std::string(3000, '{')}) {
    std::string e = topology_error(text);
    EXPECT_EQ(e.rfind("t.yaml:1:", 0), 0u) << e;
    EXPECT_NE(e.find(": YAML syntax error: lists and maps nested too deeply for the YAML parser"),
              std::string::npos)
        << e;
  }
  std::string block;
  for (int i = 0; i < 3000; ++i) block += std::string(static_cast<size_t>(i), ' ') + "a:\n";
  EXPECT_NE(topology_error(block).find("nested too deeply"), std::string::npos);
}

TEST(TopologyRegressions, SelfReferentialAlias) {
  EXPECT_TRUE(fails_at("name: ^&a [*a]\n", "expected a name, found a list"));
  // A map that contains itself: nothing may walk it recursively.
  EXPECT_TRUE(
      fails_at("^&a {nodes: *a, name: x}\n", "the topology is missing required key 'network'"));
  // params are kept as written for the model's table: a self-containing map is stored, not walked.
  EXPECT_EQ(topology_error(lb_pair_with("params: {backend", "params: &p {p: *p, backend")), "");
}

TEST(TopologyRegressions, NonScalarKey) {
  EXPECT_TRUE(
      fails_at("? ^[a, b]\n: c\nname: x\n", "a key in a topology must be a word, not a list"));
  EXPECT_TRUE(fails_at("{^{a: 1}: c}\n", "a key in a topology must be a word, not a map"));
}

TEST(TopologyRegressions, BytesThatAreNotText) {
  // A NUL inside a scalar (yaml-cpp turns it into other control bytes): the error is still
  // one printable line at the value.
  std::string nul = topology_error(std::string("name: a\0b\n", sizeof("name: a\0b\n") - 1));
  EXPECT_EQ(nul.rfind("t.yaml:1:7: 'a\\x", 0), 0u) << nul;
  EXPECT_TRUE(std::none_of(nul.begin(), nul.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20;
  })) << nul;
  EXPECT_TRUE(fails_at("name: ^\xc3\x28\n",
                       "'\\xc3(' is not a valid name: use letters, digits, '_', '-' and '.'"));
  EXPECT_TRUE(fails_at("name: ^\"a\\nb\"\n",
                       "'a\\x0ab' is not a valid name: use letters, digits, '_', '-' and '.'"));
  std::string long_key(100'000, 'k');
  std::string e = topology_error(long_key + ": 1\n");
  EXPECT_EQ(e.rfind("t.yaml:1:", 0), 0u);
  EXPECT_LT(e.size(), 1100u);
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
  ASSERT_TRUE(topology || stem.rfind("scenario_", 0) == 0)
      << stem << ": name must start with topology_ or scenario_";
  try {
    if (topology)
      load_topology(path.string());
    else
      load_scenario(path.string());
    FAIL() << path << " parsed without error";
  } catch (const core::InputError& e) {
    std::string got = e.what();
    if (prefix)
      EXPECT_EQ(got.substr(0, expect.size()), expect) << "full error: " << got;
    else
      EXPECT_EQ(got, expect);
    EXPECT_GE(e.mark().line, 1) << "an input error must have a position";
    EXPECT_GE(e.mark().col, 1) << "an input error must have a position";
  }
}

std::vector<fs::path> malformed_files() {
  return files_in(MAILSIM_MALFORMED_DIR);
}

std::string test_name(const testing::TestParamInfo<fs::path>& info) {
  std::string n = info.param.stem().string();
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Files, MalformedInput, testing::ValuesIn(malformed_files()), test_name);

TEST(MalformedInputs, AtLeast24Files) {
  EXPECT_GE(malformed_files().size(), 24u);
}

// The fuzz target's contract, replayed without the fuzzer: any input either parses or
// fails with an InputError.
TEST(FuzzCorpus, EveryInputParsesOrFailsWithInputError) {
  auto files = files_in(MAILSIM_FUZZ_CORPUS_DIR);
  EXPECT_GE(files.size(), 3u);
  for (const auto& f : files) {
    std::string text = read_file(f);
    for (int which = 0; which < 2; ++which) {
      try {
        if (which == 0)
          parse_topology(text, "fuzz.yaml");
        else
          parse_scenario(text, "fuzz.yaml");
      } catch (const core::InputError&) {
      } catch (const std::exception& e) {
        ADD_FAILURE() << f << ": " << (which == 0 ? "topology" : "scenario") << " parser threw "
                      << e.what();
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
