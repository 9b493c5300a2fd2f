// memcached's mode vip runs the VRRP group shell vip_balancer uses (models/common/
// vrrp_group.hpp), end to end through SimGrid. Windows come from the params each run
// resolves (manifest.params.cache) and the RFC 3768 / 5798 timers, never from constants of
// the model: the split-brain rule, the gateway's ARP re-resolution after arp_reresolve, an
// ARP refresh that is not an acquisition, and vrrp_version / preempt honoured.
#include <gtest/gtest.h>

#include <cmath>

#include "app/run_one.hpp"
#include "core/units.hpp"
#include "models/registry.hpp"
#include "tests/engine/run_helpers.hpp"

using mailsim::testing::events_of;

namespace {

constexpr double kNetSlack = 0.01;  // a few LAN hops
constexpr double kRate = 200;       // lookups per second: the next one comes within ~0.1 s

// The memcached-vip tutorial topology (web -> cache VIP pair -> db), with the cache's
// params given here.
std::string topology(const std::string& cache_params) {
  return R"(
name: memcached-vip-test
network: {nic_latency: 50us, nic_bandwidth: 10Gbps, backbone_latency: 10us, backbone_bandwidth: 40Gbps,
          client_latency: 2ms, client_bandwidth: 1Gbps}
nodes:
  - {name: web-1, cores: 4, speed: 2Gf}
  - {name: mc-1, cores: 2, speed: 2Gf}
  - {name: mc-2, cores: 2, speed: 2Gf}
  - {name: db-1, cores: 4, speed: 2Gf}
  - {name: db-2, cores: 4, speed: 2Gf}
components:
  - {name: web, model: mail_node, nodes: [web-1]}
  - {name: cache, model: memcached, nodes: [mc-1, mc-2], params: )" +
         cache_params + R"(}
  - {name: db, model: mysql_orchestrator, nodes: [db-1, db-2], params: {orchestrator_node: db-2}}
services:
  - name: webmail
    steps:
      - {component: web, op: https, cpu: exponential 5ms, request: 2KiB, response: 30KiB}
      - {component: cache, op: get, request: 200B, fallback: true}
      - {component: db, op: query, cpu: exponential 2ms, request: 500B}
)";
}

nlohmann::json run(const std::string& cache_params, const std::string& faults) {
  const std::string scenario =
      "name: memcached-vip-test\nduration: 120s\nseed: 7\nclient: {timeout: 30s}\n"
      "load:\n  - {service: webmail, rate: 200/s}\nfaults:\n" +
      faults;
  mailsim::app::Inputs in{
      mailsim::config::parse_topology(topology(cache_params), "memcached-vip-test.yaml"),
      mailsim::config::parse_scenario(scenario, "memcached-vip-test-scenario.yaml")};
  mailsim::models::validate_topology(in.topology);
  mailsim::models::validate_scenario(in.scenario, in.topology);
  return mailsim::app::run_one(in, in.scenario.seed);
}

// The VRRP timers of the cache's router on node `i`, from the params the run resolved.
struct Vrrp {
  double advert_int, arp_reresolve, skew, master_down;
};
Vrrp vrrp_of(const nlohmann::json& run, size_t i) {
  const auto& p = run["manifest"]["params"]["cache"];
  Vrrp v{};
  v.advert_int = mailsim::core::parse_duration(p["advert_int"].get<std::string>()).seconds;
  v.arp_reresolve = mailsim::core::parse_duration(p["arp_reresolve"].get<std::string>()).seconds;
  const auto& prio = p["priority"];
  const double priority = prio.size() == 1 ? prio[0].get<double>() : prio[i].get<double>();
  // RFC 3768 6.1 (v2): Skew_Time = (256 - Priority) / 256; RFC 5798 6.1 (v3): scaled by
  // the advertisement interval.
  v.skew = (256 - priority) / 256 * (p["vrrp_version"].get<int>() == 3 ? v.advert_int : 1.0);
  v.master_down = 3 * v.advert_int + v.skew;
  return v;
}

const std::string kPairParams = "{mode: vip, priority: [150, 100]}";

}  // namespace

