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
             "RFC 5798", range("10ms", "255s").because("RFC 5798")),
       param(&TestParams::buffer, "buffer", "64KiB", "size", "socket buffer", "made up", range("0B", "1GiB")),
       param(&TestParams::loss, "loss", "1%", "fraction", "packet loss", "made up", range("0", "100%")),
       param(&TestParams::max_rate, "max_rate", "100/s", "rate", "admission limit", "made up",
             above("0/s", "1e6/s")),
       param(&TestParams::retries, "retries", "3", "count", "retries before giving up", "made up",
             range("1", "10").zero_means("never give up")),
       param(&TestParams::weight, "weight", "0.5", "", "backend weight", "made up", range("0", "256")),
       param(&TestParams::preempt, "preempt", "true", "", "preempt a lower priority master",
             "RFC 5798"),
       param(&TestParams::backend, "backend", "mail", "component", "where requests go", "made up"),
       param(&TestParams::priority, "priority", "[100]", "", "VRRP priority per node",
             "keepalived", range("1", "255")),
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

// Every default is parsed by the field's own reader when the table is built: a table whose
// default text does not parse fails loudly, naming the table, instead of silently using a zero.
TEST(ParamTable, BadDefaultTextIsReported) {
  try {
    ParamTable<TestParams> bad("broken_model", {param(&TestParams::advert_int, "advert_int", "1", "duration", "", "",
                                                      range("1s", "2s"))});
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
      param(&Timers::advert_int, "advert_int", "1s", "duration", "VRRP advertisement interval", "RFC 5798",
            range("10ms", "255s")),
      param(&Timers::preempt, "preempt", "true", "bool", "preempt", "RFC 5798")};
  return f;
}
}  // namespace

TEST(ParamTable, FragmentFieldsReadIntoTheirStructWithFlatKeys) {
  const ParamTable<WithTimers> t(
      "frag_model", join<WithTimers>({{param(&WithTimers::backend, "backend", "mail", "component", "", "")},
                                      fragment(&WithTimers::timers, timer_fields()),
                                      {param(&WithTimers::retries, "retries", "3", "count", "", "", range("0", "10"))}}));
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

// A default outside its own domain is a bug of the table, found when it is built.
TEST(ParamTable, DefaultOutsideItsDomainIsReported) {
  EXPECT_THROW(ParamTable<TestParams>("broken_model", {param(&TestParams::advert_int, "advert_int", "0s", "duration",
                                                             "", "", above("0s", "1h"))}),
               core::InputError);
}

// Domains: checked after the unit is applied, at the value the user wrote.
TEST(ParamDomain, ValuesOutsideTheRangeAreRefusedWhereTheyWereWritten) {
  EXPECT_EQ(parse_error("params:\n  advert_int: 5ms\n"),
            "f.yaml:2:15: test_model param 'advert_int' is 5ms; it must be 10ms to 255s (RFC 5798)");
  EXPECT_EQ(parse_error("params:\n  advert_int: 0.1h\n"),
            "f.yaml:2:15: test_model param 'advert_int' is 0.1h; it must be 10ms to 255s (RFC 5798)");
  EXPECT_EQ(parse_error("params:\n  buffer: 2GiB\n"),
            "f.yaml:2:11: test_model param 'buffer' is 2GiB; it must be 0B to 1GiB");
  EXPECT_EQ(parse_error("params:\n  retries: 11\n"),
            "f.yaml:2:12: test_model param 'retries' is 11; it must be 0 (never give up), or 1 to 10");
  EXPECT_EQ(parse_error("params:\n  priority: [150, 256]\n"),
            "f.yaml:2:13: test_model param 'priority' is 256; it must be 1 to 255");
  EXPECT_EQ(parse_error("params:\n  weight: 257\n"),
            "f.yaml:2:11: test_model param 'weight' is 257; it must be 0 to 256");
}

TEST(ParamDomain, BoundsAreInclusiveUnlessExcluded) {
  EXPECT_DOUBLE_EQ(parse("params: {advert_int: 10ms}\n").advert_int.seconds, 0.01);
  EXPECT_DOUBLE_EQ(parse("params: {advert_int: 255s}\n").advert_int.seconds, 255);
  EXPECT_DOUBLE_EQ(parse("params: {max_rate: 1e6/s}\n").max_rate.per_s, 1e6);
  EXPECT_EQ(parse_error("params: {max_rate: 0/s}\n"),
            "f.yaml:1:20: test_model param 'max_rate' is 0/s; it must be more than 0/s, at most 1e6/s");
}

// A zero that the real software reads as "disabled" (or another special meaning) is valid
// even below the range; any other zero is refused.
TEST(ParamDomain, ZeroOnlyWhereItMeansSomething) {
  EXPECT_EQ(parse("params: {retries: 0}\n").retries, 0);
  EXPECT_EQ(parse_error("params: {advert_int: 0s}\n"),
            "f.yaml:1:22: test_model param 'advert_int' is 0s; it must be 10ms to 255s (RFC 5798)");
}

TEST(ParamDomain, DocsCarryTheRange) {
  auto docs = table().docs();
  EXPECT_EQ(docs[0].range, "10ms to 255s (RFC 5798)");
  EXPECT_EQ(docs[4].range, "0 (never give up), or 1 to 10");
  EXPECT_EQ(docs[6].range, "");  // a boolean
  EXPECT_EQ(docs[9].range, "");  // a choice
}
