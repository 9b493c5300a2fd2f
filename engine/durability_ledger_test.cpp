// The durability ledger's bookkeeping, without an engine: counts per store and per service,
// the window of acknowledgement times of lost items, and end-of-run checks run once.
#include "engine/durability_ledger.hpp"

#include <gtest/gtest.h>

namespace mailsim::engine {
namespace {

TEST(DurabilityLedger, CountsPerStoreAndPerServiceWithTheWindowOfTheLostItemsAcknowledgements) {
  DurabilityLedger l;
  const int pg = l.add_store("pg", DurabilityLedger::Holds::kCommits);
  const int queue = l.add_store("smtp.queue", DurabilityLedger::Holds::kMessages);
  for (double t : {1.0, 2.0, 3.0}) l.acknowledged(pg, 0, t);
  l.acknowledged(pg, 1, 4.0);
  l.acknowledged(queue, 0, 2.0);
  l.lost(pg, 0, 3.0);
  l.lost(pg, 0, 2.0);
  l.lost(pg, 1, 4.0);
  const auto j = l.finish({"smtp", "imap"});
  EXPECT_EQ(j["pg"]["holds"], "commits");
  EXPECT_EQ(j["pg"]["acknowledged"], 4);
  EXPECT_EQ(j["pg"]["lost"], 3);
  EXPECT_EQ(j["pg"]["lost_acknowledged_window_s"], nlohmann::json::array({2.0, 4.0}));
  EXPECT_EQ(j["pg"]["services"]["smtp"]["lost"], 2);
  EXPECT_EQ(j["pg"]["services"]["smtp"]["lost_acknowledged_window_s"], nlohmann::json::array({2.0, 3.0}));
  EXPECT_EQ(j["pg"]["services"]["imap"]["acknowledged"], 1);
  EXPECT_EQ(j["smtp.queue"]["holds"], "messages");
  EXPECT_EQ(j["smtp.queue"]["lost"], 0);
  EXPECT_TRUE(j["smtp.queue"]["lost_acknowledged_window_s"].is_null());
  EXPECT_FALSE(j["smtp.queue"]["services"].contains("imap"));  // nothing of it: not listed
}

TEST(DurabilityLedger, EndOfRunChecksRunOnceBeforeTheReport) {
  DurabilityLedger l;
  const int s = l.add_store("store", DurabilityLedger::Holds::kMessages);
  int runs = 0;
  l.at_end([&] {
    ++runs;
    l.lost(s, 0, 5.0, 9.0, 4);
    l.still_queued(s, 0, 2);
  });
  const auto j = l.finish({"smtp"});
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(j["store"]["lost"], 4);
  EXPECT_EQ(j["store"]["queued"], 2);
  EXPECT_EQ(j["store"]["lost_acknowledged_window_s"], nlohmann::json::array({5.0, 9.0}));
  l.finish({"smtp"});
  EXPECT_EQ(runs, 1);
}

TEST(DurabilityLedger, ItemsOfNoServiceCountOnlyInTheStoresTotals) {
  DurabilityLedger l;
  const int s = l.add_store("store", DurabilityLedger::Holds::kCommits);
  l.acknowledged(s, -1, 1.0);
  l.duplicated(s, -1);
  const auto j = l.finish({"smtp"});
  EXPECT_EQ(j["store"]["acknowledged"], 1);
  EXPECT_EQ(j["store"]["duplicated"], 1);
  EXPECT_TRUE(j["store"]["services"].empty());
}

}  // namespace
}  // namespace mailsim::engine
