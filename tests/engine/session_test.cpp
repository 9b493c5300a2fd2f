// IMAP client sessions (a load's `session:`): commands over one connection kept on one
// server; a crash breaks the connection and the client reconnects through the VIP.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/engine/run_helpers.hpp"

namespace {

nlohmann::json run_deepmail(const std::string& scenario, bool director) {
  auto in = mailsim::app::load_inputs("topologies/deepmail-11.yaml", "scenarios/mail/" + scenario + ".yaml");
  if (director)
    for (auto& c : in.topology.components)
      if (c.name == "front_lb") c.params["balance"] = "user_hash";
  return mailsim::app::run_one(in, in.scenario.seed);
}

uint64_t u(const nlohmann::json& j) { return j.get<uint64_t>(); }

}  // namespace

TEST(Sessions, ServerCrashBreaksItsSessionsWhichReconnect) {
  auto run = run_deepmail("imap-sessions-node-crash", /*director=*/true);
  const auto& imap = run["services"]["imap"];
  const auto& s = imap["sessions"];
  // Sessions whose connection was on deepmail-1 lost the command in flight or the next
  // one (no reply: the client's timeout), then reconnected.
  EXPECT_GT(u(s["broken"]), 0u);
  EXPECT_GE(u(s["reconnects"]), u(s["broken"]));
  EXPECT_EQ(u(s["completed"]) + u(s["cut_at_end"]), u(s["started"]));  // every session ended
  for (const auto& [outcome, n] : imap["failures"].items()) EXPECT_EQ(outcome, "timeout") << n;
  // Only commands around the crash fail: later ones reconnect to the surviving server.
  EXPECT_GT(imap["availability"].get<double>(), 0.95);
  EXPECT_LT(imap["availability"].get<double>(), 1.0);
}

TEST(Sessions, VipMoveResetsEveryOpenConnection) {
  auto run = run_deepmail("imap-sessions-vip-move", /*director=*/false);
  const auto& imap = run["services"]["imap"];
  const auto& s = imap["sessions"];
  // The new VIP holder has none of the connections: each session's next command is
  // refused (RST), breaks the session, and the one after it reconnects.
  ASSERT_GT(u(s["broken"]), 0u);
  EXPECT_EQ(u(imap["failures"]["refused"]), u(s["broken"]));
  EXPECT_EQ(u(imap["failed"]), u(s["broken"]));
  EXPECT_GT(u(s["reconnects"]), 0u);
  EXPECT_EQ(u(s["completed"]) + u(s["cut_at_end"]), u(s["started"]));
}

// The balancer learns of a dead server on an open session only through the connection:
// a stopped dovecot on a live host answers the next command with a reset at once, where
// a crashed host (above) leaves it unanswered until the client's timeout.
TEST(Sessions, AStoppedServerResetsItsSessionsAtOnce) {
  const auto dir = std::filesystem::temp_directory_path() / "mailsim-sessions-stop";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "s.yaml") << "name: imap-sessions-node-stop\nduration: 150s\nseed: 7\nclient: {timeout: 10s}\n"
                                   "load:\n  - {service: imap, rate: 5/s, session: {commands: 10, think: exponential 2s, "
                                   "users: 2000}}\nfaults:\n  - {at: 30.5s, stop: {component: deepmail, node: deepmail-1}, "
                                   "for: 60s}\n";
  auto in = mailsim::app::load_inputs("topologies/deepmail-11.yaml", (dir / "s.yaml").string());
  for (auto& c : in.topology.components)
    if (c.name == "front_lb") c.params["balance"] = "user_hash";
  auto run = mailsim::app::run_one(in, in.scenario.seed);
  const auto& imap = run["services"]["imap"];
  ASSERT_TRUE(imap["failures"].contains("refused")) << imap["failures"].dump();
  EXPECT_GT(u(imap["failures"]["refused"]), 0u);
  EXPECT_FALSE(imap["failures"].contains("timeout")) << "no command waits for an answer that cannot come";
  EXPECT_GT(u(imap["sessions"]["broken"]), 0u);
}
