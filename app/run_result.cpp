#include "app/run_result.hpp"

#include <map>

#include "checks/raft_single_leader_per_term.hpp"
#include "checks/single_writable_primary.hpp"

namespace mailsim::app {

using nlohmann::json;

json pair_failovers(const std::vector<engine::Event>& events) {
  json out = json::array();
  std::map<std::string, size_t> open;  // component -> index in out
  for (const auto& e : events) {
    if (e.kind != "failover.started" && e.kind != "failover.completed") continue;
    std::string comp = e.fields.value("component", "");
    if (e.kind == "failover.started") {
      if (open.count(comp)) continue;  // already failing over: the first loss counts
      open[comp] = out.size();
      out.push_back({{"component", comp}, {"from", e.fields.value("from", "")}, {"start_s", e.t_s},
                     {"cause", e.fields.value("cause", "")}});
    } else if (auto it = open.find(comp); it != open.end()) {
      auto& f = out[it->second];
      f["to"] = e.fields.value("to", "");
      f["end_s"] = e.t_s;
      f["duration_s"] = e.t_s - f["start_s"].get<double>();
      // A database failover reports the acknowledged commits the new primary never received.
      if (e.fields.contains("lost_commits")) f["lost_commits"] = e.fields["lost_commits"];
      if (e.fields.contains("lost_messages")) f["lost_messages"] = e.fields["lost_messages"];
      // A Raft model reports how many elections (terms) the gap took: more than 1 is a split vote.
      if (e.fields.contains("elections")) f["elections"] = e.fields["elections"];
      open.erase(it);
    }
  }
  for (auto& [comp, idx] : open) {  // not completed by the end of the run
    out[idx]["to"] = nullptr;
    out[idx]["end_s"] = nullptr;
    out[idx]["duration_s"] = nullptr;
  }
  return out;
}

namespace {

// The topology's shape, so that reports can draw it without the YAML file.
json layout_of(const config::Topology& topo) {
  json layout = {{"nodes", json::array()}, {"components", json::array()}, {"services", json::array()}};
  for (const auto& n : topo.nodes) layout["nodes"].push_back({{"name", n.name}, {"zone", n.zone}});
  for (const auto& c : topo.components)
    layout["components"].push_back({{"name", c.name}, {"model", c.model}, {"nodes", c.nodes}});
  for (const auto& svc : topo.services) {
    json steps = json::array();
    for (const auto& st : svc.steps) steps.push_back(st.component);
    json entry = {{"name", svc.name}, {"steps", steps}};
    if (svc.has_delivery()) entry["accept_steps"] = svc.accept_steps();
    layout["services"].push_back(std::move(entry));
  }
  return layout;
}

// The durability ledger: acknowledged messages that models report lost (`mail.lost`
// events: a Maildir replica switch, ...), per service and in total. Models that lose
// mail without knowing which messages (an async database failover) report
// `lost_commits` in their failover record instead.
void add_ledger(json& result, const std::vector<engine::Event>& events) {
  uint64_t lost_total = 0;
  for (auto& [name, svc] : result["services"].items()) svc["lost_acknowledged_messages"] = 0;
  for (const auto& e : events) {
    if (e.kind != "mail.lost") continue;
    auto n = e.fields.value("count", uint64_t{0});
    lost_total += n;
    std::string svc = e.fields.value("service", "");
    if (result["services"].contains(svc))
      result["services"][svc]["lost_acknowledged_messages"] =
          result["services"][svc]["lost_acknowledged_messages"].get<uint64_t>() + n;
  }
  result["lost_acknowledged_messages"] = lost_total;
}

}  // namespace

json run_result(const Inputs& in, uint64_t seed, const engine::RunRecord& record) {
  const config::Topology& topo = in.topology;
  const config::Scenario& scen = in.scenario;
  json result;
  result["schema"] = "mailsim.run/1";
  result["manifest"] = {
      {"version", MAILSIM_VERSION},
      {"seed", seed},
      {"topology", {{"name", topo.name}, {"file", topo.file}, {"nodes", topo.nodes.size()}, {"layout", layout_of(topo)}}},
      {"scenario", {{"name", scen.name}, {"file", scen.file}, {"duration_s", scen.duration.seconds}}},
      {"engine", record.engine},
      {"params", record.params}};
  result["services"] = record.services;
  result["events"] = record.events.to_json();
  if (record.events.dropped()) result["events_dropped"] = record.events.dropped();
  const auto& events = record.events.events();
  result["failovers"] = pair_failovers(events);
  add_ledger(result, events);
  // Invariants over the timeline (checks/, one file each).
  result["checks"] = {{"single_writable_primary", checks::single_writable_primary(events)},
                      {"raft_single_leader_per_term", checks::raft_single_leader_per_term(events)}};
  return result;
}

}  // namespace mailsim::app
