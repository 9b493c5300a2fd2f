// mail_node's entry in the registry: its checks, its availability rule and its factory.
#include "models/mail_node/mail_node_model.hpp"

#include <fmt/format.h>

#include "models/mail_node/mail_node.hpp"
#include "models/mail_node/mail_node_import.hpp"

namespace mailsim::models {

namespace {

constexpr const char* kSummary =
    "postfix / dovecot / webmail: per-operation worker pools running CPU demands";

void check(const ComponentCheck& c) {
  MailNodeParams p = c.params(mail_node_params());
  const auto ops = mail_node_ops().names();
  for (const auto& [op, n] : p.op_workers) {
    if (!mail_node_ops().find(op))
      c.fail_param("op_workers",
                   fmt::format("op_workers names '{}', not an op of mail_node{}; ops: {}", op,
                               core::did_you_mean(op, ops), fmt::join(ops, ", ")));
  }
}

AvailabilityRule availability(const config::ComponentSpec& c, const config::Topology&,
                              const std::string&) {
  return {AvailabilityExpr::k_of_nodes(1, c.nodes),
          fmt::format("stateless workers: 1 of {} nodes (the balancer or client picks a live one)",
                      c.nodes.size())};
}

}  // namespace

ModelInfo mail_node_model() {
  ModelInfo m = make_model<MailNode>("mail_node", kSummary, mail_node_params(), mail_node_ops().names(),
                                     any_role().names(), check, availability);
  m.step_roles.worker_pool = true;  // a process blocked on the next step's call keeps its worker
  m.native = mail_node_native_kinds();
  return m;
}

}  // namespace mailsim::models
