// SMTP with a delivery phase (topology `queue:`/`delivery:`): the 250 follows the queue
// write, delivery to the mail store runs afterwards and is retried like Postfix's
// deferred queue, and the durability ledger counts acknowledged messages lost in an
// asynchronous database failover. One simulation per case, through the library.
#include <gtest/gtest.h>

#include "tests/engine/run_helpers.hpp"

namespace {

using mailsim::testing::events_of;

enum class Replica { kAsync, kSynchronous, kAsyncLagging };

nlohmann::json run_seed(const std::string& topology, const std::string& scenario, Replica mode = Replica::kAsync) {
  auto in = mailsim::app::load_inputs("topologies/" + topology + ".yaml", "scenarios/mail/" + scenario + ".yaml");
  for (auto& c : in.topology.components) {
    if (c.model != "patroni_postgres") continue;
    if (mode == Replica::kSynchronous) c.params["synchronous_mode"] = true;
    // A replica behind a 30 Mbit/s link cannot keep up with Tegu's WAL (its lag grows by
    // megabytes between status messages); Patroni would refuse to promote it past 1 MiB,
    // so the limit is raised to let the failover happen and lose the lag.
    if (mode == Replica::kAsyncLagging) c.params["maximum_lag_on_failover"] = "1GiB";
  }
  // Only the replica's NIC is slow (links are shared: slowing every NIC would slow the
  // primary's clients too). After the failover every client commit crosses that NIC; its
  // connections share it fairly (processor sharing), as TCP flows do, so Patroni's DCS
  // keepalives are not stuck behind megabytes of client traffic as on a FIFO link.
  // pg-1 starts as the primary, pg-2 is the replica.
  if (mode == Replica::kAsyncLagging) {
    in.topology.network.sharing = mailsim::config::LinkSharing::kProcessorSharing;
    for (auto& n : in.topology.nodes)
      if (n.name == "pg-2") n.nic = mailsim::core::Bandwidth{30e6 / 8};
  }
  return mailsim::app::run_one(in, in.scenario.seed);
}

uint64_t u(const nlohmann::json& j) { return j.get<uint64_t>(); }

}  // namespace

TEST(Delivery, TeguAsyncFailoverToALaggingReplicaLosesAcknowledgedMail) {
  auto run = run_seed("tegu-13", "tegu-db-failover", Replica::kAsyncLagging);
  const auto& d = run["services"]["smtp"]["delivery"];
  // Messages whose queue insert the replica had not received when the primary died.
  const uint64_t lost = u(run["lost_acknowledged_messages"]);
  EXPECT_GT(lost, 0u);
  EXPECT_EQ(u(run["services"]["smtp"]["lost_acknowledged_messages"]), lost);
  // One source: the mail queue's store in the durability ledger.
  const auto& queue = run["durability"]["smtp.queue"];
  EXPECT_EQ(u(queue["lost"]), lost);
  EXPECT_EQ(u(queue["acknowledged"]), u(d["acknowledged"]));
  // The lost messages are a subset of the commits the failover lost (deliveries write too),
  // and the database's store counts exactly the acknowledged commits the new primary lacked.
  ASSERT_EQ(run["failovers"].size(), 1u);
  EXPECT_LE(lost, u(run["failovers"][0]["lost_commits"]));
  EXPECT_EQ(u(run["durability"]["pg"]["lost"]), u(run["failovers"][0]["lost_commits"]));
  // They were acknowledged before the crash that lost them.
  EXPECT_LE(queue["lost_acknowledged_window_s"][1].get<double>(), run["failovers"][0]["start_s"].get<double>());
  uint64_t in_events = 0;
  for (const auto& e : events_of(run, "mail.lost")) in_events += u(e["count"]);
  EXPECT_EQ(in_events, lost);
  // Every other acknowledged message was delivered: the ledger balances.
  EXPECT_EQ(u(d["acknowledged"]), u(d["delivered"]) + lost + u(d["queued_at_end"]) + u(d["bounced"]));
  EXPECT_EQ(u(d["queued_at_end"]), 0u);
  EXPECT_EQ(u(run["checks"]["single_writable_primary"]["violations"]), 0u);
}

