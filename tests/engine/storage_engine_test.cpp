// The storage and cache layer under faults, end to end through SimGrid. Expected windows
// come from the mechanisms' documented defaults (nfs(5), Linux nfsd, keepalived, Roundcube)
// and the tutorial topologies' params, never from constants of the models.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/units.hpp"
#include "tests/engine/run_helpers.hpp"

using mailsim::testing::events_of;

namespace {

nlohmann::json run(const std::string& topology, const std::string& scenario) {
  auto in = mailsim::app::load_inputs("topologies/tutorial/" + topology + ".yaml", "scenarios/storage/" + scenario + ".yaml");
  return mailsim::app::run_one(in, in.scenario.seed);
}

// A duration param of `component` as the run resolved it (manifest.params).
double param_s(const nlohmann::json& r, const char* component, const char* key) {
  return mailsim::core::parse_duration(r["manifest"]["params"][component][key].get<std::string>()).seconds;
}

uint64_t failures(const nlohmann::json& s, const char* outcome) { return s["failures"].value(outcome, uint64_t{0}); }
double max_latency_s(const nlohmann::json& s) { return s["latency_ms"]["max"].get<double>() / 1000; }

constexpr double kCrash = 60.5, kBack = 120.5;  // nfs-server-crash
constexpr double kTimeo = 60, kGrace = 90, kGracePollMax = 15;
constexpr double kSlack = 0.5;

}  // namespace

TEST(StorageEngine, NfsHardMountStallsThenCompletes) {
  auto r = run("nfs-server", "nfs-server-crash");
  // The server's restart starts the grace period (Linux nfsd: 90 s).
  auto grace = events_of(r, "nfs.grace_started");
  ASSERT_EQ(grace.size(), 1u);
  EXPECT_NEAR(grace[0]["t_s"].get<double>(), kBack, 1e-6);
  ASSERT_EQ(events_of(r, "nfs.grace_ended").size(), 1u);
  // Calls made while the server was down were retransmitted at +timeo (60 s), when the
  // server was back: no major timeout (180 s), so no "not responding".
  EXPECT_EQ(events_of(r, "nfs.not_responding").size(), 0u);
  for (const char* svc : {"smtp", "imap"}) {
    const auto& s = r["services"][svc];
    // hard: nothing fails, calls wait. A call sent just after the crash retransmits at
    // +timeo (the server is back by then), gets NFS4ERR_GRACE and polls until the grace
    // period ends (<= 15 s after it). A call whose retransmission fell just before the
    // return waits for the next one, at the major timeout: timeo x (1 + retrans) = 180 s.
    EXPECT_EQ(s["failed"].get<uint64_t>(), 0u) << svc;
    EXPECT_GE(max_latency_s(s), kBack + kGrace - kCrash - kSlack) << svc;
    EXPECT_LE(max_latency_s(s), std::max(kBack + kGrace + kGracePollMax - kCrash, 3 * kTimeo) + kSlack) << svc;
  }
  // The blocked calls hold the mail nodes' workers: the backlog forms and drains.
  EXPECT_GE(events_of(r, "pool.exhausted").size(), 1u);
  EXPECT_GE(events_of(r, "pool.recovered").size(), 1u);
}

TEST(StorageEngine, NfsSoftMountFailsAfterMajorTimeout) {
  auto r = run("nfs-server-soft", "nfs-server-crash");
  // soft, timeo 10 s, retrans 2: EIO at 10 + 20 = 30 s after a call that got no reply.
  // Calls sent in [60.5, 90.5] reach their major timeout before the server returns.
  EXPECT_EQ(events_of(r, "nfs.not_responding").size(), 1u);
  EXPECT_EQ(events_of(r, "nfs.ok").size(), 1u);
  for (const char* svc : {"smtp", "imap"}) {
    const auto& s = r["services"][svc];
    EXPECT_GT(failures(s, "io_error"), 0u) << svc;
    EXPECT_EQ(failures(s, "timeout"), 0u) << svc;
    for (const auto& o : s["outages"]) {
      EXPECT_GE(o["start_s"].get<double>(), kCrash - kSlack) << svc;
      EXPECT_LE(o["end_s"].get<double>(), kBack + kSlack) << svc;
    }
  }
}

