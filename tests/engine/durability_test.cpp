// The durability ledger (engine/durability_ledger.hpp) over each store's replication
// mechanism, end to end through SimGrid: synchronous copies lose nothing, asynchronous ones
// lose exactly what was acknowledged and not yet shipped when the copy holding it was lost.
// Expected counts come from the mechanisms (round-robin pairs, rsync scans, WAL positions),
// never from the model's constants. One simulation per process (several: forked children).
#include <gtest/gtest.h>

#include <map>

#include "core/units.hpp"
#include "runset/child_run.hpp"
#include "tests/engine/run_helpers.hpp"

using mailsim::testing::events_of;

namespace {

// `params` set on every component of `model`.
nlohmann::json run(const std::string& topology, const std::string& scenario, const std::string& model = "",
                   const std::map<std::string, std::string>& params = {}) {
  auto in = mailsim::app::load_inputs(topology, scenario);
  for (auto& c : in.topology.components)
    if (c.model == model)
      for (const auto& [k, v] : params) c.params[k] = v;
  return mailsim::app::run_one(in, in.scenario.seed);
}

uint64_t u(const nlohmann::json& j) { return j.get<uint64_t>(); }

// smtp requests answered ok in the windows that end by `t`.
uint64_t ok_by(const nlohmann::json& r, double t) {
  const auto& s = r["services"]["smtp"]["series"];
  const double w = s["window_s"].get<double>();
  uint64_t n = 0;
  for (size_t i = 0; i < s["ok"].size() && (static_cast<double>(i) + 1) * w <= t + 1e-9; ++i) n += u(s["ok"][i]);
  return n;
}

constexpr const char* kTriple = "topologies/tutorial/storage-triple.yaml";

}  // namespace

TEST(Durability, TripleLosingOneNodeForGoodLosesNothingEveryWriteHadTwoCopies) {
  auto r = run(kTriple, "scenarios/storage/triple-one-node-lost-for-good.yaml");
  const auto& d = r["durability"]["store"];
  EXPECT_GT(u(d["acknowledged"]), 0u);
  EXPECT_GE(u(d["acknowledged"]), u(r["services"]["smtp"]["ok"]));
  EXPECT_EQ(u(d["lost"]), 0u);
  EXPECT_EQ(u(r["lost_acknowledged_messages"]), 0u);
}

TEST(Durability, TripleLosingTwoNodesForGoodLosesOnlyThePairOnBoth) {
  auto r = run(kTriple, "scenarios/storage/triple-two-nodes-lost-for-good.yaml");
  const auto& d = r["durability"]["store"];
  const uint64_t lost = u(d["lost"]);
  // Writes go round robin over the three pairs while all are read-write, so the pair on
  // st-1 + st-2 got a third of those acknowledged before st-1 died (30.5 s); afterwards
  // only the pair on st-2 + st-3 was writable, and it keeps its copy on st-3.
  constexpr double kFirstLoss = 30.5;
  EXPECT_GE(static_cast<double>(lost), ok_by(r, 30.0) / 3.0 - 1);
  EXPECT_LE(static_cast<double>(lost), ok_by(r, 31.0) / 3.0 + 1);
  const auto& w = d["lost_acknowledged_window_s"];
  EXPECT_LT(w[0].get<double>(), 1.0);
  EXPECT_LE(w[1].get<double>(), kFirstLoss);
  // The same count is the run's lost mail, all of it smtp's.
  EXPECT_EQ(u(r["lost_acknowledged_messages"]), lost);
  EXPECT_EQ(u(r["services"]["smtp"]["lost_acknowledged_messages"]), lost);
  EXPECT_EQ(u(d["services"]["smtp"]["lost"]), lost);
}

