#include "models/scylla/scylla.hpp"

#include <algorithm>

#include "engine/flow.hpp"
#include "models/common/endpoint_probe.hpp"
#include "models/scylla/scylla_logic.hpp"

namespace mailsim::models {

using engine::NodeId;
using engine::Outcome;
using engine::Request;

Scylla::Scylla(const config::ComponentSpec& spec, ScyllaParams params, engine::Context& ctx)
    : Component(spec.name, ctx.platform.ids_of(spec.nodes)),
      p_(std::move(params)),
      ctx_(ctx),
      running_(spec.nodes.size(), 1),
      heard_(spec.nodes.size() * spec.nodes.size(), 0.0),
      conviction_(conviction_delay(p_.phi_convict_threshold, p_.gossip_interval.seconds)),
      need_(replicas_needed(p_.consistency, static_cast<int>(spec.nodes.size()))) {}

void Scylla::start() {
  ctx_.sched.after(p_.gossip_interval.seconds, [this] { gossip_round(); });
}

void Scylla::set_running(NodeId node, bool up) {
  const int i = instance_of(node);
  running_[static_cast<size_t>(i)] = up ? 1 : 0;
  if (!up) return;
  // A node that boots starts its detector afresh: it has heard everyone "now".
  for (size_t j = 0; j < n(); ++j) heard_[static_cast<size_t>(i) * n() + j] = ctx_.sched.now();
}

void Scylla::gossip_round() {
  ctx_.sched.after(p_.gossip_interval.seconds, [this] { gossip_round(); });
  for (size_t i = 0; i < n(); ++i) {
    if (!running_[i]) continue;
    for (size_t j = 0; j < n(); ++j) {
      if (j == i) continue;
      auto d = ctx_.net.transit(nodes()[i], nodes()[j], p_.gossip_bytes.bytes);
      if (!d) continue;
      ctx_.sched.after(*d, [this, i, j] {
        if (running_[j] && ctx_.platform.is_up(nodes()[j])) heard_[j * n() + i] = ctx_.sched.now();
      });
    }
  }
}

bool Scylla::believes_alive(int i, int j) const {
  if (i == j) return true;
  return ctx_.sched.now() - heard_[static_cast<size_t>(i) * n() + static_cast<size_t>(j)] <=
         conviction_;
}

// The driver's control connection is to the first node that answers it; the nodes that
// node convicted are down for the driver (STATUS_CHANGE events). The others form the query
// plan, starting at the next node in round robin.
std::vector<int> Scylla::query_plan(NodeId caller) {
  int control = -1;
  for (size_t i = 0; i < n() && control < 0; ++i)
    if (running_[i] && ctx_.net.reachable(caller, nodes()[i])) control = static_cast<int>(i);
  std::vector<int> plan;
  for (size_t k = 0; k < n(); ++k) {
    const int c = static_cast<int>((next_ + k) % n());
    if (control < 0 || believes_alive(control, c)) plan.push_back(c);
  }
  next_ = (next_ + 1) % n();
  return plan;
}

void Scylla::on_request(Request& r) {
  try_coordinator(r, query_plan(r.at), 0);
}

// The driver connects to the plan's k-th node: a refusal or silence until its connect
// timeout moves it to the next.
void Scylla::try_coordinator(Request& r, std::vector<int> plan, size_t k) {
  if (k >= plan.size())
    return ctx_.flow.fail(r, Outcome::kConnectFailed);  // NoNodeAvailableException
  const int c = plan[k];
  const NodeId node = nodes()[static_cast<size_t>(c)];
  if (node == r.at) return coordinate(r, c);
  const double give_up = ctx_.sched.now() + p_.driver_connect_timeout.seconds;
  const uint32_t gen = r.gen;
  Request* rp = &r;
  probe_endpoint(ctx_, r.at, node, *this, "tcp", p_.gossip_bytes.bytes, {give_up, give_up},
                 [this, rp, gen, plan = std::move(plan), k, c](double t, ProbeResult res) mutable {
                   ctx_.sched.at(t, [this, rp, gen, plan = std::move(plan), k, c, res]() mutable {
                     if (!ctx_.flow.alive(*rp, gen)) return;
                     if (res != ProbeResult::kOk)
                       return try_coordinator(*rp, std::move(plan), k + 1);
                     coordinate(*rp, c);
                   });
                 });
}

// Connected: the request travels to the coordinator, which runs the step's CPU.
void Scylla::coordinate(Request& r, int c) {
  const NodeId node = nodes()[static_cast<size_t>(c)];
  auto run = [this, c](Request& req) {
    if (!running_[static_cast<size_t>(c)])
      return ctx_.flow.fail(req, Outcome::kRefused);  // stopped since the connect
    ctx_.flow.run_cpu(req, ctx_.flow.sample_cpu(req), this);
  };
  if (node == r.at) return run(r);
  ctx_.flow.hop(r, node, ctx_.flow.request_bytes(r), run,
                [this](Request& req) { ctx_.flow.lose(req); });
}

void Scylla::on_cpu_done(Request& r, bool ok) {
  if (!ok) return ctx_.flow.orphan(r);
  const int c = instance_of(r.at);
  int alive = 0;
  for (size_t j = 0; j < n(); ++j) alive += believes_alive(c, static_cast<int>(j)) ? 1 : 0;
  if (alive < need_) return ctx_.flow.fail(r, Outcome::kUnavailable);  // UnavailableException
  if (need_ == 1) return ctx_.flow.next_step(r);
  // The coordinator asks the replicas it believes alive and waits for need - 1 answers.
  std::vector<double> answers;
  for (size_t j = 0; j < n(); ++j) {
    if (static_cast<int>(j) == c || !believes_alive(c, static_cast<int>(j))) continue;
    auto there = ctx_.net.transit(r.at, nodes()[j], ctx_.flow.request_bytes(r));
    if (!there || !running_[j] || !ctx_.platform.is_up(nodes()[j])) continue;  // no answer
    auto back = ctx_.net.transit(nodes()[j], r.at, 64);
    if (back) answers.push_back(*there + *back);
  }
  std::sort(answers.begin(), answers.end());
  const bool write = static_cast<ScyllaOp>(ctx_.flow.op_slot(r)) == ScyllaOp::kWrite;
  const bool enough = static_cast<int>(answers.size()) >= need_ - 1;
  const double wait =
      enough ? answers[static_cast<size_t>(need_ - 2)]
             : (write ? p_.write_request_timeout.seconds : p_.read_request_timeout.seconds);
  const uint32_t gen = r.gen;
  Request* rp = &r;
  ctx_.sched.after(wait, [this, rp, gen, enough] {
    if (!ctx_.flow.alive(*rp, gen) || !ctx_.platform.is_up(rp->at)) return;
    if (enough) return ctx_.flow.next_step(*rp);
    ctx_.flow.fail(*rp, Outcome::kTimeout);  // ReadTimeout / WriteTimeout
  });
}

bool Scylla::accepts(NodeId node) const {
  const int i = instance_of(node);
  return i >= 0 && running_[static_cast<size_t>(i)];
}

std::optional<NodeId> Scylla::resolve_role(const std::string& role) const {
  (void)scylla_roles().at(role);
  for (size_t i = 0; i < n(); ++i)
    if (running_[i]) return nodes()[i];
  return std::nullopt;
}

nlohmann::json Scylla::resolved_params() const {
  return scylla_params().resolved(p_);
}

}  // namespace mailsim::models