TEST(StorageEngine, ApplianceTakeoverThenGrace) {
  auto r = run("nfs-appliance", "nfs-appliance-takeover");
  ASSERT_EQ(r["failovers"].size(), 1u);
  const auto& f = r["failovers"][0];
  EXPECT_EQ(f["from"], "san-a");
  EXPECT_EQ(f["to"], "san-b");
  // The partner decides at a heartbeat tick takeover_detection after the last beat it heard
  // (at most one heartbeat_interval before the crash), then takes over in takeover_export.
  const double hb = param_s(r, "maildir", "heartbeat_interval");
  const double takeover = param_s(r, "maildir", "takeover_detection") + param_s(r, "maildir", "takeover_export");
  EXPECT_GE(f["duration_s"].get<double>(), takeover - hb);
  EXPECT_LE(f["duration_s"].get<double>(), takeover + hb);
  auto grace = events_of(r, "nfs.grace_started");
  ASSERT_EQ(grace.size(), 1u);
  const double takeover_done = f["end_s"].get<double>();
  EXPECT_NEAR(grace[0]["t_s"].get<double>(), takeover_done, 1e-6);
  for (const char* svc : {"smtp", "imap"}) {
    const auto& s = r["services"][svc];
    EXPECT_EQ(s["failed"].get<uint64_t>(), 0u) << svc;
    // Outage seen by a call sent at the crash: takeover, then the grace period.
    EXPECT_GE(max_latency_s(s), takeover_done + kGrace - kCrash - kSlack) << svc;
    EXPECT_LE(max_latency_s(s), takeover_done + kGrace + kGracePollMax - kCrash + kSlack) << svc;
  }
}

TEST(StorageEngine, RupostMasterLossSwitchesAndCountsLostMail) {
  auto r = run("rupost-maildir", "rupost-master-loss");
  ASSERT_EQ(r["failovers"].size(), 1u);
  const auto& f = r["failovers"][0];
  EXPECT_EQ(f["from"], "store-1");
  EXPECT_EQ(f["to"], "store-2");
  // Checks every 10 s from t = 10 s; the first failing one is sent at 70 s, the third at
  // 90 s, and each fails when its NULL RPC times out.
  EXPECT_NEAR(f["end_s"].get<double>(), 90.0 + param_s(r, "maildir", "switch_check_timeout"), 1e-6);
  auto lost = events_of(r, "mail.lost");
  ASSERT_EQ(lost.size(), 1u);
  EXPECT_EQ(lost[0]["service"], "smtp");
  const auto n = lost[0]["count"].get<uint64_t>();
  // The first rsync run starts at replica_sync_interval (60 s) with every delivery so far in
  // its scan; the master dies at 60.5 s, during the run or just after it (how long it takes
  // is the disks' and the network's). Whatever no run copied before the crash is lost:
  // copied + lost = the deliveries the master acknowledged, 20/s x 60.5 s (Poisson).
  constexpr double kMasterCrash = 60.5;  // rupost-master-loss
  uint64_t copied = 0;
  for (const char* kind : {"nfs.sync_completed", "nfs.sync_failed"})
    for (const auto& run_event : events_of(r, kind))
      if (run_event["from"] == "store-1" && run_event["t_s"].get<double>() <= kMasterCrash + 1)
        copied += run_event["messages"].get<uint64_t>();
  EXPECT_GT(n, 0u) << "deliveries after the run's scan began are on the master alone";
  EXPECT_GT(copied, 0u);
  EXPECT_NEAR(static_cast<double>(n + copied), 20 * kMasterCrash, 0.15 * 20 * kMasterCrash);
  // The durability ledger carries the loss into the run result, per service and in total.
  EXPECT_EQ(r["services"]["smtp"]["lost_acknowledged_messages"].get<uint64_t>(), n);
  EXPECT_EQ(r["services"]["imap"]["lost_acknowledged_messages"].get<uint64_t>(), 0u);
  EXPECT_EQ(r["lost_acknowledged_messages"].get<uint64_t>(), n);
  EXPECT_EQ(r["failovers"][0]["lost_messages"].get<uint64_t>(), n);
  const auto& d = r["durability"]["maildir"];
  EXPECT_EQ(d["lost"].get<uint64_t>(), n);
  // The lost ones were acknowledged after the rsync run's scan began, before the crash.
  EXPECT_LE(d["lost_acknowledged_window_s"][1].get<double>(), kMasterCrash);
  EXPECT_GE(d["acknowledged"].get<uint64_t>(), n + copied);
  // After the switch, new calls go to the replica and succeed.
  const auto& series = r["services"]["imap"]["series"];
  const double w = series["window_s"].get<double>();
  const auto i = static_cast<size_t>(120.0 / w);
  EXPECT_GT(series["ok"][i].get<uint64_t>(), 0u);
}

