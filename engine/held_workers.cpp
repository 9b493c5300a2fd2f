#include "engine/held_workers.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace mailsim::engine {

void HeldWorkers::add_service(Flow& flow, int svc, const config::ServiceSpec& spec) {
  if (holds_.size() <= static_cast<size_t>(svc)) holds_.resize(static_cast<size_t>(svc) + 1);
  auto& holds = holds_[static_cast<size_t>(svc)];
  bool any = false;
  for (const auto& st : spec.steps) {
    holds.push_back(st.hold_worker ? 1 : 0);
    any = any || st.hold_worker;
  }
  if (any) flow.attach(svc, this);
}

void HeldWorkers::hold(const Request& r, Component* holder, NodeId node, int worker) {
  if (held_.size() <= r.slot) held_.resize(r.slot + 1);
  held_[r.slot] = {holder, node, worker};
}

bool HeldWorkers::on_finish(Request& r, Outcome) {
  if (r.slot >= held_.size() || held_[r.slot].holder == nullptr) return false;
  const Hold h = held_[r.slot];
  held_[r.slot] = {};
  h.holder->on_worker_release(r, h.node, h.worker);
  return false;
}

void HeldWorkers::check(const config::Topology& topo, const std::function<bool(const std::string&)>& keeps_workers) {
  for (const auto& s : topo.services)
    for (size_t i = 0; i < s.steps.size(); ++i) {
      const config::StepSpec& st = s.steps[i];
      if (!st.hold_worker) continue;
      // A delivery attempt starts at the first delivery step: nothing before it is its own.
      if (i == 0 || (s.has_delivery() && i == s.accept_steps()))
        throw core::InputError(st.mark, fmt::format("service '{}': `hold_worker` keeps the previous step's worker busy, "
                                                    "and the {} step has no previous step",
                                                    s.name, i == 0 ? "first" : "first delivery"));
      const std::string& prev = s.steps[i - 1].component;
      if (!keeps_workers(prev))
        throw core::InputError(st.mark, fmt::format("service '{}': `hold_worker` keeps the previous step's worker busy, "
                                                    "but component '{}' keeps no workers to hold",
                                                    s.name, prev));
    }
}

}  // namespace mailsim::engine
