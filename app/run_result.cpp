#include "app/run_result.hpp"

#include <map>

#include "app/incidents.hpp"

#include "checks/raft_single_leader_per_term.hpp"
#include "checks/single_writable_primary.hpp"

namespace mailsim::app {

using nlohmann::json;

json pair_failovers(const std::vector<engine::Event>& events) {
  json out = json::array();
  std::map<std::string, size_t> open;  // component -> index in out
  for (const auto& e : events) {
    const engine::EventClass cls = engine::event_spec(e.kind).cls;
    if (cls != engine::EventClass::kFailoverStarted && cls != engine::EventClass::kFailoverCompleted) continue;
    std::string comp = e.fields.value("component", "");
    if (cls == engine::EventClass::kFailoverStarted) {
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

// The operators' files the topology's components read (`config:`): each as written in the
// topology (relative to its folder, the same on every machine), its SHA-256, the params it
// set and the warnings about it (at their line:col), so a report shows which configuration produced it.
json configs_of(const config::Topology& topo) {
  json out = json::array();
  for (const auto& rec : topo.configs) {
    json values = json::array(), warnings = json::array();
    for (const auto& v : rec.values)
      values.push_back({{"param", v.param}, {"value", v.value}, {"directive", v.directive}, {"line", v.mark.line},
                        {"col", v.mark.col}});
    // Positions without the file's path as opened (that depends on the working directory).
    for (const auto& w : rec.warnings)
      warnings.push_back({{"line", w.mark.line}, {"col", w.mark.col}, {"warning", w.message}});
    json entry = {{"component", rec.component}, {"kind", rec.ref.kind}, {"path", rec.ref.path}, {"sha256", rec.sha256},
                  {"params", values}, {"warnings", warnings}};
    if (!rec.ref.node.empty()) entry["node"] = rec.ref.node;
    if (!rec.ref.section.empty()) entry["section"] = rec.ref.section;
    out.push_back(std::move(entry));
  }
  return out;
}

// Lost mail has one source, the engine's durability ledger (`durability`): per service and
// in total, the acknowledged messages the message stores (Maildir, storage triples, mail
// queues) hold on no surviving copy at the end. Commit stores (PostgreSQL, CockroachDB)
// report their lost commits per store; a commit that queued a message is counted once, by
// the mail queue.
void add_lost_mail(json& result, const json& durability) {
  uint64_t lost_total = 0;
  for (auto& [name, svc] : result["services"].items()) svc["lost_acknowledged_messages"] = 0;
  for (const auto& [store, d] : durability.items()) {
    if (d.value("holds", "") != "messages") continue;
    lost_total += d.value("lost", uint64_t{0});
    for (const auto& [svc, c] : d["services"].items())
      if (result["services"].contains(svc))
        result["services"][svc]["lost_acknowledged_messages"] =
            result["services"][svc]["lost_acknowledged_messages"].get<uint64_t>() + c.value("lost", uint64_t{0});
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
  // Only when there are any: the results of topologies without `config:` stay as they were.
  if (!topo.configs.empty()) result["manifest"]["configs"] = configs_of(topo);
  // A run stopped by a bound (--max-requests, --time-limit) says so: its figures cover
  // [0, end_s) only, and the command exits 1.
  if (!record.stopped_early.empty())
    result["partial"] = {{"reason", record.stopped_early}, {"end_s", record.end_s}};
  // A run ended because it could not keep up: when, on which service, by which measure.
  if (record.overloaded) result["overloaded"] = record.overloaded->to_json();
  result["services"] = record.services;
  // Incidents per service, by the scenario's rules (recorded in the manifest).
  result["manifest"]["incident_rules"] = config::incident_params().resolved(scen.incidents);
  for (auto& [name, svc] : result["services"].items())
    svc["incidents"] = find_incidents(svc, scen.incidents, scen.duration.seconds);
  // Every metered resource and the bottleneck (engine/resources.hpp).
  if (record.resources.is_object()) {
    result["resources"] = record.resources["resources"];
    result["bottleneck"] = record.resources["bottleneck"];
  }
  result["events"] = record.events.to_json();
  if (record.events.dropped()) result["events_dropped"] = record.events.dropped();
  const auto& events = record.events.events();
  result["failovers"] = pair_failovers(events);
  // The durability ledger, per store: what was acknowledged, and what of it is on no
  // surviving copy at the end (engine/durability_ledger.hpp states the rule).
  result["durability"] = record.durability.is_null() ? json::object() : record.durability;
  add_lost_mail(result, result["durability"]);
  // Invariants over the timeline (checks/, one file each).
  result["checks"] = {{"single_writable_primary", checks::single_writable_primary(events)},
                      {"raft_single_leader_per_term", checks::raft_single_leader_per_term(events)}};
  return result;
}

}  // namespace mailsim::app
