#include "models/common/component_check.hpp"

#include <fmt/format.h>

namespace mailsim::models {

namespace {
std::string with_article(const std::string& noun) {
  const bool vowel = !noun.empty() && std::string("aeiou").find(noun[0]) != std::string::npos;
  return (vowel ? "an " : "a ") + noun;
}
}  // namespace

ComponentCheck::ComponentCheck(const config::ComponentSpec& c, const config::Topology& topo)
    : c_(c), topo_(topo), reader_(topo.params_reader()) {}

bool ComponentCheck::user_gave(const std::string& key) const {
  return c_.params.IsMap() && c_.params[key];
}

core::SourceMark ComponentCheck::param_mark(const std::string& key) const {
  return user_gave(key) ? reader_.mark(c_.params[key]) : c_.mark;
}

void ComponentCheck::fail_param(const std::string& key, const std::string& msg) const {
  throw core::InputError(param_mark(key), fmt::format("component '{}': {}", c_.name, msg));
}

void ComponentCheck::fail(const std::string& msg) const {
  throw core::InputError(c_.mark, fmt::format("component '{}': {}", c_.name, msg));
}

const config::ComponentSpec& ComponentCheck::referenced(const std::string& key,
                                                        const std::string& value,
                                                        const std::string& model) const {
  if (value.empty()) fail(fmt::format("params.{} is required", key));
  const config::ComponentSpec* other = topo_.find_component(value);
  if (other == nullptr)
    fail_param(key, fmt::format("{} '{}' is not a component{}", key, value,
                                core::did_you_mean(value, topo_.component_names())));
  if (!model.empty() && other->model != model)
    fail_param(key, fmt::format("{} '{}' is {}, not {}", key, value, with_article(other->model),
                                with_article(model)));
  return *other;
}

const config::StepSpec* ComponentCheck::Call::next() const {
  return index + 1 < service.steps.size() ? &service.steps[index + 1] : nullptr;
}

std::vector<ComponentCheck::Call> ComponentCheck::calls() const {
  std::vector<Call> out;
  for (const auto& s : topo_.services)
    for (size_t i = 0; i < s.steps.size(); ++i)
      if (s.steps[i].component == c_.name) out.push_back(Call{s, i, s.steps[i]});
  return out;
}

void ComponentCheck::require_caller() const {
  for (const auto& call : calls())
    if (call.first())
      throw core::InputError(
          call.step.mark, fmt::format("service '{}': a {} step is called from the node of the step "
                                      "before it, so it cannot be the first step",
                                      call.service.name, c_.model));
}

void ComponentCheck::require_next_step(const std::string& kind, const std::string& param,
                                       const std::string& target) const {
  for (const auto& call : calls())
    if (call.next() == nullptr || call.next()->component != target)
      throw core::InputError(
          call.step.mark, fmt::format("service '{}': the step after {} '{}' must call its {} '{}'",
                                      call.service.name, kind, c_.name, param, target));
}

void ComponentCheck::require_disks(const std::string& kind, const std::string& disk) const {
  for (const auto& n : c_.nodes) {
    const config::NodeSpec* ns = topo_.find_node(n);
    if (ns->disks.empty())
      throw core::InputError(
          ns->mark, fmt::format("node '{}' runs {} '{}' but has no disks", n, kind, c_.name));
    if (disk.empty()) continue;
    bool found = false;
    for (const auto& d : ns->disks) found = found || d.name == disk;
    if (!found) fail_param("disk", fmt::format("node '{}' has no disk '{}'", n, disk));
  }
}

}  // namespace mailsim::models
