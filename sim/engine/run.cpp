#include "sim/engine/run.hpp"

#include <simgrid/s4u.hpp>
#include <simgrid/version.h>
#include <xbt/log.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "sim/checks/raft_single_leader_per_term.hpp"
#include "sim/checks/single_writable_primary.hpp"
#include "sim/config/yaml_reader.hpp"
#include "sim/core/error.hpp"
#include "sim/engine/fault_injector.hpp"
#include "sim/engine/flow.hpp"
#include "sim/engine/load_generator.hpp"

namespace sg4 = simgrid::s4u;

namespace mailsim::engine {

namespace {

// CM02 without LV08's 13.01 latency factor (SIMGRID-NOTES.md): latencies in a topology
// mean what they say. mailsim's own messages do not use SimGrid comms (flow.hpp), but any
// future bulk transfer will, and must see the same latencies.
std::unique_ptr<sg4::Engine> make_engine() {
  xbt_log_control_set("root.thres:critical");
  static int argc = 3;
  static char arg0[] = "mailsim";
  static char arg1[] = "--cfg=network/model:CM02";
  static char arg2[] = "--log=root.thres:critical";
  static char* argv[] = {arg0, arg1, arg2, nullptr};
  return std::make_unique<sg4::Engine>(&argc, argv);
}

// Pairs each model's failover.started with the next failover.completed of the same
// component. Models emit both from their mechanisms (the role holder lost; another instance
// took the role), so the durations come out of their timers and messages.
nlohmann::json failovers(const EventLog& events, double end) {
  nlohmann::json out = nlohmann::json::array();
  std::map<std::string, size_t> open;  // component -> index in out
  for (const auto& e : events.events()) {
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
      open.erase(it);
    }
  }
  for (auto& [comp, idx] : open) {
    out[idx]["to"] = nullptr;
    out[idx]["end_s"] = nullptr;
    out[idx]["duration_s"] = nullptr;  // not completed by the end of the run
    (void)end;
  }
  return out;
}

}  // namespace

