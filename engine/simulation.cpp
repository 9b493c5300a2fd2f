#include "engine/simulation.hpp"

#include <algorithm>

#include "config/yaml_reader.hpp"

namespace mailsim::engine {

Simulation::Simulation(const config::Topology& topo, const config::Scenario& scen, const ComponentFactory& factory,
                       uint64_t seed, Scheduler& sched, Platform& platform, Cpu& cpu)
    : bound_(config::bind_to_topology(scen, topo)),
      net_(platform, sched, seed),
      flow_(sched, platform, net_, cpu, seed),
      features_(flow_, sched, platform, ledger_, seed),
      resources_(series_window(scen.window.seconds, scen.duration.seconds)),
      disks_(resources_, platform),
      ctx_{sched, platform, net_, cpu, events_, flow_, features_, resources_, ledger_, disks_, seed} {
  cpu.account(resources_);
  net_.account(resources_);
  for (const auto& spec : topo.components) {
    owned_.push_back(factory(spec, ctx_));
    comps_.push_back(owned_.back().get());
  }
  ctx_.component = [this](const std::string& name) { return component(name); };
  add_services(topo, scen, seed);
  flow_.set_client_tcp(scen.syn_retries, scen.initial_rto.seconds);
  features_.sessions.set_load_end(scen.duration.seconds);
  load_ = std::make_unique<LoadGenerator>(sched, flow_, features_, bound_, seed);
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
    const config::LoadSpec* load = nullptr;
    for (const auto& l : scen.load)
      if (l.service == svc.name) {
        if (l.timeout) timeout = l.timeout->seconds;
        load = &l;
      }
    max_timeout_ = std::max(max_timeout_, timeout);
    ServiceRuntime rt{svc.name, {}, {}, {}, {}, 0, timeout, static_cast<int>(svc.accept_steps()),
                      ServiceMetrics(timeout, scen.window.seconds, scen.duration.seconds,
                                     scen.incidents.stall.seconds),
                      {}, {}, {}};
    for (const auto& st : svc.steps) {
      rt.steps.push_back(component(st.component));
      rt.request_bytes.push_back(st.request_bytes.bytes);
      rt.cpu.push_back(st.cpu);
      rt.ops.push_back(st.op);
      rt.local.push_back(st.local ? 1 : 0);
      rt.response_bytes += st.response_bytes.bytes;
    }
    const int i = flow_.add_service(std::move(rt));
    // The plug-ins this service uses, attached in the order of step_features.hpp.
    features_.held_workers.add_service(flow_, i, svc);
    features_.cache_skip.add_service(i, svc);
    if (svc.has_delivery()) {
      // The receiving server's queue retries deliveries by Postfix's rule, with the settings
      // of the component that delivers (the first delivery step's: a mail_node's main.cf),
      // else postconf(5)'s defaults; phased per service.
      const Component* delivers = flow_.service(i).steps[svc.accept_steps()];
      const config::SenderParams server = delivers != nullptr && delivers->delivery_queue()
                                              ? *delivers->delivery_queue()
                                              : config::sender_params().parse(YAML::Node(), config::YamlReader(topo.file));
      features_.delivery.add_service(i, server, core::RngStream(seed, "queue." + svc.name));
      // The run waits up to an hour after the load for queued mail to be stored (a
      // permanently lost store would otherwise keep it retrying for maximal_queue_lifetime);
      // what is left shows as delivery.queued_at_end.
      max_lifetime_ = std::max(max_lifetime_, std::min(server.maximal_queue_lifetime.seconds, kDeliveryDrainS));
    }
    if (load != nullptr && load->session) features_.sessions.add_service(i);
    if (load != nullptr && load->sender) {
      features_.senders.add_service(i, *load->sender, core::RngStream(seed, "sender." + svc.name));
      // The last attempt may come after the lifetime (a failure then bounces): up to one
      // maximal_backoff_time and one queue run later.
      const config::SenderParams& s = *load->sender;
      max_lifetime_ = std::max(max_lifetime_, s.maximal_queue_lifetime.seconds + s.maximal_backoff_time.seconds +
                                                  s.queue_run_delay.seconds);
    }
  }
}

int64_t Simulation::pending() const {
  int64_t n = 0;
  for (const FlowFeature* f : features_.with_hooks()) n += f->pending();
  return n;
}

double Simulation::latest_due() const {
  double t = 0;
  for (const FlowFeature* f : features_.with_hooks()) t = std::max(t, f->latest_due());
  return t;
}

uint64_t Simulation::requests() const {
  uint64_t n = 0;
  for (int i = 0; i < flow_.service_count(); ++i) n += flow_.service(i).metrics.requests();
  return n;
}

std::vector<ServiceProgress> Simulation::progress(double now) const {
  std::vector<ServiceProgress> out;
  for (int i = 0; i < flow_.service_count(); ++i) out.push_back(flow_.service(i).metrics.progress(now));
  return out;
}

OverloadDetector Simulation::overload_detector() const {
  std::vector<std::string> names;
  std::vector<double> timeouts;
  for (int i = 0; i < flow_.service_count(); ++i) {
    names.push_back(flow_.service(i).name);
    timeouts.push_back(flow_.service(i).timeout);
  }
  return OverloadDetector(names, timeouts, bound_.window.seconds);
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
    for (const FlowFeature* f : features_.with_hooks()) f->report(i, svc);
    record.services[s.name] = std::move(svc);
    record.stats.requests += s.metrics.requests();
  }
  // Totals over the load ([0, duration), or less when a bound stopped the run).
  record.resources = resources_.to_json(std::min(bound_.duration.seconds, end_s), end_s);
  std::vector<std::string> names;
  for (int i = 0; i < flow_.service_count(); ++i) names.push_back(flow_.service(i).name);
  record.durability = ledger_.finish(names);
  record.events = std::move(events_);
  return record;
}

}  // namespace mailsim::engine
