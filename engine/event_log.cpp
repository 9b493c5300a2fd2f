#include "engine/event_log.hpp"

namespace mailsim::engine {

void EventLog::emit(double t, EventKind kind, nlohmann::json fields) {
  check_event_fields(event_spec(kind), fields);
  if (events_.size() >= cap_) {
    ++dropped_;
    return;
  }
  events_.push_back({t, kind, std::move(fields)});
}

nlohmann::json EventLog::to_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : events_) {
    nlohmann::json j = e.fields;
    j["t_s"] = e.t_s;
    j["kind"] = std::string(event_name(e.kind));
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace mailsim::engine