nlohmann::json run_simulation(const config::Topology& topo, const config::Scenario& scen,
                              const ComponentFactory& factory, const RunOptions& opts, RunStats* stats) {
  auto engine = make_engine();
  Platform platform(topo);
  Network net(platform, opts.seed);
  EventLog events;
  Scheduler sched;
  Flow flow(sched, platform, net, opts.seed);
  Context ctx{sched, platform, net, events, flow, opts.seed};

  std::vector<std::unique_ptr<Component>> owned;
  std::vector<Component*> comps;
  for (const auto& spec : topo.components) {
    owned.push_back(factory(spec, ctx));
    comps.push_back(owned.back().get());
  }
  auto find = [&comps](const std::string& name) -> Component* {
    for (auto* c : comps)
      if (c->name() == name) return c;
    return nullptr;
  };
  ctx.component = find;

  double max_timeout = scen.client_timeout.seconds;
  double max_lifetime = 0;  // of deferred messages, when clients are MTAs
  for (const auto& svc : topo.services) {
    double timeout = scen.client_timeout.seconds;
    const config::SenderParams* sender = nullptr;
    for (const auto& l : scen.load)
      if (l.service == svc.name) {
        if (l.timeout) timeout = l.timeout->seconds;
        if (l.sender) sender = &*l.sender;
      }
    max_timeout = std::max(max_timeout, timeout);
    ServiceRuntime rt{svc.name, {}, {}, {}, {}, {}, 0, ServiceMetrics(timeout, scen.window.seconds, scen.duration.seconds), {}, {}};
    for (const auto& st : svc.steps) {
      rt.steps.push_back(find(st.component));
      rt.request_bytes.push_back(st.request_bytes.bytes);
      rt.cpu.push_back(st.cpu);
      rt.ops.push_back(st.op);
      rt.response_bytes += st.response_bytes.bytes;
      rt.hold_worker.push_back(st.hold_worker ? 1 : 0);
      rt.fallback.push_back(st.fallback ? static_cast<char>(st.on_hit_skip) : 0);
    }
    rt.timeout = timeout;
    rt.accept_steps = static_cast<int>(svc.accept_steps());
    if (svc.has_delivery()) {
      // The receiving server's queue retries deliveries on Postfix's schedule (postconf(5)
      // defaults: queue_run_delay 300s, minimal_backoff_time 300s, ...), phased per service.
      const config::SenderParams server = config::sender_params().parse(YAML::Node(), config::YamlReader(topo.file));
      rt.delivery = std::make_unique<DeliveryQueue>(server, core::RngStream(opts.seed, "queue." + svc.name));
      // The run waits up to an hour after the load for queued mail to be stored (a
      // permanently lost store would otherwise keep it retrying for maximal_queue_lifetime);
      // what is left shows as delivery.queued_at_end.
      max_lifetime = std::max(max_lifetime, std::min(server.maximal_queue_lifetime.seconds, kDeliveryDrainS));
    }
    if (sender) {
      // Each message comes from a sending MTA of its own, whose queue runs start at a phase
      // of their own within queue_run_delay.
      rt.messages = std::make_unique<MessageStats>(*sender, core::RngStream(opts.seed, "sender." + svc.name),
                                                   MessageStats::Phase::kPerMessage);
      max_lifetime = std::max(max_lifetime, sender->maximal_queue_lifetime.seconds);
    }
    flow.add_service(std::move(rt));
  }

  flow.set_client_tcp(scen.syn_retries, scen.initial_rto.seconds);
  flow.set_load_end(scen.duration.seconds);
  LoadGenerator load(sched, flow, scen, opts.seed);
  const config::Scenario bound = config::bind_to_topology(scen, topo);
  FaultInjector faults(ctx, bound, comps);
  for (auto* c : comps) c->start();
  load.start();
  faults.start();
  if (opts.before_start) opts.before_start(ctx, comps);

  // Run past the end of the load by the longest client timeout, so every request that
  // arrived gets its answer or its timeout.
  double end = scen.duration.seconds + max_timeout;
  auto w0 = std::chrono::steady_clock::now();
  engine->run_until(end);
  // MTA clients: go on while deferred messages wait for their next attempt, until each is
  // accepted or bounced (at most maximal_queue_lifetime after the load ends).
  const double hard_end = end + max_lifetime;
  while (flow.retries_pending() > 0 && end < hard_end) {
    end = std::min(hard_end, std::max(end, flow.latest_retry_at()) + max_timeout);
    engine->run_until(end);
  }
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
  flow.finish_metrics(end);

  nlohmann::json result;
  result["schema"] = "mailsim.run/1";
  nlohmann::json params = nlohmann::json::object();
  for (auto* c : comps) params[c->name()] = c->resolved_params();
  // The topology's shape, so that reports can draw it without the YAML file.
  nlohmann::json layout = {{"nodes", nlohmann::json::array()}, {"components", nlohmann::json::array()},
                           {"services", nlohmann::json::array()}};
  for (const auto& n : topo.nodes) layout["nodes"].push_back({{"name", n.name}, {"zone", n.zone}});
  for (const auto& c : topo.components)
    layout["components"].push_back({{"name", c.name}, {"model", c.model}, {"nodes", c.nodes}});
  for (const auto& svc : topo.services) {
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& st : svc.steps) steps.push_back(st.component);
    nlohmann::json entry = {{"name", svc.name}, {"steps", steps}};
    if (svc.has_delivery()) entry["accept_steps"] = svc.accept_steps();
    layout["services"].push_back(std::move(entry));
  }
  result["manifest"] = {
      {"version", MAILSIM_VERSION},
      {"seed", opts.seed},
      {"topology", {{"name", topo.name}, {"file", topo.file}, {"nodes", topo.nodes.size()}, {"layout", layout}}},
      {"scenario", {{"name", scen.name}, {"file", scen.file}, {"duration_s", scen.duration.seconds}}},
      {"engine",
       {{"simgrid", std::to_string(SIMGRID_VERSION_MAJOR) + "." + std::to_string(SIMGRID_VERSION_MINOR)},
        {"network_model", "CM02"},
        {"end_s", end}}},
      {"params", params}};
  nlohmann::json services = nlohmann::json::object();
  uint64_t total = 0;
  for (int i = 0; i < flow.service_count(); ++i) {
    services[flow.service(i).name] = flow.service(i).metrics.to_json();
    if (flow.service(i).messages) services[flow.service(i).name]["messages"] = flow.service(i).messages->to_json();
    if (flow.service(i).delivery) services[flow.service(i).name]["delivery"] = flow.service(i).delivery->to_json();
    if (const auto* ss = flow.service(i).sessions.get())
      services[flow.service(i).name]["sessions"] = {
          {"started", ss->started},     {"completed", ss->completed},   {"cut_at_end", ss->cut_at_end},
          {"broken", ss->broken},       {"reconnects", ss->reconnects}};
    total += flow.service(i).metrics.requests();
  }
  result["services"] = std::move(services);
  result["events"] = events.to_json();
  if (events.dropped()) result["events_dropped"] = events.dropped();
  result["failovers"] = failovers(events, end);
  // The durability ledger: acknowledged messages that models report lost (`mail.lost`
  // events: a Maildir replica switch, ...), per service and in total. Models that lose
  // mail without knowing which messages (an async database failover) report
  // `lost_commits` in their failover record instead.
  uint64_t lost_total = 0;
  for (auto& [name, svc] : result["services"].items()) svc["lost_acknowledged_messages"] = 0;
  for (const auto& e : events.events()) {
    if (e.kind != "mail.lost") continue;
    auto n = e.fields.value("count", uint64_t{0});
    lost_total += n;
    std::string svc = e.fields.value("service", "");
    if (result["services"].contains(svc))
      result["services"][svc]["lost_acknowledged_messages"] = result["services"][svc]["lost_acknowledged_messages"].get<uint64_t>() + n;
  }
  result["lost_acknowledged_messages"] = lost_total;
  // Invariants over the timeline (sim/checks, one file each).
  result["checks"] = {{"single_writable_primary", checks::single_writable_primary(events.events())},
                      {"raft_single_leader_per_term", checks::raft_single_leader_per_term(events.events())}};
  if (stats) {
    stats->wall_seconds = wall;
    stats->requests = total;
  }
  return result;
}

}  // namespace mailsim::engine
