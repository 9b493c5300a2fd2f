#include "models/replicated_service/replicated_service.hpp"

#include <algorithm>

#include "engine/flow.hpp"

namespace mailsim::models {

using engine::NodeId;
using engine::Outcome;
using engine::Request;

ReplicatedService::ReplicatedService(const config::ComponentSpec& spec, ReplicatedServiceParams params,
                                     engine::Context& ctx)
    : Component(spec.name, ctx.platform.ids_of(spec.nodes)),
      p_(std::move(params)),
      ctx_(ctx),
      ap_(static_cast<int>(spec.nodes.size())),
      up_(spec.nodes.size(), 1) {}

int ReplicatedService::live_count() const { return static_cast<int>(std::count(up_.begin(), up_.end(), 1)); }

void ReplicatedService::quorum_check() {
  const bool ok = live_count() >= quorum_size(p_.quorum, static_cast<int>(up_.size()));
  if (ok == quorum_ok_) return;
  quorum_ok_ = ok;
  ctx_.events.emit(ctx_.sched.now(), ok ? engine::EventKind::kServiceQuorumRestored : engine::EventKind::kServiceQuorumLost,
                   {{"component", name()}, {"live", live_count()}});
}

void ReplicatedService::schedule_promotion(double delay) {
  ap_.set_pending(true);
  const uint64_t g = ++promo_gen_;
  ctx_.sched.after(delay, [this, g] {
    if (g != promo_gen_) return;
    int a = ap_.promote();
    if (a < 0) return;  // nobody live: the first instance back is promoted (back())
    ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kFailoverCompleted,
                     {{"component", name()},
                      {"from", lost_from_ >= 0 ? ctx_.platform.name_of(nodes()[static_cast<size_t>(lost_from_)]) : ""},
                      {"to", ctx_.platform.name_of(nodes()[static_cast<size_t>(a)])}});
    lost_from_ = -1;
  });
}

void ReplicatedService::lose(NodeId n, const std::string& cause) {
  const int i = instance_of(n);
  if (!up_[static_cast<size_t>(i)]) return;
  up_[static_cast<size_t>(i)] = 0;
  if (p_.mode == "quorum") return quorum_check();
  if (ap_.on_down(i)) {
    lost_from_ = i;
    ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kFailoverStarted, {{"component", name()}, {"from", ctx_.platform.name_of(n)}, {"cause", cause}});
    schedule_promotion(p_.detection_delay.seconds + p_.promotion_delay.seconds);
  }
}

void ReplicatedService::back(NodeId n) {
  const int i = instance_of(n);
  if (up_[static_cast<size_t>(i)]) return;
  up_[static_cast<size_t>(i)] = 1;
  if (p_.mode == "quorum") return quorum_check();
  if (ap_.on_up(i)) schedule_promotion(p_.detection_delay.seconds + p_.promotion_delay.seconds);
}

void ReplicatedService::on_request(Request& r) {
  int serve = -1;
  if (p_.mode == "quorum") {
    if (!quorum_ok_) return ctx_.flow.fail(r, Outcome::kUnavailable);
    for (size_t i = 0; i < up_.size() && serve < 0; ++i)
      if (up_[i]) serve = static_cast<int>(i);
  } else {
    serve = ap_.active();
  }
  if (serve < 0) return ctx_.flow.fail(r, Outcome::kUnavailable);
  const NodeId target = nodes()[static_cast<size_t>(serve)];
  auto run = [this](Request& req) {
    if (!accepts(req.at)) return ctx_.flow.fail(req, Outcome::kUnavailable);
    ctx_.flow.run_cpu(req, ctx_.flow.sample_cpu(req), this);
  };
  if (target == r.at) return run(r);
  ctx_.flow.hop(r, target, ctx_.flow.request_bytes(r), run, [this](Request& req) {
    if (req.step == 0) return ctx_.flow.syn_unanswered(req);
    ctx_.flow.fail(req, Outcome::kUnavailable);
  });
}

void ReplicatedService::on_cpu_done(Request& r, bool ok) {
  if (!ok) return ctx_.flow.orphan(r);
  if (p_.mode != "quorum") return ctx_.flow.next_step(r);
  // The coordinator waits for k-1 acknowledgements: the (k-1)-th fastest live replica.
  const int k = quorum_size(p_.quorum, static_cast<int>(up_.size()));
  std::vector<double> rtt;
  for (size_t i = 0; i < up_.size(); ++i) {
    const NodeId n = nodes()[i];
    if (n == r.at || !up_[i]) continue;
    auto there = ctx_.net.transit(r.at, n, ctx_.flow.request_bytes(r));
    auto back = ctx_.net.transit(n, r.at, 64);
    if (there && back) rtt.push_back(*there + *back);
  }
  std::sort(rtt.begin(), rtt.end());
  if (static_cast<int>(rtt.size()) < k - 1) return ctx_.flow.fail(r, Outcome::kUnavailable);
  const double wait = k > 1 ? rtt[static_cast<size_t>(k - 2)] : 0;
  const uint32_t gen = r.gen;
  Request* rp = &r;
  ctx_.sched.after(wait, [this, rp, gen] {
    if (ctx_.flow.alive(*rp, gen) && ctx_.platform.is_up(rp->at)) ctx_.flow.next_step(*rp);
  });
}

std::optional<NodeId> ReplicatedService::resolve_role(const std::string& role) const {
  switch (replicated_service_roles().at(role)) {
    case ReplicatedServiceRole::kActive:
      if (ap_.active() >= 0 && p_.mode != "quorum") return nodes()[static_cast<size_t>(ap_.active())];
      break;
    case ReplicatedServiceRole::kAny:
      for (size_t i = 0; i < up_.size(); ++i)
        if (up_[i]) return nodes()[i];
      break;
  }
  return std::nullopt;
}

bool ReplicatedService::accepts(NodeId n) const {
  int i = instance_of(n);
  return i >= 0 && up_[static_cast<size_t>(i)];
}

nlohmann::json ReplicatedService::resolved_params() const { return replicated_service_params().resolved(p_); }

}  // namespace mailsim::models
