// A component's params read from its operators' files (`config:`, docs/import.md): each
// importer maps what the model has, keeps units, names every other directive in a
// warning, and a bad value is an error at the operator's file:line:col; the topology's
// `params:` win; per-node values (keepalived's priority) come from each node's own file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "config/topology.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "models/registry.hpp"

namespace fs = std::filesystem;
using mailsim::config::ConfigRecord;
using mailsim::config::Topology;

namespace {

const fs::path kFixture = MAILSIM_NATIVE_FIXTURE_DIR;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// A copy of the fixture folder in a fresh temporary folder, where a test edits one file.
class Fixture {
 public:
  // The process id in the name: checkouts testing at once on one machine share /tmp.
  explicit Fixture(const std::string& name)
      : dir_(fs::temp_directory_path() / ("mailsim-native-" + std::to_string(getpid()) + "-" + name)) {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const auto& e : fs::directory_iterator(kFixture)) fs::copy_file(e.path(), dir_ / e.path().filename());
  }
  ~Fixture() { fs::remove_all(dir_); }

  // Replaces the first `from` in `file` with `to` (the test fails if there is none).
  void edit(const std::string& file, const std::string& from, const std::string& to) const {
    std::string text = read(dir_ / file);
    const size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from << " not in " << file;
    write(dir_ / file, text.replace(at, from.size(), to));
  }
  std::string path(const std::string& file) const { return (dir_ / file).string(); }
  Topology load(const std::string& topology = "lb-pair.yaml") const {
    return mailsim::models::load_topology(path(topology));
  }
  // The error loading the topology gives, with the folder's path cut off.
  std::string error(const std::string& topology = "lb-pair.yaml") const {
    try {
      load(topology);
    } catch (const mailsim::core::InputError& e) {
      std::string s = e.what();
      const std::string prefix = dir_.string() + "/";
      for (size_t at; (at = s.find(prefix)) != std::string::npos;) s.erase(at, prefix.size());
      return s;
    }
    return "no error";
  }

 private:
  fs::path dir_;
};

std::string param(const Topology& t, const std::string& component, const std::string& name) {
  const YAML::Node p = t.find_component(component)->params[name];
  if (!p) return "(unset)";
  if (p.IsScalar()) return p.Scalar();
  YAML::Emitter e;
  e << YAML::Flow << p;
  return e.c_str();
}

const ConfigRecord& record(const Topology& t, const std::string& kind, const std::string& node = "") {
  for (const auto& r : t.configs)
    if (r.ref.kind == kind && r.ref.node == node) return r;
  throw std::runtime_error("no record for " + kind + " " + node);
}

bool warns(const ConfigRecord& r, const std::string& needle, int line) {
  for (const auto& w : r.warnings)
    if (w.message.find(needle) != std::string::npos && w.mark.line == line) return true;
  return false;
}

}  // namespace

TEST(NativeImport, KeepalivedAndHaproxySetTheBalancersParamsWithTheirUnits) {
  Fixture f("units");
  const Topology t = f.load();
  EXPECT_EQ(param(t, "front_lb", "advert_int"), "2s");        // keepalived: seconds
  EXPECT_EQ(param(t, "front_lb", "priority"), "[150, 100]");  // each node's own file, in node order
  EXPECT_EQ(param(t, "front_lb", "inter"), "3s");             // haproxy time, from default-server
  EXPECT_EQ(param(t, "front_lb", "fall"), "4");               // the server line overrides default-server
  EXPECT_EQ(param(t, "front_lb", "rise"), "2");
  EXPECT_EQ(param(t, "front_lb", "timeout_connect"), "4s");   // from the defaults section
  EXPECT_EQ(param(t, "front_lb", "timeout_server"), "30s");
  EXPECT_EQ(param(t, "front_lb", "balance"), "leastconn");
  EXPECT_EQ(param(t, "front_lb", "redispatch"), "true");
  EXPECT_EQ(param(t, "front_lb", "backend"), "web");          // the topology's own
}

TEST(NativeImport, TheTopologysParamsWinAndTheOverriddenDirectiveIsNamed) {
  Fixture f("override");
  const Topology t = f.load();
  EXPECT_EQ(param(t, "front_lb", "retries"), "5");
  EXPECT_TRUE(warns(record(t, "haproxy"), "'retries 2' is overridden by params.retries in the topology", 10));
}

TEST(NativeImport, EveryDirectiveNotModelledIsAWarningAtItsLine) {
  Fixture f("warnings");
  const Topology t = f.load();
  const auto& ka = record(t, "keepalived", "lb-1");
  EXPECT_TRUE(warns(ka, "'state MASTER' is not modelled", 13));
  EXPECT_TRUE(warns(ka, "'vrrp_script chk_haproxy' { script, interval } is not modelled", 7));
  EXPECT_TRUE(warns(ka, "'enable_script_security' is not modelled", 4));
  const auto& ha = record(t, "haproxy");
  EXPECT_TRUE(warns(ha, "'weight 10' is not modelled: mailsim weighs every server equally", 21));
  EXPECT_TRUE(warns(ha, "'timeout client 1m' is not modelled", 8));
  EXPECT_TRUE(warns(ha, "'global' { maxconn, log } is not modelled", 1));
  // Each warning is printed as FILE:LINE:COL: warning: ...
  EXPECT_EQ(ka.warnings.front().text().find(f.path("keepalived-lb-1.conf") + ":"), 0u);
}

