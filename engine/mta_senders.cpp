#include "engine/mta_senders.hpp"

#include <algorithm>

namespace mailsim::engine {

void MtaSenders::add_service(int svc, const config::SenderParams& sender, core::RngStream rng) {
  if (stats_.size() <= static_cast<size_t>(svc)) stats_.resize(static_cast<size_t>(svc) + 1);
  // Each message comes from a sending MTA of its own, whose queue runs start at a phase of
  // their own within queue_run_delay.
  stats_[static_cast<size_t>(svc)] = std::make_unique<MessageStats>(sender, rng, MessageStats::Phase::kPerMessage);
  flow_.attach(svc, this);
}

void MtaSenders::start(int svc) { attempt(svc, stats_[static_cast<size_t>(svc)]->first(sched_.now())); }

void MtaSenders::attempt(int svc, const MessageState& m) {
  Request& r = flow_.arrive(svc);
  if (attempt_of_.size() <= r.slot) attempt_of_.resize(r.slot + 1);
  attempt_of_[r.slot] = {m, false};
  // The sending MTA gives up on this attempt at its timeout and defers the message.
  const uint32_t gen = r.gen;
  Request* rp = &r;
  sched_.after(flow_.service(svc).timeout, [this, rp, gen] {
    if (flow_.alive(*rp, gen) && !attempt_of_[rp->slot].decided) outcome(*rp, false);
  });
  flow_.begin(r);
}

bool MtaSenders::on_finish(Request& r, Outcome o) {
  const bool ok = o == Outcome::kOk && sched_.now() - r.t_start <= flow_.service(r.service).timeout;
  if (!attempt_of_[r.slot].decided) outcome(r, ok);
  else if (ok) stats_[static_cast<size_t>(r.service)]->duplicate();
  return false;
}

void MtaSenders::outcome(Request& r, bool ok) {
  attempt_of_[r.slot].decided = true;
  MessageStats& stats = *stats_[static_cast<size_t>(r.service)];
  if (ok) return stats.accepted(attempt_of_[r.slot].message, sched_.now());
  MessageState m = attempt_of_[r.slot].message;
  auto at = stats.deferred(m, sched_.now());
  if (!at) return;  // bounced
  latest_retry_at_ = std::max(latest_retry_at_, *at);
  const int svc = r.service;
  sched_.at(*at, [this, svc, m, &stats] {
    stats.retry_started();
    attempt(svc, m);
  });
}

int64_t MtaSenders::pending() const {
  int64_t n = 0;
  for (const auto& s : stats_)
    if (s) n += s->pending();
  return n;
}

void MtaSenders::report(int svc, nlohmann::json& service) const {
  if (serves(svc)) service["messages"] = stats_[static_cast<size_t>(svc)]->to_json();
}

}  // namespace mailsim::engine
