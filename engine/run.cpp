#include "engine/run.hpp"

#include <simgrid/s4u.hpp>
#include <simgrid/version.h>
#include <xbt/log.h>

#include <algorithm>
#include <chrono>

#include "config/yaml_reader.hpp"
#include "core/error.hpp"
#include "engine/fault_injector.hpp"
#include "engine/flow.hpp"
#include "engine/load_generator.hpp"

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

}  // namespace

RunRecord run_simulation(const config::Topology& topo, const config::Scenario& scen, const ComponentFactory& factory,
                         const RunOptions& opts) {
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

  RunRecord record;
  record.end_s = end;
  record.engine = {{"simgrid", std::to_string(SIMGRID_VERSION_MAJOR) + "." + std::to_string(SIMGRID_VERSION_MINOR)},
                   {"network_model", "CM02"},
                   {"end_s", end}};
  record.params = nlohmann::json::object();
  for (auto* c : comps) record.params[c->name()] = c->resolved_params();
  record.services = nlohmann::json::object();
  uint64_t total = 0;
  for (int i = 0; i < flow.service_count(); ++i) {
    const ServiceRuntime& s = flow.service(i);
    nlohmann::json svc = s.metrics.to_json();
    if (s.messages) svc["messages"] = s.messages->to_json();
    if (s.delivery) svc["delivery"] = s.delivery->to_json();
    if (const auto* ss = s.sessions.get())
      svc["sessions"] = {{"started", ss->started},
                         {"completed", ss->completed},
                         {"cut_at_end", ss->cut_at_end},
                         {"broken", ss->broken},
                         {"reconnects", ss->reconnects}};
    record.services[s.name] = std::move(svc);
    total += s.metrics.requests();
  }
  record.events = std::move(events);
  record.stats = {wall, total};
  return record;
}

}  // namespace mailsim::engine