TEST(NativeImport, EachFileIsRecordedAsWrittenWithItsSha256) {
  Fixture f("record");
  const Topology t = f.load();
  ASSERT_EQ(t.configs.size(), 3u);
  const auto& r = record(t, "keepalived", "lb-2");
  EXPECT_EQ(r.component, "front_lb");
  EXPECT_EQ(r.ref.path, "keepalived-lb-2.conf");
  EXPECT_EQ(r.sha256, mailsim::core::sha256_hex(read(f.path("keepalived-lb-2.conf"))));
  bool priority = false;
  for (const auto& v : r.values)
    priority = priority || (v.param == "priority" && v.value == "100" && v.directive == "priority 100" && v.mark.line == 16);
  EXPECT_TRUE(priority);
}

TEST(NativeImport, AChangedDirectiveChangesTheParam) {
  Fixture f("changed");
  f.edit("keepalived-lb-1.conf", "advert_int 2", "advert_int 5");
  f.edit("keepalived-lb-2.conf", "advert_int 2", "advert_int 5");
  f.edit("haproxy.cfg", "check fall 4\n    server", "check fall 10\n    server");
  f.edit("haproxy.cfg", "check fall 4 weight", "check fall 10 weight");
  const Topology t = f.load();
  EXPECT_EQ(param(t, "front_lb", "advert_int"), "5s");
  EXPECT_EQ(param(t, "front_lb", "fall"), "10");
}

TEST(NativeImport, AMalformedOrOutOfRangeValueIsAnErrorAtTheOperatorsFile) {
  {
    Fixture f("malformed");
    f.edit("haproxy.cfg", "default-server inter 3s fall 3 rise 2", "default-server fall 3 rise 2 inter");
    EXPECT_EQ(f.error(), "haproxy.cfg:19:5: default-server: server option 'inter' needs a value");
  }
  {
    Fixture f("range");
    f.edit("keepalived-lb-2.conf", "priority 100", "priority 300");
    EXPECT_EQ(f.error().substr(0, 32), "keepalived-lb-2.conf:16:5: prior");
  }
  {
    Fixture f("unit");
    f.edit("haproxy.cfg", "timeout connect 4s", "timeout connect 4parsecs");
    EXPECT_EQ(f.error().substr(0, 18), "haproxy.cfg:7:5: t");
  }
}

TEST(NativeImport, AValueTheParamsTableRefusesIsAnErrorAtItsDirective) {
  Fixture f("table");
  f.edit("keepalived-lb-1.conf", "advert_int 2", "advert_int 0");
  f.edit("keepalived-lb-2.conf", "advert_int 2", "advert_int 0");
  const std::string e = f.error();
  EXPECT_EQ(e.substr(0, e.find(' ')), "keepalived-lb-1.conf:17:5:") << e;
}

TEST(NativeImport, NodesFilesMustAgreeOnAParamTheComponentHasOnce) {
  Fixture f("agree");
  f.edit("keepalived-lb-2.conf", "advert_int 2", "advert_int 3");
  EXPECT_EQ(f.error(),
            "keepalived-lb-2.conf:17:5: 'advert_int 3' sets advert_int to 3s, but keepalived-lb-1.conf:17:5 sets it "
            "to 2s; component 'front_lb' has one advert_int for all its nodes");
}

TEST(NativeImport, AKindTheModelDoesNotReadIsAnErrorAtTheTopology) {
  Fixture f("kind");
  f.edit("lb-pair.yaml", "haproxy: haproxy.cfg", "patroni: haproxy.cfg");
  EXPECT_EQ(f.error(), "lb-pair.yaml:16:16: config.patroni: model vip_balancer reads no 'patroni' file; it reads: "
                       "keepalived, haproxy");
  Fixture g("missing");
  g.edit("lb-pair.yaml", "haproxy: haproxy.cfg", "haproxy: gone.cfg");
  EXPECT_EQ(g.error().substr(0, 45), "lb-pair.yaml:16:16: config.haproxy: gone.cfg:");
}

TEST(NativeImport, PostfixMainCfSetsTheMailNodesDeferredQueueInPostfixUnits) {
  // postconf(5): a time value without a unit is in the parameter's default unit, seconds
  // for the backoffs and queue_run_delay, days for maximal_queue_lifetime.
  Fixture f("postfix");
  write(f.path("main.cf"),
        "myhostname = mx.example.org\nqueue_run_delay = 1m\nminimal_backoff_time = 90\n"
        "maximal_backoff_time = 1h\nmaximal_queue_lifetime = 2\nsmtp_connect_timeout = 30s\n");
  f.edit("lb-pair.yaml", "    nodes: [web-1, web-2]\n", "    nodes: [web-1, web-2]\n    config: {postfix: main.cf}\n");
  const Topology t = f.load();
  EXPECT_EQ(param(t, "web", "queue_run_delay"), "1m");
  EXPECT_EQ(param(t, "web", "minimal_backoff_time"), "90s");
  EXPECT_EQ(param(t, "web", "maximal_backoff_time"), "1h");
  EXPECT_EQ(param(t, "web", "maximal_queue_lifetime"), "48h");
  const ConfigRecord& r = record(t, "postfix");
  EXPECT_TRUE(warns(r, "smtp_connect_timeout", 6));  // delivery into the store is not SMTP
  EXPECT_TRUE(warns(r, "myhostname", 1));
  // A malformed time and one the params table refuses are errors at their line.
  f.edit("main.cf", "queue_run_delay = 1m", "queue_run_delay = soon");
  EXPECT_NE(f.error().find("main.cf:2:"), std::string::npos) << f.error();
  f.edit("main.cf", "queue_run_delay = soon", "queue_run_delay = 2d");
  EXPECT_NE(f.error().find("main.cf:2:"), std::string::npos) << f.error();  // at most 1d
}
