// CockroachDB's durability measured by the engine's ledger (engine/durability_ledger):
// a write is acknowledged once a Raft majority of its range appended it, and at the end of
// the run an acknowledged write is lost only if no node that is up holds its log entry.
// One simulation per case.
#include <gtest/gtest.h>

#include "tests/engine/run_helpers.hpp"

namespace {

nlohmann::json run(const std::string& scenario) {
  auto in = mailsim::app::load_inputs("topologies/tutorial/crdb-3.yaml", "scenarios/db/" + scenario + ".yaml");
  return mailsim::app::run_one(in, in.scenario.seed);
}

}  // namespace

TEST(CrdbDurability, MajorityAcknowledgementLosesNothingWhenOneNodeIsLostForGood) {
  auto r = run("crdb-node-lost-for-good");
  const auto& d = r["durability"]["crdb"];
  // Every write a client saw succeed was acknowledged by the store (a client may also time
  // out after the acknowledgement), and none is lost.
  EXPECT_GE(d["acknowledged"].get<uint64_t>(), r["services"]["write"]["ok"].get<uint64_t>());
  EXPECT_GT(d["acknowledged"].get<uint64_t>(), 0u);
  EXPECT_EQ(d["lost"].get<uint64_t>(), 0u);
  EXPECT_TRUE(d["lost_acknowledged_window_s"].is_null());
  EXPECT_EQ(d["services"]["write"]["acknowledged"], d["acknowledged"]);
}

TEST(CrdbDurability, LosingTheMajorityThatHadTheWritesLosesThemWithTheirAcknowledgementWindow) {
  auto r = run("crdb-majority-lost-after-partition");
  const auto& d = r["durability"]["crdb"];
  const uint64_t lost = d["lost"].get<uint64_t>();
  // About 100 writes/s for the 20 s crdb-3 was cut off; nothing from before the cut.
  EXPECT_GT(lost, 1500u);
  EXPECT_LE(lost, d["acknowledged"].get<uint64_t>());
  const double first = d["lost_acknowledged_window_s"][0].get<double>();
  const double last = d["lost_acknowledged_window_s"][1].get<double>();
  EXPECT_GE(first, 20.5);
  EXPECT_LT(first, 21.0);
  EXPECT_LE(last, 40.5);
  EXPECT_GT(last, 40.0);
  EXPECT_EQ(d["services"]["write"]["lost"].get<uint64_t>(), lost);
}
