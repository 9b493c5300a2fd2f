// ScyllaDB's phi accrual conviction delay and consistency levels (no SimGrid).
#include <gtest/gtest.h>

#include "models/scylla/scylla_logic.hpp"
#include "models/scylla/scylla_params.hpp"

namespace mailsim::models {
namespace {

TEST(ScyllaLogic, PhiPassesTheThresholdAfterThresholdTimesIntervalTimesLn10OfSilence) {
  const auto p = scylla_params().defaults();
  const double interval = p.gossip_interval.seconds,
               delay = conviction_delay(p.phi_convict_threshold, interval);
  EXPECT_NEAR(delay, 8 * 1.0 * std::log(10.0), 1e-9);  // 18.4 s with scylla.yaml's defaults
  EXPECT_LT(phi(delay - 0.01, interval), p.phi_convict_threshold);
  EXPECT_GT(phi(delay + 0.01, interval), p.phi_convict_threshold);
}

TEST(ScyllaLogic, ConsistencyLevelsCountTheCoordinatorsOwnReplica) {
  EXPECT_EQ(replicas_needed("one", 2), 1);
  EXPECT_EQ(replicas_needed("quorum", 2), 2);  // two replicas: QUORUM stops on either's loss
  EXPECT_EQ(replicas_needed("quorum", 3), 2);
  EXPECT_EQ(replicas_needed("all", 3), 3);
}

}  // namespace
}  // namespace mailsim::models