TEST(Durability, RupostLosesWhatNoRsyncRunHadCopiedAndMoreAtALongerInterval) {
  auto lost_at = [](const std::string& interval) {
    auto child = mailsim::runset::run_in_child([&] {
      return run("topologies/tutorial/rupost-maildir.yaml", "scenarios/storage/rupost-master-loss.yaml", "nfs",
                 {{"replica_sync_interval", interval}})
          .dump();
    });
    EXPECT_EQ(child.exit_code, 0);
    return nlohmann::json::parse(child.output);
  };
  constexpr double kCrash = 60.5;  // rupost-master-loss
  for (const char* interval : {"10s", "120s"}) {
    const auto r = lost_at(interval);
    const auto& d = r["durability"]["maildir"];
    uint64_t in_events = 0;
    for (const auto& e : events_of(r, "mail.lost")) in_events += u(e["count"]);
    EXPECT_EQ(u(d["lost"]), in_events) << interval;
    ASSERT_GT(u(d["lost"]), 0u) << interval;
    // Every message acknowledged before the last completed run's scan reached the replica:
    // the lost ones were all acknowledged after it began, and before the crash.
    double shipped_before = 0;
    for (const auto& e : events_of(r, "nfs.sync_completed"))
      if (e["from"] == "store-1" && e["t_s"].get<double>() < kCrash)
        shipped_before = e["t_s"].get<double>() - e["duration_s"].get<double>();
    EXPECT_GE(d["lost_acknowledged_window_s"][0].get<double>(), shipped_before) << interval;
    EXPECT_LE(d["lost_acknowledged_window_s"][1].get<double>(), kCrash) << interval;
    if (std::string(interval) == "120s") {
      // No run before the crash: everything the master acknowledged is lost (20/s x 60.5 s).
      EXPECT_EQ(shipped_before, 0.0);
      EXPECT_NEAR(static_cast<double>(u(d["lost"])), 20 * kCrash, 0.15 * 20 * kCrash);
    } else {
      EXPECT_GT(shipped_before, 0.0);
      EXPECT_LT(static_cast<double>(u(d["lost"])), 20 * 2 * 10.0 * 1.5);  // at most about two intervals' worth
    }
  }
}

TEST(Durability, PatroniAsyncLedgerCountsExactlyTheCommitsPastTheNewPrimarysWal) {
  auto r = run("topologies/labs/patroni.yaml", "scenarios/labs/patroni-primary-crash-1200.yaml");
  const auto promoted = events_of(r, "pg.promoted");
  ASSERT_EQ(promoted.size(), 1u);
  const auto& d = r["durability"]["pg"];
  // The WAL positions say how many acknowledged commits the new primary lacks.
  EXPECT_EQ(u(d["lost"]), u(promoted[0]["lost_commits"]));
  EXPECT_GT(u(d["acknowledged"]), 0u);
  if (u(d["lost"]) > 0) EXPECT_LE(d["lost_acknowledged_window_s"][1].get<double>(), 60.5);
}