// mc-1 and mc-2 are cut apart at 30 s: mc-2 (priority 100) becomes a second master and the
// gateway follows its gratuitous ARP. mc-2 then crashes at 45 s. mc-1 is still master, so
// the loss starts no failover (the split-brain rule), but the gateway keeps sending lookups
// to the dead mc-2 until its entry, learnt at mc-2's takeover, is arp_reresolve old.
TEST(MemcachedVipEngine, SplitBrainLossStartsNoFailoverAndTheGatewayReresolves) {
  auto r = run(kPairParams,
               "  - {at: 30s, for: 60s, partition: {between: [[mc-1], [mc-2]]}}\n"
               "  - {at: 45s, crash: {node: mc-2}}\n");
  const Vrrp mc2 = vrrp_of(r, 1);
  auto acquired = events_of(r, "vip.acquired");
  ASSERT_EQ(acquired.size(), 2u);  // mc-1 at the start, mc-2 during the partition
  EXPECT_EQ(acquired[1]["node"], "mc-2");
  const double t2 = acquired[1]["t_s"].get<double>();
  EXPECT_GE(t2, 30 + mc2.master_down - mc2.advert_int - kNetSlack);
  EXPECT_LE(t2, 30 + mc2.master_down + kNetSlack);
  auto released = events_of(r, "vip.released");
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0]["node"], "mc-2");
  EXPECT_EQ(released[0]["cause"], "crash");
  EXPECT_EQ(events_of(r, "failover.started").size(), 0u);
  EXPECT_EQ(r["failovers"].size(), 0u);
  auto reresolved = events_of(r, "vip.arp_reresolved");
  ASSERT_EQ(reresolved.size(), 1u);
  EXPECT_EQ(reresolved[0]["node"], "mc-1");
  const double t_re = reresolved[0]["t_s"].get<double>();
  EXPECT_GE(t_re, t2 + mc2.arp_reresolve);
  EXPECT_LE(t_re, t2 + mc2.arp_reresolve + 20 / kRate);  // the first lookup after it
  // Until then the lookups sent to mc-2 time out and fall back to the database: no errors.
  bool skipped_dead_mc2 = false;
  for (const auto& e : events_of(r, "cache.server_skipped"))
    skipped_dead_mc2 = skipped_dead_mc2 || (e["server"] == "mc-2" && e["t_s"].get<double>() > 45);
  EXPECT_TRUE(skipped_dead_mc2);
  EXPECT_EQ(r["services"]["webmail"]["failed"].get<uint64_t>(), 0u);
}

// The partition heals at 60.5 s, between two of mc-1's adverts (at a whole second the heal
// would tie with one, and simultaneous events have no specified order): mc-1 (150) hears
// mc-2's lower-priority advertisements and answers with its own and a gratuitous ARP; mc-2
// steps down. The gateway moves back to
// mc-1, but nothing was acquired and nothing failed over: an ARP refresh.
TEST(MemcachedVipEngine, HealedSplitBrainRefreshesArpWithoutAnAcquisition) {
  auto r = run(kPairParams, "  - {at: 30s, for: 30.5s, partition: {between: [[mc-1], [mc-2]]}}\n");
  const Vrrp mc1 = vrrp_of(r, 0);
  auto acquired = events_of(r, "vip.acquired");
  ASSERT_EQ(acquired.size(), 2u);  // mc-1 at the start, mc-2 during the partition; none after
  EXPECT_LT(acquired[1]["t_s"].get<double>(), 60.0);
  auto refreshed = events_of(r, "vip.arp_refreshed");
  ASSERT_EQ(refreshed.size(), 1u);
  EXPECT_EQ(refreshed[0]["node"], "mc-1");
  EXPECT_GE(refreshed[0]["t_s"].get<double>(), 60.5);
  EXPECT_LE(refreshed[0]["t_s"].get<double>(), 60.5 + mc1.advert_int + kNetSlack);
  auto released = events_of(r, "vip.released");
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0]["node"], "mc-2");
  EXPECT_EQ(released[0]["cause"], "preempted");
  EXPECT_EQ(r["failovers"].size(), 0u);
}

// vrrp_version 3 scales the skew time with advert_int (RFC 5798), and preempt: false keeps
// the returning higher-priority node a backup (keepalived's nopreempt). mc-1 crashes at
// 30.5 s and is back at 60.5 s.
TEST(MemcachedVipEngine, VrrpVersionAndPreemptAreHonoured) {
  auto r = run("{mode: vip, priority: [150, 100], vrrp_version: 3, advert_int: 2s, preempt: false}",
               "  - {at: 30.5s, for: 30s, crash: {node: mc-1}}\n");
  const Vrrp mc2 = vrrp_of(r, 1);
  ASSERT_DOUBLE_EQ(mc2.skew, 156.0 * 2 / 256);  // the v3 formula, from the resolved params
  ASSERT_EQ(r["failovers"].size(), 1u);
  const auto& f = r["failovers"][0];
  EXPECT_EQ(f["from"], "mc-1");
  EXPECT_EQ(f["to"], "mc-2");
  // mc-1 has advertised every advert_int since t = 0: mc-2 heard the last one at the
  // multiple of advert_int before the crash and took over Master_Down_Interval later.
  const double last_advert = std::floor(30.5 / mc2.advert_int) * mc2.advert_int;
  EXPECT_NEAR(f["duration_s"].get<double>(), last_advert + mc2.master_down - 30.5, kNetSlack);
  // nopreempt: mc-1 comes back as a backup and stays one.
  auto acquired = events_of(r, "vip.acquired");
  ASSERT_EQ(acquired.size(), 2u);
  EXPECT_EQ(acquired[1]["node"], "mc-2");
  for (const auto& e : events_of(r, "vip.released")) EXPECT_NE(e["cause"], "preempted");
}
