// etcd (Raft) leadership under partitions, end to end through SimGrid: a leader's
// step-down names its real cause, as etcd-io/raft's Step does it: check-quorum keeps the
// term (becomeFollower(r.Term, None) in stepLeader's MsgCheckQuorum), a message with a
// higher term moves the leader to that term.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/units.hpp"
#include "tests/engine/run_helpers.hpp"

using mailsim::testing::events_of;

namespace {

// etcd-3 (the Raft lab's cluster: etcd's default timers) under one partition from 5 s to
// 15 s; etcd-1 is the bootstrap leader at 0 s.
nlohmann::json run_partitioned(const std::string& name, const std::string& groups, bool pre_vote) {
  const auto dir = std::filesystem::temp_directory_path() / ("mailsim-etcd-" + name);
  std::filesystem::create_directories(dir);
  std::ifstream in("topologies/labs/etcd-3.yaml");
  std::string topo((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string members = "    nodes: [etcd-1, etcd-2, etcd-3]\n";
  topo.replace(topo.find(members), members.size(),
               members + "    params: {pre_vote: " + (pre_vote ? "true" : "false") + "}\n");
  std::ofstream(dir / "etcd.yaml") << topo;
  std::ofstream(dir / "s.yaml") << "name: " << name
                                << "\nduration: 20s\nseed: 1\nclient: {timeout: 1s}\nload: []\nfaults:\n"
                                   "  - {at: 5s, partition: {between: " << groups << "}, for: 10s}\n";
  auto inputs = mailsim::app::load_inputs((dir / "etcd.yaml").string(), (dir / "s.yaml").string());
  return mailsim::app::run_one(inputs, inputs.scenario.seed);
}

}  // namespace

TEST(EtcdEngine, AnIsolatedLeaderStepsDownByCheckQuorumInItsOwnTerm) {
  auto r = run_partitioned("leader-isolated", "[[etcd-1], [etcd-2, etcd-3]]", true);
  const auto elected = events_of(r, "raft.leader_elected");
  ASSERT_FALSE(elected.empty());
  ASSERT_EQ(elected[0]["node"], "etcd-1") << "the scenario isolates the bootstrap leader";
  const auto down = events_of(r, "raft.leader_stepped_down");
  ASSERT_EQ(down.size(), 1u) << r["events"].dump(1);
  EXPECT_EQ(down[0]["node"], "etcd-1");
  EXPECT_EQ(down[0]["cause"], "check_quorum");
  EXPECT_EQ(down[0]["term"], elected[0]["term"]);
}

// Without pre-vote, a follower cut off for 10 s raises its term at each election timeout;
// when the partition heals, the leader hears that higher term and steps down to it.
TEST(EtcdEngine, ALeaderThatHearsAHigherTermStepsDownForIt) {
  auto r = run_partitioned("follower-isolated", "[[etcd-3], [etcd-1, etcd-2]]", false);
  const auto elected = events_of(r, "raft.leader_elected");
  ASSERT_FALSE(elected.empty());
  ASSERT_EQ(elected[0]["node"], "etcd-1");
  const auto down = events_of(r, "raft.leader_stepped_down");
  ASSERT_EQ(down.size(), 1u) << r["events"].dump(1);
  EXPECT_EQ(down[0]["node"], "etcd-1");
  EXPECT_GE(down[0]["t_s"].get<double>(), 15.0) << "only after the partition heals";
  EXPECT_GT(down[0]["term"].get<int>(), elected[0]["term"].get<int>());
  EXPECT_EQ(down[0]["cause"], "higher_term");
}

namespace {

// etcd-3 with etcd's defaults: the leader (etcd-1) crashes or is stopped cleanly at 5 s.
nlohmann::json run_leader_loss(const std::string& name, const std::string& fault) {
  const auto dir = std::filesystem::temp_directory_path() / ("mailsim-etcd-" + name);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "s.yaml") << "name: " << name
                                << "\nduration: 20s\nseed: 1\nclient: {timeout: 1s}\nload: []\nfaults:\n"
                                   "  - {at: 5s, " << fault << ", for: 10s}\n";
  auto inputs = mailsim::app::load_inputs("topologies/labs/etcd-3.yaml", (dir / "s.yaml").string());
  return mailsim::app::run_one(inputs, inputs.scenario.seed);
}

double param_s(const nlohmann::json& r, const char* key) {
  return mailsim::core::parse_duration(r["manifest"]["params"]["etcd"][key].get<std::string>()).seconds;
}

}  // namespace

TEST(EtcdEngine, AStoppedLeaderHandsItsLeadershipOverBeforeStopping) {
  auto r = run_leader_loss("leader-stop", "stop: {model: etcd, role: leader}");
  const auto down = events_of(r, "raft.leader_stepped_down");
  ASSERT_EQ(down.size(), 1u) << r["events"].dump(1);
  EXPECT_EQ(down[0]["node"], "etcd-1");
  EXPECT_EQ(down[0]["cause"], "leadership_transfer");
  const auto elected = events_of(r, "raft.leader_elected");
  ASSERT_EQ(elected.size(), 2u);
  EXPECT_NE(elected[1]["node"], "etcd-1");
  // MsgTimeoutNow and one vote round on a LAN: far less than a heartbeat interval, and no
  // election timeout waited.
  const double heartbeat = param_s(r, "heartbeat_interval");
  EXPECT_GE(elected[1]["t_s"].get<double>(), 5.0);
  EXPECT_LT(elected[1]["t_s"].get<double>(), 5.0 + heartbeat / 10);
  EXPECT_EQ(elected[1]["term"].get<int>(), elected[0]["term"].get<int>() + 1) << "one election, no split vote";
  // etcd-1 stops once it sees the new leader: at its next poll, a heartbeat interval later.
  const auto stopped = events_of(r, "component.stopped");
  ASSERT_EQ(stopped.size(), 1u);
}

TEST(EtcdEngine, ACrashedLeaderIsReplacedOnlyAfterAnElectionTimeout) {
  auto r = run_leader_loss("leader-crash", "crash: {model: etcd, role: leader}");
  const auto elected = events_of(r, "raft.leader_elected");
  ASSERT_GE(elected.size(), 2u);
  EXPECT_GE(elected[1]["t_s"].get<double>(), 5.0 + param_s(r, "election_timeout") - param_s(r, "heartbeat_interval"))
      << "the followers wait their randomized election timeout after the last heartbeat";
}
