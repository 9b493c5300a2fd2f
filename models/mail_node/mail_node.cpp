#include "models/mail_node/mail_node.hpp"

#include <algorithm>

#include "models/disk/node_disk.hpp"
#include "models/mail_node/mail_node_disk.hpp"
#include "engine/flow.hpp"
#include "engine/step_features.hpp"

namespace mailsim::models {

using engine::NodeId;
using engine::Outcome;
using engine::Request;

MailNode::MailNode(const config::ComponentSpec& spec, const config::Topology& topo, MailNodeParams params,
                   engine::Context& ctx)
    : Component(spec.name, ctx.platform.ids_of(spec.nodes)),
      p_(std::move(params)),
      ctx_(ctx) {
  for (NodeId n : nodes()) {
    const std::string& node = ctx.platform.name_of(n);
    Instance in{n, false, 0, node_disk(ctx, topo, node, ""), {}, {}, {}};
    for (MailOp op : mail_node_ops().values()) {  // meter index = the op's value, as pools
      const std::string& op_name = mail_node_ops().name(op);
      in.meters.push_back(&ctx.resources.add(
          {node + "." + name() + "." + op_name, "workers", node, name(), static_cast<double>(workers_of(op_name)), "workers"}));
    }
    inst_.push_back(std::move(in));
  }
}

int MailNode::workers_of(const std::string& op) const {
  auto it = p_.op_workers.find(op);
  return it != p_.op_workers.end() ? it->second : p_.workers;
}

void MailNode::measure(Instance& in, int slot) {
  const auto& pool = in.pools[static_cast<size_t>(slot)];
  in.meters[static_cast<size_t>(slot)]->update(ctx_.sched.now(), pool.busy(), static_cast<double>(pool.waiting()));
}

void MailNode::measure_all(Instance& in) {
  for (size_t slot = 0; slot < in.pools.size(); ++slot) measure(in, static_cast<int>(slot));
}

int MailNode::register_op(const std::string& op) { return static_cast<int>(mail_node_ops().at(op)); }

void MailNode::reset_pools(Instance& in) {
  in.pools.clear();
  for (MailOp op : mail_node_ops().values())  // pool index = the op's value
    in.pools.emplace_back(workers_of(mail_node_ops().name(op)), p_.backlog);
  measure_all(in);
}

const std::string& MailNode::op_name(int slot) { return mail_node_ops().name(static_cast<MailOp>(slot)); }

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
                [this, target](Request& req) {
                  if (req.step == 0) return ctx_.flow.syn_unanswered(req, target);  // a client connecting, again to the same node
                  ctx_.flow.lose(req);
                });
}

void MailNode::arrive(Request& r) {
  Instance& in = at(r.at);
  if (!in.running) return ctx_.flow.fail(r, Outcome::kRefused);
  const int slot = ctx_.flow.op_slot(r);
  const Admission admission = in.pools[static_cast<size_t>(slot)].admit({&r, r.gen});
  if (admission != Admission::kRejected) measure(in, slot);
  switch (admission) {
    case Admission::kRun: return run(r);
    case Admission::kQueued:
      // Every worker busy: a state change worth a timeline event (not one per request).
      if (in.pools[static_cast<size_t>(ctx_.flow.op_slot(r))].waiting() == 1)
        ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kPoolExhausted,
                         {{"component", name()}, {"node", ctx_.platform.name_of(in.node)}, {"op", op_name(ctx_.flow.op_slot(r))}});
      return;
    case Admission::kRejected: return ctx_.flow.fail(r, Outcome::kOverload);
  }
}

// A worker takes r: it is served.
void MailNode::run(Request& r) {
  at(r.at).meters[static_cast<size_t>(ctx_.flow.op_slot(r))]->served(ctx_.sched.now());
  ctx_.flow.run_cpu(r, ctx_.flow.sample_cpu(r), this);
}

