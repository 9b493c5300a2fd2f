// The scylla shell on a test bed (no SimGrid): the driver avoids a node only once the
// cluster's gossip convicted it (phi accrual), a coordinator waits its request timeout for
// a replica it still believes alive, and an UnavailableException comes only from its own
// gossip view. Windows come from the component's params.
#include <gtest/gtest.h>

#include "models/scylla/scylla.hpp"
#include "models/scylla/scylla_logic.hpp"
#include "models/scylla/scylla_params.hpp"
#include "tests/engine/shells/test_bed_helpers.hpp"

namespace mailsim::testing {
namespace {

using engine::Outcome;

struct ScyllaBed {
  explicit ScyllaBed(const std::string& cl)
      : bed(test_bed("tests/engine/shells/topologies/scylla-" + cl + ".yaml",
                     quiet_scenario("600s", "10s"))),
        p(params_of(*bed, "scylla", models::scylla_params())),
        convict(models::conviction_delay(p.phi_convict_threshold, p.gossip_interval.seconds)) {
    bed->start();
  }
  std::unique_ptr<engine::TestBed> bed;
  models::ScyllaParams p;
  double convict;
  static constexpr double kSlack = 0.05;  // round trips and the step's CPU
};

TEST(ScyllaShell, ConsistencyOneDriverTriesADeadNodeUntilGossipConvictsIt) {
  ScyllaBed t("one");
  auto& bed = *t.bed;
  const double crash = 9.95;  // just before a gossip round: sc-1's last heartbeat was at 9 s
  bed.run_until(crash);
  bed.crash("sc-1");
  std::vector<std::unique_ptr<Sent>> early, late;
  send_at(bed, crash + 0.1, "smtp", early);  // the driver's plan starts at sc-1
  send_at(bed, crash + 0.2, "smtp", early);  // at sc-2
  const double convicted = std::floor(crash) + t.convict;
  send_at(bed, convicted + 0.5, "smtp", late);
  send_at(bed, convicted + 0.6, "smtp", late);
  bed.run_until(convicted - 0.5);
  auto& scylla = bed.component<models::Scylla>("scylla");
  EXPECT_TRUE(scylla.believes_alive(1, 0)) << "not convicted before phi passes the threshold";
  bed.run_until(convicted + 5);
  EXPECT_FALSE(scylla.believes_alive(1, 0));
  ASSERT_TRUE(early[0]->ended && early[1]->ended);
  // The connection to the dead sc-1 stays silent: the driver gives up at its connect
  // timeout and the next node of its plan serves.
  EXPECT_EQ(early[0]->outcome, Outcome::kOk);
  EXPECT_NEAR(early[0]->end - early[0]->at, t.p.driver_connect_timeout.seconds, ScyllaBed::kSlack);
  EXPECT_EQ(early[1]->outcome, Outcome::kOk);
  EXPECT_LT(early[1]->end - early[1]->at, ScyllaBed::kSlack);
  for (const auto& s : late) {
    ASSERT_TRUE(s->ended);
    EXPECT_EQ(s->outcome, Outcome::kOk) << "after the conviction the driver's plan leaves sc-1 out";
    EXPECT_LT(s->end - s->at, ScyllaBed::kSlack);
  }
}

TEST(ScyllaShell, NoNodeAcceptingAConnectionFailsTheRequest) {
  ScyllaBed t("one");
  auto& bed = *t.bed;
  bed.run_until(1);
  for (const char* n : {"sc-1", "sc-2"}) bed.sim().component("scylla")->stop_instance(bed.node(n));
  std::vector<std::unique_ptr<Sent>> sent;
  send_at(bed, 1.5, "smtp", sent);
  bed.run_until(1.5 + ScyllaBed::kSlack);
  ASSERT_TRUE(sent[0]->ended) << "both nodes refuse at once";
  EXPECT_EQ(sent[0]->outcome, Outcome::kConnectFailed);
}

TEST(ScyllaShell, ConsistencyAllWaitsTheWriteTimeoutForAReplicaNotYetConvictedThenFailsAtOnce) {
  ScyllaBed t("all");
  auto& bed = *t.bed;
  const double crash = 9.95;
  bed.run_until(crash);
  bed.crash("sc-3");
  std::vector<std::unique_ptr<Sent>> before, after;
  send_at(bed, crash + 0.1, "smtp", before);  // coordinator sc-1
  const double convicted = std::floor(crash) + t.convict;
  send_at(bed, convicted + 0.5, "smtp", after);  // coordinator sc-2, which convicted sc-3
  bed.run_until(convicted + 5);
  ASSERT_TRUE(before[0]->ended);
  EXPECT_EQ(before[0]->outcome, Outcome::kTimeout);
  EXPECT_NEAR(before[0]->end - before[0]->at, t.p.write_request_timeout.seconds, ScyllaBed::kSlack);
  ASSERT_TRUE(after[0]->ended);
  EXPECT_EQ(after[0]->outcome, Outcome::kUnavailable)
      << "UnavailableException from the coordinator's gossip view";
  EXPECT_LT(after[0]->end - after[0]->at, ScyllaBed::kSlack);
}

TEST(ScyllaShell, PartitionedReplicaIsConvictedThroughSilenceNotItsState) {
  ScyllaBed t("all");
  auto& bed = *t.bed;
  bed.run_until(5);
  bed.ctx().net.add_cut(bed.platform().ids_of({"sc-3"}),
                        bed.platform().ids_of({"sc-1", "sc-2", "app-1"}), false);
  auto& scylla = bed.component<models::Scylla>("scylla");
  bed.run_until(4 + t.convict - 0.5);
  EXPECT_TRUE(scylla.believes_alive(0, 2));
  bed.run_until(5 + t.convict + 0.5);
  EXPECT_FALSE(scylla.believes_alive(0, 2));
  EXPECT_FALSE(scylla.believes_alive(2, 0)) << "the cut-off node convicts the others in turn";
}

}  // namespace
}  // namespace mailsim::testing
