// Cartridge's stateful failover rules without SimGrid: membership's status of a member, the
// coordinator's decision, fencing and the coordinator's lock.
#include <gtest/gtest.h>

#include "models/tarantool/tarantool_logic.hpp"
#include "models/tarantool/tarantool_params.hpp"

namespace mailsim::models {
namespace {

using S = SwimStatus;

TEST(TarantoolMembership, AMissedProbeMakesSuspectAndOnlyFailoverTimeoutOfSuspicionMakesDead) {
  const double timeout = tarantool_params().defaults().failover_timeout.seconds;
  MemberView v;
  EXPECT_TRUE(v.probed(false, 10));
  EXPECT_EQ(v.status(), S::kSuspect);
  EXPECT_FALSE(v.probed(false, 11)) << "a suspect keeps the time it became suspect";
  EXPECT_FALSE(v.expire(10 + timeout - 0.5, timeout));
  EXPECT_TRUE(v.expire(10 + timeout, timeout));
  EXPECT_EQ(v.status(), S::kDead);
}

TEST(TarantoolMembership, AnAckMakesASuspectOrDeadMemberAliveAgain) {
  MemberView v;
  v.probed(false, 1);
  EXPECT_TRUE(v.probed(true, 2));
  EXPECT_EQ(v.status(), S::kAlive);
  v.probed(false, 3);
  v.expire(100, 20);
  EXPECT_TRUE(v.probed(true, 101));
  EXPECT_EQ(v.status(), S::kAlive);
}

TEST(TarantoolCoordinator, ASuspectLeaderIsHealthyAndKeepsItsAppointment) {
  EXPECT_EQ(make_decision({0, 0}, {S::kSuspect, S::kAlive}, 100), std::nullopt);
}

TEST(TarantoolCoordinator, ADeadLeaderIsReplacedByTheFirstHealthyInstanceInOrder) {
  EXPECT_EQ(make_decision({0, 0}, {S::kDead, S::kDead, S::kSuspect, S::kAlive}, 100), 2);
  EXPECT_EQ(make_decision({1, 0}, {S::kAlive, S::kDead}, 100), 0);
}

TEST(TarantoolCoordinator, AnImmuneLeaderIsNotReplacedEvenWhenDead) {
  const double immunity = tarantool_params().defaults().immunity_timeout.seconds;
  EXPECT_EQ(make_decision({0, 50 + immunity}, {S::kDead, S::kAlive}, 50 + immunity - 1), std::nullopt);
  EXPECT_EQ(make_decision({0, 50 + immunity}, {S::kDead, S::kAlive}, 50 + immunity), 1);
}

TEST(TarantoolCoordinator, NoHealthyCandidateMeansNoAppointment) {
  EXPECT_EQ(make_decision({0, 0}, {S::kDead, S::kDead}, 100), std::nullopt);
}

TEST(TarantoolCoordinator, ANewReplicaSetGetsTheFirstInstanceWhateverItsHealth) {
  EXPECT_EQ(make_decision({}, {S::kDead, S::kAlive}, 0), 0);
}

TEST(TarantoolFencing, StepsDownOnlyAfterFencingTimeoutWithoutAPassingCheck) {
  const auto d = tarantool_params().defaults();
  FencingWatch f(d.fencing_timeout.seconds);
  f.arm(0);
  double t = 0;
  while (t + d.fencing_pause.seconds < d.fencing_timeout.seconds) {
    t += d.fencing_pause.seconds;
    EXPECT_FALSE(f.checked(false, false, t));
  }
  EXPECT_TRUE(f.checked(false, false, d.fencing_timeout.seconds));
}

TEST(TarantoolFencing, TheProviderOrEveryReplicaAnsweringKeepsTheLeader) {
  FencingWatch f(10);
  f.arm(0);
  EXPECT_FALSE(f.checked(true, false, 8));
  EXPECT_FALSE(f.checked(false, true, 16));
  EXPECT_FALSE(f.checked(false, false, 24));
  EXPECT_TRUE(f.checked(false, false, 26));
}

TEST(TarantoolLock, ADeadCoordinatorsLockExpiresLockDelayAfterItsLastRenewal) {
  const double delay = tarantool_params().defaults().lock_delay.seconds;  // renewed every delay / 2
  EXPECT_DOUBLE_EQ(lock_expiry(delay / 2 + 1, delay), delay / 2 + delay);
  EXPECT_DOUBLE_EQ(lock_expiry(delay, delay), 2 * delay);
}

}  // namespace
}  // namespace mailsim::models