TEST(StorageEngine, MemcachedVipLossFallsBackWithoutErrors) {
  auto r = run("memcached-vip", "memcached-vip-loss");
  ASSERT_EQ(r["failovers"].size(), 1u);
  const double d = r["failovers"][0]["duration_s"].get<double>();
  const double mdi = 3 * 1.0 + (256.0 - 100.0) / 256.0;  // RFC 3768: mc-2 has priority 100
  EXPECT_GE(d, mdi - 1.0 - 0.01);
  EXPECT_LE(d, mdi + 0.01);
  const auto& s = r["services"]["webmail"];
  EXPECT_EQ(s["failed"].get<uint64_t>(), 0u);  // the database answers instead
  // A lookup in flight waits the client timeout (1 s) before falling back.
  EXPECT_GE(max_latency_s(s), 1.0);
  EXPECT_LE(max_latency_s(s), 1.0 + 0.1);
  EXPECT_EQ(events_of(r, "cache.server_skipped").size(), 1u);
}

TEST(StorageEngine, TripleOneNodeLostKeepsReadsAndWrites) {
  auto r = run("storage-triple", "triple-one-node-lost");
  EXPECT_EQ(events_of(r, "storage.pair_read_only").size(), 2u);
  EXPECT_EQ(events_of(r, "storage.resync_started").size(), 2u);
  EXPECT_EQ(events_of(r, "storage.pair_read_write").size(), 2u);  // after the resync
  for (const char* svc : {"smtp", "imap"}) EXPECT_EQ(r["services"][svc]["failed"].get<uint64_t>(), 0u) << svc;
}

TEST(StorageEngine, TripleTwoNodesLostFailsWritesKeepsSomeReads) {
  auto r = run("storage-triple", "triple-two-nodes-lost");
  const auto& smtp = r["services"]["smtp"];
  const auto& imap = r["services"]["imap"];
  EXPECT_GT(failures(smtp, "io_error"), 0u);
  for (const auto& o : smtp["outages"]) {
    EXPECT_GE(o["start_s"].get<double>(), 30.5 - 0.01);
    EXPECT_LE(o["end_s"].get<double>(), 60.5 + 60 + 0.5);  // back + resync
  }
  // One pair of three (st-1 + st-2) has no live copy: about a third of reads fail.
  const double read_fail = static_cast<double>(failures(imap, "io_error"));
  EXPECT_GT(read_fail, 0.25 * 100 * 30);
  EXPECT_LT(read_fail, 0.42 * 100 * 30);
  EXPECT_EQ(events_of(r, "storage.pair_unavailable").size(), 1u);
}
