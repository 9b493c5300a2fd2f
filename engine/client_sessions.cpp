#include "engine/client_sessions.hpp"

namespace mailsim::engine {

ClientSessions::ClientSessions(Flow& flow, Scheduler& sched, uint64_t seed)
    : flow_(flow), sched_(sched), think_rng_(seed, "session.think") {}

ClientSessions::Stats& ClientSessions::stats(int svc) {
  if (stats_.size() <= static_cast<size_t>(svc)) stats_.resize(static_cast<size_t>(svc) + 1);
  auto& s = stats_[static_cast<size_t>(svc)];
  if (!s) s = std::make_unique<Stats>();
  return *s;
}

void ClientSessions::start(int svc, const config::LoadSpec::Session& spec, uint64_t user) {
  ++stats(svc).started;
  int32_t id;
  if (free_.empty()) {
    id = static_cast<int32_t>(sessions_.size());
    sessions_.emplace_back();
  } else {
    id = free_.back();
    free_.pop_back();
  }
  sessions_[static_cast<size_t>(id)] = Session{svc, spec.commands, user, &spec, {}, -1, false};
  command(id);
}

void ClientSessions::command(int32_t id) {
  Session& se = sessions_[static_cast<size_t>(id)];
  // A command after a broken connection opens a new one through the VIP.
  if (se.started && se.pin.server < 0) ++stats(se.svc).reconnects;
  se.started = true;
  Request& r = flow_.arrive(se.svc);
  if (of_.size() <= r.slot) of_.resize(r.slot + 1, -1);
  of_[r.slot] = id;
  r.user = se.user;
  flow_.begin(r);
}

bool ClientSessions::on_finish(Request& r, Outcome o) {
  const int32_t id = session_of(r);
  if (id < 0) return false;
  of_[r.slot] = -1;
  outcome(id, o == Outcome::kOk && sched_.now() - r.t_start <= flow_.service(r.service).timeout);
  return false;
}

void ClientSessions::outcome(int32_t id, bool ok) {
  Session& se = sessions_[static_cast<size_t>(id)];
  Stats& st = stats(se.svc);
  if (!ok && se.pin.server >= 0) {
    ++st.broken;  // the connection is gone: the next command reconnects
    se.pin = {};
    se.pin_step = -1;
  }
  if (--se.remaining <= 0) {
    ++st.completed;
    free_.push_back(id);
    return;
  }
  const double at = sched_.now() + se.spec->think.sample(think_rng_);
  if (at >= load_end_) {  // the measured period is over: the client logs out
    ++st.cut_at_end;
    free_.push_back(id);
    return;
  }
  sched_.at(at, [this, id] { command(id); });
}

ClientSessions::Pin ClientSessions::pinned(int32_t id, int step) const {
  const Session& se = sessions_[static_cast<size_t>(id)];
  return se.pin_step == step ? se.pin : Pin{};
}

void ClientSessions::pin_at(int32_t id, int step, NodeId node, int server) {
  Session& se = sessions_[static_cast<size_t>(id)];
  if (se.pin_step >= 0 && se.pin_step != step) return;  // pinned at an earlier balancer
  se.pin = {node, server};
  se.pin_step = step;
}

void ClientSessions::report(int svc, nlohmann::json& service) const {
  if (static_cast<size_t>(svc) >= stats_.size() || !stats_[static_cast<size_t>(svc)]) return;
  const Stats& s = *stats_[static_cast<size_t>(svc)];
  service["sessions"] = {{"started", s.started},
                         {"completed", s.completed},
                         {"cut_at_end", s.cut_at_end},
                         {"broken", s.broken},
                         {"reconnects", s.reconnects}};
}

}  // namespace mailsim::engine
