#pragma once
// Step plug-in `hold_worker`: the previous step's worker (a process of a model with a worker
// pool, e.g. a mail_node) stays busy until the request ends, as a process blocked on this
// step's call does (dovecot on an NFS read, docs/models/nfs.md). The worker's owner records
// the hold (hold()); when the request ends the owner is told to free the worker
// (Component::on_worker_release); a call made on the worker's behalf checks holder() to
// learn that the blocked process died with its node (drop()).
#include <functional>
#include <string>
#include <vector>

#include "config/topology.hpp"
#include "engine/flow.hpp"

namespace mailsim::engine {

class HeldWorkers final : public FlowFeature {
 public:
  // Service svc's `hold_worker` steps; the service's requests are watched if it has any.
  void add_service(Flow& flow, int svc, const config::ServiceSpec& spec);

  // Whether the step after r's current one holds r's worker.
  bool next_step_holds(const Request& r) const {
    const auto& holds = holds_[static_cast<size_t>(r.service)];
    const size_t next = static_cast<size_t>(r.step) + 1;
    return next < holds.size() && holds[next];
  }
  // `holder` keeps worker `worker` of its instance on `node` busy for r.
  void hold(const Request& r, Component* holder, NodeId node, int worker);
  // Who keeps a worker busy for r: null when nobody does, or the process died (drop()).
  Component* holder(const Request& r) const {
    return r.slot < held_.size() ? held_[r.slot].holder : nullptr;
  }
  void drop(const Request& r) {
    if (r.slot < held_.size()) held_[r.slot] = {};
  }

  bool on_finish(Request& r, Outcome o) override;  // the holder frees the worker

  // The option acts only on a step whose previous step (in the same phase: a delivery's
  // first step has none) runs on a component that keeps workers. InputError at the step.
  static void check(const config::Topology& topo, const std::function<bool(const std::string&)>& keeps_workers);

 private:
  struct Hold {
    Component* holder = nullptr;
    NodeId node = -1;
    int worker = -1;
  };
  std::vector<std::vector<char>> holds_;  // [service][step]
  std::vector<Hold> held_;                // by request slot
};

}  // namespace mailsim::engine