// Runs of tegu-13 with one Patroni node's NIC slowed until its WAL stream or its etcd traffic
// saturates: failovers for "dcs unreachable" follow, some promoting a node that never followed
// the previous promotion (it is on an older timeline). Each failover's lost_commits is what the
// ledger counts lost at that promotion, so over the run they add up to the ledger's count (the
// primary is up at the end of each run: no loss is counted without a failover).
TEST(Durability, PatroniLostCommitsOfTheFailoversAddUpToTheLedgersLostCountUnderASaturatedNic) {
  struct Case {
    const char* node;
    const char* nic;
    const char* scenario;
  };
  const Case cases[] = {
      // pg-2, promoted after the crash, loses the DCS behind its saturated NIC and demotes;
      // its member key expires with its lease, so pg-1, back on timeline 1, finds nobody
      // ahead and is promoted: pg-2's timeline-2 commits are lost (the event said 0 while the
      // ledger counted 201).
      {"pg-2", "5Mbps", "scenarios/library/db-primary-crash.yaml"},
      // The same at 50 Mbit/s under 300 messages/s; pg-1 is being rebuilt when pg-2 demotes.
      {"pg-2", "50Mbps", "scenarios/mail/tegu-db-failover.yaml"},
      // pg-1's commits lost at the first promotion come back when pg-1 is promoted from its own
      // WAL, and are lost again at the third: counted once, not twice.
      {"pg-1", "1Mbps", "scenarios/library/db-primary-crash.yaml"},
  };
  uint64_t lost_in_a_dcs_failover = 0;
  for (const auto& c : cases) {
    auto child = mailsim::runset::run_in_child([&] {
      auto in = mailsim::app::load_inputs("topologies/tegu-13.yaml", c.scenario);
      for (auto& n : in.topology.nodes)
        if (n.name == c.node) n.nic = mailsim::core::parse_bandwidth(c.nic);
      return mailsim::app::run_one(in, in.scenario.seed).dump();
    });
    ASSERT_EQ(child.exit_code, 0) << c.node << " " << c.nic;
    const auto r = nlohmann::json::parse(child.output);
    const auto& fo = r["failovers"];
    ASSERT_GE(fo.size(), 2u) << c.node << " " << c.nic;
    uint64_t sum = 0;
    for (const auto& f : fo) {
      if (f["component"] != "pg" || !f.contains("lost_commits")) continue;
      sum += u(f["lost_commits"]);
      if (f["cause"] == "dcs unreachable for retry_timeout") lost_in_a_dcs_failover += u(f["lost_commits"]);
    }
    uint64_t in_promotions = 0;
    for (const auto& e : events_of(r, "pg.promoted")) in_promotions += u(e["lost_commits"]);
    EXPECT_EQ(in_promotions, sum) << c.node << " " << c.nic;
    EXPECT_EQ(u(r["durability"]["pg"]["lost"]), sum) << c.node << " " << c.nic << " " << c.scenario;
  }
  EXPECT_GT(lost_in_a_dcs_failover, 0u) << "no run exercised a loss at a dcs-unreachable failover";
}

TEST(Durability, PatroniSynchronousLosesNoAcknowledgedCommit) {
  auto r = run("topologies/labs/patroni.yaml", "scenarios/labs/patroni-primary-crash-1200.yaml", "patroni_postgres",
               {{"synchronous_mode", "true"}});
  const auto& d = r["durability"]["pg"];
  ASSERT_EQ(events_of(r, "pg.promoted").size(), 1u);
  EXPECT_GT(u(d["acknowledged"]), 0u);
  EXPECT_EQ(u(d["lost"]), 0u);
}

TEST(Durability, ASingleNfsServerLostForGoodLosesWhatItStoredAndQueuedMailStaysQueued) {
  // Deepmail's Maildir is one NFS server (nfs-1), lost for good at 60.5 s.
  auto r = run("topologies/deepmail-11.yaml", "scenarios/library/mail-store-lost-for-good.yaml");
  const auto& d = r["durability"]["maildir"];
  const auto& q = r["durability"]["smtp.queue"];
  const auto& delivery = r["services"]["smtp"]["delivery"];
  // Its one copy went with the node: every delivery it acknowledged is lost...
  EXPECT_GT(u(d["acknowledged"]), 0u);
  EXPECT_EQ(u(d["lost"]), u(d["acknowledged"]));
  EXPECT_EQ(u(d["acknowledged"]), u(delivery["delivered"]));
  EXPECT_LE(d["lost_acknowledged_window_s"][1].get<double>(), 60.5);
  // ...while what the mail nodes still queue is not lost: it is still queued.
  EXPECT_EQ(u(q["lost"]), 0u);
  EXPECT_EQ(u(q["queued"]), u(delivery["queued_at_end"]));
  EXPECT_GT(u(q["queued"]), 0u);
  EXPECT_EQ(u(r["lost_acknowledged_messages"]), u(d["lost"]));
}
