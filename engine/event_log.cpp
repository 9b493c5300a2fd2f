#include "engine/event_log.hpp"

namespace mailsim::engine {

nlohmann::json EventLog::to_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : events_) {
    nlohmann::json j = e.fields;
    j["t_s"] = e.t_s;
    j["kind"] = e.kind;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace mailsim::engine
