// ParamTable (DESIGN.md decision 4) on a small params struct made up for the test: defaults
// come from the table's own text, user values override them, unknown keys and wrong types
// are InputErrors at the offending key or value.
#include "config/params.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace mailsim;
using namespace mailsim::config;

namespace {

struct TestParams {
  core::Duration advert_int;
  core::Bytes buffer;
  core::Fraction loss;
  core::Rate max_rate;
  int retries = -1;
  double weight = -1;
  bool preempt = false;
  std::string backend;
  std::vector<int> priority;
  std::string mode;
};

const ParamTable<TestParams>& table() {
  static const ParamTable<TestParams> t(
      "test_model",
      {param(&TestParams::advert_int, "advert_int", "1s", "duration", "VRRP advertisement interval",
             "RFC 5798"),
       param(&TestParams::buffer, "buffer", "64KiB", "size", "socket buffer", "made up"),
       param(&TestParams::loss, "loss", "1%", "fraction", "packet loss", "made up"),
       param(&TestParams::max_rate, "max_rate", "100/s", "rate", "admission limit", "made up"),
       param(&TestParams::retries, "retries", "3", "count", "retries before giving up", "made up"),
       param(&TestParams::weight, "weight", "0.5", "", "backend weight", "made up"),
       param(&TestParams::preempt, "preempt", "true", "", "preempt a lower priority master",
             "RFC 5798"),
       param(&TestParams::backend, "backend", "mail", "component", "where requests go", "made up"),
       param(&TestParams::priority, "priority", "[100]", "", "VRRP priority per node",
             "keepalived"),
       choice(&TestParams::mode, "mode", "roundrobin", {"roundrobin", "leastconn", "source"},
              "balance algorithm", "haproxy")});
  return t;
}

// Parses `params:` of a document named f.yaml.
TestParams parse(const std::string& text) {
  YamlReader r("f.yaml");
  YAML::Node root = r.load_string(text);
  return table().parse(root["params"], r);
}

std::string parse_error(const std::string& text) {
  try {
    parse(text);
  } catch (const core::InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(ParamTable, DefaultsWhenNoParams) {
  auto p = parse("name: x\n");
  EXPECT_DOUBLE_EQ(p.advert_int.seconds, 1);
  EXPECT_DOUBLE_EQ(p.buffer.bytes, 65536);
  EXPECT_DOUBLE_EQ(p.loss.value, 0.01);
  EXPECT_DOUBLE_EQ(p.max_rate.per_s, 100);
  EXPECT_EQ(p.retries, 3);
  EXPECT_DOUBLE_EQ(p.weight, 0.5);
  EXPECT_TRUE(p.preempt);
  EXPECT_EQ(p.backend, "mail");
  EXPECT_EQ(p.priority, std::vector<int>{100});
  EXPECT_EQ(p.mode, "roundrobin");
}

TEST(ParamTable, DefaultsAloneEqualParsingNoParams) {
  auto d = table().defaults();
  EXPECT_DOUBLE_EQ(d.advert_int.seconds, 1);
  EXPECT_EQ(d.retries, 3);
  EXPECT_EQ(d.priority, std::vector<int>{100});
  EXPECT_EQ(table().resolved(d), table().resolved(parse("name: x\n")));
}

TEST(ParamTable, DefaultsWhenParamsIsNull) {
  auto p = parse("params:\n");
  EXPECT_EQ(p.retries, 3);
  EXPECT_EQ(p.mode, "roundrobin");
}

TEST(ParamTable, UserValuesOverrideOnlyTheirKeys) {
  auto p = parse(
      "params:\n  advert_int: 250ms\n  priority: [150, 100]\n  mode: leastconn\n  preempt: "
      "false\n");
  EXPECT_DOUBLE_EQ(p.advert_int.seconds, 0.25);
  EXPECT_EQ(p.priority, (std::vector<int>{150, 100}));
  EXPECT_EQ(p.mode, "leastconn");
  EXPECT_FALSE(p.preempt);
  EXPECT_EQ(p.retries, 3);  // untouched
  EXPECT_DOUBLE_EQ(p.buffer.bytes, 65536);
}

TEST(ParamTable, ScalarForAList) {
  EXPECT_EQ(parse("params: {priority: 150}\n").priority, std::vector<int>{150});
}

TEST(ParamTable, UnknownKeyWithDidYouMean) {
  EXPECT_EQ(parse_error("params:\n  advert_int: 1s\n  retires: 5\n"),
            "f.yaml:3:3: unknown key 'retires' in test_model params (did you mean 'retries'?)");
}

TEST(ParamTable, UnknownKeyListsKnownKeys) {
  EXPECT_EQ(parse_error("params:\n  colour: red\n"),
            "f.yaml:2:3: unknown key 'colour' in test_model params (known: advert_int, buffer, "
            "loss, max_rate, "
            "retries, weight, preempt, backend, priority, mode)");
}

TEST(ParamTable, WrongTypesPointAtTheValue) {
  EXPECT_EQ(parse_error("params:\n  retries: many\n"), "f.yaml:2:12: 'many' is not an integer");
  EXPECT_EQ(parse_error("params:\n  retries: -1\n"),
            "f.yaml:2:12: -1 is out of range [0, 1000000000]");
  EXPECT_EQ(parse_error("params:\n  advert_int: [1s]\n"),
            "f.yaml:2:15: expected a duration like 250ms, found a list");
  EXPECT_EQ(parse_error("params:\n  advert_int: 1\n"),
            "f.yaml:2:15: '1' is not a duration: a unit is required (us, ms, s, m, h, d)");
  EXPECT_EQ(parse_error("params:\n  preempt: yes\n"),
            "f.yaml:2:12: 'yes' is not a boolean: write true or false");
  EXPECT_EQ(parse_error("params:\n  weight: heavy\n"), "f.yaml:2:11: 'heavy' is not a number");
  EXPECT_EQ(parse_error("params:\n  loss: 120%\n"),
            "f.yaml:2:9: '120%' is not a fraction: must be at most 100%");
  EXPECT_EQ(parse_error("params:\n  priority: [150, high]\n"),
            "f.yaml:2:19: 'high' is not an integer");
  EXPECT_EQ(parse_error("params:\n  backend: {name: mail}\n"),
            "f.yaml:2:12: expected a name, found a map");
  EXPECT_EQ(parse_error("params:\n  mode: leastcon\n"),
            "f.yaml:2:9: 'leastcon' is not one of: roundrobin, leastconn, source (did you mean "
            "'leastconn'?)");
}

TEST(ParamTable, ParamsMustBeAMap) {
  EXPECT_EQ(parse_error("params: [1, 2]\n"),
            "f.yaml:1:9: params of a test_model component must be a map, not a list");
  EXPECT_EQ(parse_error("params: fast\n"),
            "f.yaml:1:9: params of a test_model component must be a map, not a scalar");
  EXPECT_EQ(parse_error("params:\n  retries: 1\n  retries: 2\n"),
            "f.yaml:3:3: duplicate key 'retries' in test_model params");
  EXPECT_EQ(parse_error("params:\n  retries:\n  mode: source\n"),
            "f.yaml:2:3: expected an integer, found nothing (null)");
}

TEST(ParamTable, ResolvedShowsEveryField) {
  auto p = parse("params: {advert_int: 90s, retries: 7}\n");
  auto j = table().resolved(p);
  EXPECT_EQ(j["advert_int"], "90s");
  EXPECT_EQ(j["retries"], 7);
  EXPECT_EQ(j["buffer"], 65536.0);
  EXPECT_EQ(j["loss"], 0.01);
  EXPECT_EQ(j["max_rate"], 100.0);
  EXPECT_EQ(j["preempt"], true);
  EXPECT_EQ(j["backend"], "mail");
  EXPECT_EQ(j["priority"], nlohmann::json::array({100}));
  EXPECT_EQ(j["mode"], "roundrobin");
  EXPECT_EQ(j.size(), table().names().size());
}

TEST(ParamTable, DocsInDeclarationOrder) {
  auto docs = table().docs();
  ASSERT_EQ(docs.size(), 10u);
  EXPECT_EQ(docs[0].name, "advert_int");
  EXPECT_EQ(docs[0].default_text, "1s");
  EXPECT_EQ(docs[0].unit, "duration");
  EXPECT_EQ(docs[0].source, "RFC 5798");
  EXPECT_EQ(docs[9].name, "mode");
  EXPECT_EQ(docs[9].unit, "one of roundrobin leastconn source");
  EXPECT_EQ(table().names().front(), "advert_int");
}

// Every default is parsed by the field's own reader: a table whose default text does not
// parse fails loudly, naming the table, instead of silently using a zero.
TEST(ParamTable, BadDefaultTextIsReported) {
  ParamTable<TestParams> bad(
      "broken_model", {param(&TestParams::advert_int, "advert_int", "1", "duration", "", "")});
  YamlReader r("f.yaml");
  try {
    bad.parse(YAML::Node(), r);
    FAIL() << "no throw";
  } catch (const core::InputError& e) {
    EXPECT_EQ(e.mark().file, "<defaults of broken_model>");
    EXPECT_EQ(e.message(), "'1' is not a duration: a unit is required (us, ms, s, m, h, d)");
  }
}

// A fragment (fields several tables share) reads into its struct inside the table's params,
// shows flat keys, and keeps its place among the table's own fields.
namespace {
struct Timers {
  core::Duration advert_int;
  bool preempt = false;
};
struct WithTimers {
  std::string backend;
  Timers timers;
  int retries = -1;
};
const std::vector<ParamField<Timers>>& timer_fields() {
  static const std::vector<ParamField<Timers>> f = {
      param(&Timers::advert_int, "advert_int", "1s", "duration", "VRRP advertisement interval", "RFC 5798"),
      param(&Timers::preempt, "preempt", "true", "bool", "preempt", "RFC 5798")};
  return f;
}
}  // namespace

TEST(ParamTable, FragmentFieldsReadIntoTheirStructWithFlatKeys) {
  const ParamTable<WithTimers> t(
      "frag_model", join<WithTimers>({{param(&WithTimers::backend, "backend", "mail", "component", "", "")},
                                      fragment(&WithTimers::timers, timer_fields()),
                                      {param(&WithTimers::retries, "retries", "3", "count", "", "")}}));
  YamlReader r("f.yaml");
  auto p = t.parse(r.load_string("params: {advert_int: 250ms, retries: 5}\n")["params"], r);
  EXPECT_DOUBLE_EQ(p.timers.advert_int.seconds, 0.25);
  EXPECT_TRUE(p.timers.preempt);  // the fragment's default
  EXPECT_EQ(p.retries, 5);
  EXPECT_EQ(t.names(), (std::vector<std::string>{"backend", "advert_int", "preempt", "retries"}));
  auto j = t.resolved(p);
  EXPECT_EQ(j["advert_int"], "250ms");
  EXPECT_EQ(j["preempt"], true);
  EXPECT_EQ(j.size(), 4u);
}
