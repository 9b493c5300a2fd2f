#include "models/mail_node/mail_node.hpp"

#include "sim/engine/flow.hpp"

namespace mailsim::models {

using engine::NodeId;
using engine::Outcome;
using engine::Request;

MailNode::MailNode(const config::ComponentSpec& spec, MailNodeParams params, engine::Context& ctx)
    : Component(spec.name,
                [&] {
                  std::vector<NodeId> ids;
                  for (const auto& n : spec.nodes) ids.push_back(ctx.platform.id_of(n));
                  return ids;
                }()),
      p_(std::move(params)),
      ctx_(ctx) {
  for (NodeId n : nodes()) inst_.push_back(Instance{n, false, {}});
}

int MailNode::register_op(const std::string& op) {
  for (size_t i = 0; i < ops_.size(); ++i)
    if (ops_[i] == op) return static_cast<int>(i);
  ops_.push_back(op);
  return static_cast<int>(ops_.size()) - 1;
}

void MailNode::reset_pools(Instance& in) {
  in.pools.clear();
  for (const auto& op : ops_) {
    auto it = p_.op_workers.find(op);
    in.pools.emplace_back(it != p_.op_workers.end() ? it->second : p_.workers, p_.backlog);
  }
}

void MailNode::start() {
  for (auto& in : inst_) {
    in.running = true;
    reset_pools(in);
  }
}

void MailNode::on_request(Request& r) {
  NodeId target = r.target;
  if (target < 0) {
    // No proxy chose an instance: clients spread over the instances by round robin, as DNS
    // round robin does, without knowing which are alive.
    target = nodes()[rr_next_++ % nodes().size()];
  }
  if (target == r.at) return arrive(r);
  ctx_.flow.hop(r, target, ctx_.flow.request_bytes(r), [this](Request& req) { arrive(req); },
                [this](Request& req) {
                  if (req.step == 0) return ctx_.flow.syn_unanswered(req);  // a client connecting
                  ctx_.flow.lose(req);
                });
}

void MailNode::arrive(Request& r) {
  Instance& in = at(r.at);
  if (!in.running) return ctx_.flow.fail(r, Outcome::kRefused);
  switch (in.pools[static_cast<size_t>(ctx_.flow.op_slot(r))].admit({&r, r.gen})) {
    case Admission::kRun: return run(r);
    case Admission::kQueued: return;
    case Admission::kRejected: return ctx_.flow.fail(r, Outcome::kOverload);
  }
}

void MailNode::run(Request& r) { ctx_.flow.run_cpu(r, ctx_.flow.sample_cpu(r), this); }

void MailNode::on_cpu_done(Request& r, bool ok) {
  if (!ok) return ctx_.flow.orphan(r);  // the host died under the request
  Instance& in = at(r.at);
  const int slot = ctx_.flow.op_slot(r);
  ctx_.flow.next_step(r);
  // The worker takes the next waiting request (skipping none: waiting requests only die
  // with the whole pool on a crash, which clears the queue).
  Waiting next{};
  if (in.running && in.pools[static_cast<size_t>(slot)].release(next)) run(*next.first);
}

void MailNode::on_node_down(NodeId n) {
  Instance& in = at(n);
  in.running = false;
  for (auto& pool : in.pools)
    for (auto [r, gen] : pool.clear())
      if (ctx_.flow.alive(*r, gen)) ctx_.flow.orphan(*r);
}

void MailNode::on_node_up(NodeId n) {
  Instance& in = at(n);
  in.running = true;
  reset_pools(in);
}

void MailNode::stop_instance(NodeId n) {
  Instance& in = at(n);
  in.running = false;
  for (auto& pool : in.pools) {
    auto waiting = pool.clear();
    for (auto [r, gen] : waiting)
      if (ctx_.flow.alive(*r, gen)) ctx_.flow.fail(*r, Outcome::kRefused);
  }
}

void MailNode::start_instance(NodeId n) {
  Instance& in = at(n);
  if (in.running) return;
  in.running = true;
  reset_pools(in);
}

std::optional<NodeId> MailNode::resolve_role(const std::string& role) const {
  if (role == "any")
    for (const auto& in : inst_)
      if (in.running) return in.node;
  return std::nullopt;
}

bool MailNode::accepts(NodeId n) const {
  int idx = instance_of(n);
  return idx >= 0 && inst_[static_cast<size_t>(idx)].running;
}

nlohmann::json MailNode::resolved_params() const { return mail_node_params().resolved(p_); }

}  // namespace mailsim::models
