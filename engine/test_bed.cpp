#include "engine/test_bed.hpp"

#include "core/error.hpp"

namespace mailsim::engine {

TestBed::TestBed(config::Topology topo, config::Scenario scen, const ComponentFactory& factory, uint64_t seed)
    : topo_(std::move(topo)),
      scen_(std::move(scen)),
      platform_(topo_),
      cpu_(sched_, platform_),
      sim_(topo_, scen_, factory, seed, sched_, platform_, cpu_) {
  sim_.flow().observe_finish([this](const Request& r, Outcome o) {
    if (sim_.features().delivery.is_attempt(r)) return;
    auto it = waiting_.find({r.service, r.seq});
    if (it == waiting_.end()) return;
    auto on_end = std::move(it->second);
    waiting_.erase(it);
    on_end(o, sched_.now());
  });
}

NodeId TestBed::node(const std::string& name) const {
  const NodeId n = platform_.id_of(name);
  MAILSIM_ASSERT(n >= 0, "test bed: no node '" + name + "'");
  return n;
}

void TestBed::send(const std::string& service, std::function<void(Outcome, double)> on_end) {
  const int svc = sim_.flow().service_index(service);
  MAILSIM_ASSERT(svc >= 0, "test bed: no service '" + service + "'");
  // The callback is registered under the next sequence number before the request starts:
  // a request may end within start() (e.g. refused at once).
  const uint64_t seq = sim_.flow().service(svc).metrics.arrivals();
  waiting_[{svc, seq}] = std::move(on_end);
  sim_.flow().start(svc);
}

std::vector<Event> TestBed::events(EventKind kind) const {
  std::vector<Event> out;
  for (const auto& e : sim_.events().events())
    if (e.kind == kind) out.push_back(e);
  return out;
}

}  // namespace mailsim::engine
