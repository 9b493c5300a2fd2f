#pragma once
// What a model's check of one component is handed (ModelInfo::check): the component, its
// topology, and the helpers every model needs, written once: errors that point at the
// param's value (file:line:col) or at the component, references to other components with
// a did-you-mean, and the service steps that call the component.
//
// The registry checks each step's op against the model's declared ops before any model
// sees it (models/validation.cpp); a model's check is about its params and the shape of
// the paths through it.
#include <string>
#include <vector>

#include "config/params.hpp"
#include "config/topology.hpp"

namespace mailsim::models {

class ComponentCheck {
 public:
  ComponentCheck(const config::ComponentSpec& c, const config::Topology& topo);

  const config::ComponentSpec& spec() const { return c_; }
  const config::Topology& topology() const { return topo_; }
  const config::YamlReader& reader() const { return reader_; }
  size_t node_count() const { return c_.nodes.size(); }

  // The component's params, defaults first (ParamTable::parse): InputError on a bad key or value.
  template <class P>
  P params(const config::ParamTable<P>& table) const {
    return table.parse(c_.params, reader_);
  }
  bool user_gave(const std::string& key) const;  // the param is written in the topology
  // The param's value if the user gave it, else the component.
  core::SourceMark param_mark(const std::string& key) const;
  // "component 'NAME': MSG" at the param's value / at the component.
  [[noreturn]] void fail_param(const std::string& key, const std::string& msg) const;
  [[noreturn]] void fail(const std::string& msg) const;

  // A param naming another component (`backend`, `dcs`, `database`): required, an existing
  // component (did you mean), and of `model` when one is given.
  const config::ComponentSpec& referenced(const std::string& key, const std::string& value,
                                          const std::string& model = "") const;

  // A step of a service that calls this component.
  struct Call {
    const config::ServiceSpec& service;
    size_t index;
    const config::StepSpec& step;
    bool first() const { return index == 0; }
    const config::StepSpec* next() const;  // the service's next step, or nullptr
  };
  std::vector<Call> calls() const;
  // The call is made from the node of the step before it (a cache, a store): such a step
  // cannot start a service.
  void require_caller() const;
  // A proxy hands each request to the next step: every step calling this component must be
  // followed by one calling `target`, the component its param `param` names ("the step
  // after balancer 'lb' must call its backend 'mail'").
  void require_next_step(const std::string& kind, const std::string& param,
                         const std::string& target) const;
  // Every node the component runs on has a disk, and the param `disk` (when not empty)
  // names one of each node's disks. `kind` names the component in errors ("NFS server").
  void require_disks(const std::string& kind, const std::string& disk) const;

 private:
  const config::ComponentSpec& c_;
  const config::Topology& topo_;
  config::YamlReader reader_;
};

}  // namespace mailsim::models
