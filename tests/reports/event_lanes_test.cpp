// The HTML report reads events through the catalogue: every fault kind is shaded with the
// end the catalogue names for it, and every component holding a role gets a timeline lane
// (the serving NFS store, the writable primary, leases), not only the kinds whose names
// happened to end in `.acquired` or `.leader_elected`.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <string>

#include "app/run_one.hpp"
#include "reports/html_report.hpp"

namespace {

using nlohmann::json;

json run_with_events(json events, double end) {
  json r;
  r["schema"] = "mailsim.run/1";
  r["manifest"] = {{"version", "0.1.0"},
                   {"seed", 1},
                   {"topology", {{"name", "t"}, {"file", "t.yaml"}, {"nodes", 3}}},
                   {"scenario", {{"name", "s"}, {"file", "s.yaml"}, {"duration_s", end}}},
                   {"engine", {{"simgrid", "3.32"}, {"network_model", "CM02"}, {"end_s", end}}},
                   {"params", json::object()}};
  r["services"] = json::object();
  r["events"] = std::move(events);
  r["failovers"] = json::array();
  return r;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(HtmlEvents, ASlowedDiskIsShadedUntilItsRestore) {
  const std::string html = mailsim::reports::html_report(run_with_events(
      {{{"t_s", 0.0}, {"kind", "vip.acquired"}, {"component", "lb"}, {"node", "lb-1"}},  // a chart to shade
       {{"t_s", 1.0}, {"kind", "disk.slowed"}, {"node", "nfs-1"}, {"factor", 10.0}},
       {{"t_s", 4.0}, {"kind", "disk.restored"}, {"node", "nfs-1"}}},
      6));
  EXPECT_NE(html.find("<title>slow disk nfs-1 from 1s to 4s</title>"), std::string::npos);
  EXPECT_EQ(html.find("No fault was injected."), std::string::npos);
}

TEST(HtmlEvents, LeasesOfManyRangesMakeOneLanePerNodeEndedByTransferAndCrash) {
  const std::string html = mailsim::reports::html_report(run_with_events(
      {{{"t_s", 0.5}, {"kind", "crdb.lease_acquired"}, {"component", "crdb"}, {"range", "r1"}, {"node", "c1"},
        {"epoch", 1}, {"from", ""}},
       {{"t_s", 0.6}, {"kind", "crdb.lease_acquired"}, {"component", "crdb"}, {"range", "r2"}, {"node", "c1"},
        {"epoch", 1}, {"from", ""}},
       // r1 moves to c2: c1 still holds r2, so its bar goes on.
       {{"t_s", 2.0}, {"kind", "crdb.lease_acquired"}, {"component", "crdb"}, {"range", "r1"}, {"node", "c2"},
        {"epoch", 1}, {"from", "c1"}},
       {{"t_s", 3.0}, {"kind", "node.crashed"}, {"node", "c1"}, {"cause", "fault"}}},
      6));
  EXPECT_NE(html.find("<title>crdb lease holder @ c1 from 0.5s to 3s</title>"), std::string::npos);
  EXPECT_NE(html.find("<title>crdb lease holder @ c2 from 2s to the end</title>"), std::string::npos);
  EXPECT_EQ(count(html, "<title>crdb lease holder @ c1 "), 1u) << "one lane per node, not per range";
}

// The user's case from issue 12: a RuPost NFS master crash. The lane of the component
// that failed over (the Maildir store) is there, with the master's bar ending at the crash
// and the replica's starting at the switch, next to the other roles (the VIP, the writable
// primary) and the crash shaded.
TEST(HtmlEvents, RuPostNfsMasterCrashDrawsTheStoreLanes) {
  auto in = mailsim::app::load_inputs("topologies/rupost-13.yaml", "scenarios/library/mail-store-node-loss.yaml");
  const json run = mailsim::app::run_one(in, 1);
  std::string store, master, replica;
  double lost_at = -1, switched_at = -1;
  for (const auto& e : run.at("events")) {
    if (e.at("kind") == "store.not_serving") {
      store = e.at("component").get<std::string>();
      master = e.at("node").get<std::string>();
      lost_at = e.at("t_s").get<double>();
    }
    if (e.at("kind") == "store.serving" && e.at("cause") == "switch") {
      replica = e.at("node").get<std::string>();
      switched_at = e.at("t_s").get<double>();
    }
  }
  ASSERT_FALSE(master.empty()) << "the NFS master's crash ends its serving";
  ASSERT_FALSE(replica.empty()) << "RuPost switches to the replica";
  const std::string html = mailsim::reports::html_report(run);
  EXPECT_NE(html.find(fmt::format("<title>{} serving store @ {} from 0s to {:g}s</title>", store, master, lost_at)),
            std::string::npos);
  EXPECT_NE(html.find(fmt::format("<title>{} serving store @ {} from {:g}s to the end</title>", store, replica,
                                  switched_at)),
            std::string::npos);
  EXPECT_NE(html.find(" writable primary @ "), std::string::npos) << "Patroni's primary has a lane";
  EXPECT_NE(html.find(" VIP @ "), std::string::npos);
  EXPECT_NE(html.find(fmt::format("<title>crash {} from {:g}s", master, lost_at)), std::string::npos);
  EXPECT_NE(html.find(fmt::format("<title>failover of {}: {:.3f}s</title>", store, switched_at - lost_at)),
            std::string::npos)
      << "the store's failover bracket, from the crash to the switch";
}

}  // namespace
