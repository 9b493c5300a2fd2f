#include "models/replicated_service/replicated_service_params.hpp"

namespace mailsim::models {

using P = ReplicatedServiceParams;
using config::choice;
using config::param;
using config::range;

const config::ParamTable<P>& replicated_service_params() {
  static const config::ParamTable<P> table(
      "replicated_service",
      {
          choice(&P::mode, "mode", "active_passive", {"active_passive", "quorum"},
                 "active_passive: one active instance, a manager promotes another on loss; quorum: k of n instances "
                 "must be live",
                 "assumption: a generic model (seeds/DIGEST.md names Overlord, Orchestrator, Raft, Scylla)"),
          param(&P::detection_delay, "detection_delay", "10s", "duration",
                "active_passive: time for the manager to notice the active instance is lost",
                "assumption; e.g. Orchestrator polls every InstancePollSeconds = 5 and needs a confirmed failure",
                range("0s", "1d")),
          param(&P::promotion_delay, "promotion_delay", "5s", "duration",
                "active_passive: time to promote a passive instance once the loss is noticed", "assumption",
                range("0s", "1d")),
          param(&P::quorum, "quorum", "0", "instances, 0 = majority",
                "quorum: live instances a request needs (the coordinator included)",
                "assumption; Scylla QUORUM = RF/2 + 1, Raft majority",
                range("1", "1000").zero_means("a majority of the instances")),
      });
  return table;
}

const NameTable<ReplicatedServiceOp>& replicated_service_ops() {
  static const NameTable<ReplicatedServiceOp> ops{
      {ReplicatedServiceOp::kRead, "read"}, {ReplicatedServiceOp::kWrite, "write"}, {ReplicatedServiceOp::kQuery, "query"}};
  return ops;
}

const NameTable<ReplicatedServiceRole>& replicated_service_roles() {
  static const NameTable<ReplicatedServiceRole> roles{{ReplicatedServiceRole::kActive, "active"},
                                                      {ReplicatedServiceRole::kAny, "any"}};
  return roles;
}

}  // namespace mailsim::models