TEST(Delivery, TeguSynchronousFailoverLosesNoMail) {
  auto run = run_seed("tegu-13", "tegu-db-failover", Replica::kSynchronous);
  const auto& d = run["services"]["smtp"]["delivery"];
  EXPECT_EQ(u(run["lost_acknowledged_messages"]), 0u);
  EXPECT_EQ(u(run["durability"]["smtp.queue"]["lost"]), 0u);
  EXPECT_EQ(u(run["durability"]["pg"]["lost"]), 0u);
  EXPECT_GT(u(run["durability"]["pg"]["acknowledged"]), 0u);
  ASSERT_EQ(run["failovers"].size(), 1u);
  EXPECT_EQ(u(run["failovers"][0]["lost_commits"]), 0u);
  // Deliveries caught by the failover were deferred and retried, then stored.
  EXPECT_GT(u(d["deferred_attempts"]), 0u);
  EXPECT_EQ(u(d["acknowledged"]), u(d["delivered"]));
  EXPECT_GE(d["store_delay_s"]["max"].get<double>(), 300.0);  // minimal_backoff_time
}

TEST(Delivery, StoreOutageDelaysDeliveryNotAcceptance) {
  auto run = run_seed("deepmail-11", "mail-store-outage");
  const auto& smtp = run["services"]["smtp"];
  const auto& d = smtp["delivery"];
  // The 250 does not wait for the Maildir: acceptance goes on while NFS is down.
  EXPECT_EQ(u(smtp["failed"]), 0u);
  // Deliveries during the minute of outage waited (hard mount) or were deferred...
  EXPECT_GE(d["store_delay_s"]["max"].get<double>(), 30.0);
  // ...and every acknowledged message was stored in the end.
  EXPECT_EQ(u(d["acknowledged"]), u(d["delivered"]));
  EXPECT_EQ(u(d["queued_at_end"]), 0u);
  EXPECT_EQ(u(run["lost_acknowledged_messages"]), 0u);
}

TEST(Delivery, MailNodeCrashLosesNoAcknowledgedMail) {
  auto run = run_seed("deepmail-11", "mail-node-crash");
  const auto& smtp = run["services"]["smtp"];
  const auto& d = smtp["delivery"];
  // Sessions cut by the crash were deferred by their senders and accepted later.
  EXPECT_GT(u(smtp["messages"]["accepted_after_retry"]), 0u);
  EXPECT_EQ(u(smtp["messages"]["bounced"]), 0u);
  EXPECT_EQ(u(d["acknowledged"]), u(d["delivered"]));
  EXPECT_EQ(u(run["lost_acknowledged_messages"]), 0u);
}

TEST(Delivery, TheDeliveringNodesMainCfSetsItsDeferredQueue) {
  // tests/engine/inputs/delivery-queue*: mx-1 accepts mail and delivers it into a store on
  // store-1, down from 10 s to 130 s. Its main.cf says queue_run_delay 10s,
  // minimal_backoff_time 10, maximal_backoff_time 40s: a deferred delivery is tried again
  // after its age clamped to [10 s, 40 s], at the next 10 s queue run, so the mail waiting
  // for the store is delivered within one backoff and one queue run of its return, not at
  // postconf(5)'s 300 s.
  auto in = mailsim::app::load_inputs("tests/engine/inputs/delivery-queue.yaml",
                                      "tests/engine/inputs/delivery-queue-store-down.yaml");
  const auto run = mailsim::app::run_one(in, in.scenario.seed);
  EXPECT_EQ(run["manifest"]["params"]["mx"]["queue_run_delay"], "10s");
  const auto& d = run["services"]["smtp"]["delivery"];
  EXPECT_GT(u(d["deferred_messages"]), 100u);  // 50 s of mail at 5/s met the dead store
  // Retried more than once each during the two-minute outage (a 300 s backoff would retry once).
  EXPECT_GT(u(d["deferred_attempts"]), 2 * u(d["deferred_messages"]));
  EXPECT_EQ(u(d["acknowledged"]), u(d["delivered"]));
  EXPECT_EQ(u(d["bounced"]), 0u);
  // The first message deferred (at 10 s) waited until the store came back at 130 s, and
  // everything was stored by one maximal backoff and one queue run after that.
  EXPECT_GT(d["store_delay_s"]["max"].get<double>(), 110.0);
  EXPECT_LT(d["store_delay_s"]["max"].get<double>(), 120.0 + 40.0 + 10.0 + 1.0);
}
