#include "engine/simulation.hpp"

#include <algorithm>

#include "config/yaml_reader.hpp"

namespace mailsim::engine {

Simulation::Simulation(const config::Topology& topo, const config::Scenario& scen, const ComponentFactory& factory,
                       uint64_t seed, Scheduler& sched, Platform& platform, Cpu& cpu)
    : bound_(config::bind_to_topology(scen, topo)),
      net_(platform, seed),
      flow_(sched, platform, net_, cpu, seed),
      ctx_{sched, platform, net_, cpu, events_, flow_, seed} {
  for (const auto& spec : topo.components) {
    owned_.push_back(factory(spec, ctx_));
    comps_.push_back(owned_.back().get());
  }
  ctx_.component = [this](const std::string& name) { return component(name); };
  add_services(topo, scen, seed);
  flow_.set_client_tcp(scen.syn_retries, scen.initial_rto.seconds);
  flow_.set_load_end(scen.duration.seconds);
  load_ = std::make_unique<LoadGenerator>(sched, flow_, bound_, seed);
  faults_ = std::make_unique<FaultInjector>(ctx_, bound_, comps_);
}

Component* Simulation::component(const std::string& name) const {
  for (auto* c : comps_)
    if (c->name() == name) return c;
  return nullptr;
}

void Simulation::add_services(const config::Topology& topo, const config::Scenario& scen, uint64_t seed) {
  max_timeout_ = scen.client_timeout.seconds;
  for (const auto& svc : topo.services) {
    double timeout = scen.client_timeout.seconds;
    const config::SenderParams* sender = nullptr;
    for (const auto& l : scen.load)
      if (l.service == svc.name) {
        if (l.timeout) timeout = l.timeout->seconds;
        if (l.sender) sender = &*l.sender;
      }
    max_timeout_ = std::max(max_timeout_, timeout);
    ServiceRuntime rt{svc.name, {}, {}, {}, {}, {}, 0, ServiceMetrics(timeout, scen.window.seconds, scen.duration.seconds), {}, {}};
    for (const auto& st : svc.steps) {
      rt.steps.push_back(component(st.component));
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
      rt.delivery = std::make_unique<DeliveryQueue>(server, core::RngStream(seed, "queue." + svc.name));
      // The run waits up to an hour after the load for queued mail to be stored (a
      // permanently lost store would otherwise keep it retrying for maximal_queue_lifetime);
      // what is left shows as delivery.queued_at_end.
      max_lifetime_ = std::max(max_lifetime_, std::min(server.maximal_queue_lifetime.seconds, kDeliveryDrainS));
    }
    if (sender) {
      // Each message comes from a sending MTA of its own, whose queue runs start at a phase
      // of their own within queue_run_delay.
      rt.messages = std::make_unique<MessageStats>(*sender, core::RngStream(seed, "sender." + svc.name),
                                                   MessageStats::Phase::kPerMessage);
      max_lifetime_ = std::max(max_lifetime_, sender->maximal_queue_lifetime.seconds);
    }
    flow_.add_service(std::move(rt));
  }
}

void Simulation::start() {
  for (auto* c : comps_) c->start();
  load_->start();
  faults_->start();
}

RunRecord Simulation::finish(double end_s) {
  flow_.finish_metrics(end_s);
  RunRecord record;
  record.end_s = end_s;
  record.params = nlohmann::json::object();
  for (auto* c : comps_) record.params[c->name()] = c->resolved_params();
  record.services = nlohmann::json::object();
  for (int i = 0; i < flow_.service_count(); ++i) {
    const ServiceRuntime& s = flow_.service(i);
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
    record.stats.requests += s.metrics.requests();
  }
  record.events = std::move(events_);
  return record;
}

}  // namespace mailsim::engine