void MailNode::on_cpu_done(Request& r, bool ok) {
  if (!ok) return ctx_.flow.orphan(r);  // the host died under the request
  Instance& in = at(r.at);
  const auto op = static_cast<MailOp>(ctx_.flow.op_slot(r));
  const core::DiskOp write = mail_node_disk_op(op, ctx_.flow.request_bytes(r), p_.local_maildir);
  if (in.disk == nullptr || write.writes == 0) return op_done(r);
  // The message is durable once the disk has it; the worker waits for the write.
  const double end = in.disk->submit(ctx_.sched.now(), write);
  Request* rp = &r;
  ctx_.sched.at(end, [this, rp, gen = r.gen, node = in.node, epoch = in.epoch, slot = static_cast<int>(op)] {
    Instance& i = at(node);
    if (i.epoch != epoch) {  // the node died with the write (noticed when it would have ended)
      if (ctx_.flow.alive(*rp, gen)) ctx_.flow.orphan(*rp);
      return;
    }
    if (!ctx_.flow.alive(*rp, gen)) return free_worker(i, slot);
    op_done(*rp);
  });
}

// The op's work is done: the request moves on, and its worker is freed or held.
void MailNode::op_done(Request& r) {
  Instance& in = at(r.at);
  const int slot = ctx_.flow.op_slot(r);
  if (ctx_.features.held_workers.next_step_holds(r)) {
    // The next call is made by this worker's process and blocks it: the worker is freed
    // only when the request ends (on_worker_release).
    ctx_.features.held_workers.hold(r, this, in.node, slot);
    in.held.emplace_back(&r, r.gen);
    return ctx_.flow.next_step(r);
  }
  ctx_.flow.next_step(r);
  free_worker(in, slot);
}

// The worker takes the next waiting request (skipping none: waiting requests only die
// with the whole pool on a crash, which clears the queue).
void MailNode::free_worker(Instance& in, int slot) {
  Waiting next{};
  if (!in.running) return;
  const bool takes_next = in.pools[static_cast<size_t>(slot)].release(next);
  measure(in, slot);
  if (!takes_next) return;
  if (in.pools[static_cast<size_t>(slot)].waiting() == 0)
    ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kPoolRecovered,
                     {{"component", name()}, {"node", ctx_.platform.name_of(in.node)}, {"op", op_name(slot)}});
  run(*next.first);
}

void MailNode::on_worker_release(Request& r, NodeId node, int worker) {
  Instance& in = at(node);
  auto it = std::find_if(in.held.begin(), in.held.end(), [&r](const Waiting& w) { return w.first == &r && w.second == r.gen; });
  if (it == in.held.end()) return;  // the pools were reset since (crash or stop)
  in.held.erase(it);
  free_worker(in, worker);
}

void MailNode::on_node_down(NodeId n) {
  Instance& in = at(n);
  in.running = false;
  ++in.epoch;
  for (auto& pool : in.pools)
    for (auto [r, gen] : pool.clear())
      if (ctx_.flow.alive(*r, gen)) ctx_.flow.orphan(*r);
  measure_all(in);
  // Processes blocked in a later step die with the node: their requests are orphaned, and
  // the blocked call sees its holder gone (HeldWorkers::drop) and abandons them.
  auto held = std::move(in.held);
  in.held.clear();
  for (auto [r, gen] : held)
    if (ctx_.flow.alive(*r, gen)) {
      ctx_.features.held_workers.drop(*r);
      ctx_.flow.orphan(*r);
    }
}

void MailNode::on_node_up(NodeId n) {
  Instance& in = at(n);
  in.running = true;
  reset_pools(in);
}

void MailNode::stop_instance(NodeId n) {
  Instance& in = at(n);
  in.running = false;
  // Blocked processes finish their call (a graceful stop waits for them); their workers
  // are no longer counted once the pools are reset.
  in.held.clear();
  for (auto& pool : in.pools) {
    auto waiting = pool.clear();
    for (auto [r, gen] : waiting)
      if (ctx_.flow.alive(*r, gen)) ctx_.flow.fail(*r, Outcome::kRefused);
  }
  measure_all(in);
}

void MailNode::start_instance(NodeId n) {
  Instance& in = at(n);
  if (in.running) return;
  in.running = true;
  reset_pools(in);
}

std::optional<NodeId> MailNode::resolve_role(const std::string& role) const {
  switch (any_role().at(role)) {
    case AnyRole::kAny:
      for (const auto& in : inst_)
        if (in.running) return in.node;
      break;
  }
  return std::nullopt;
}

bool MailNode::accepts(NodeId n) const {
  int idx = instance_of(n);
  return idx >= 0 && inst_[static_cast<size_t>(idx)].running;
}

nlohmann::json MailNode::resolved_params() const { return mail_node_params().resolved(p_); }

}  // namespace mailsim::models
