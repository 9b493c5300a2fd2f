#pragma once
// The run's event timeline (vip.acquired, backend.down, node.crashed, ...). State changes
// only, never per-request events, so it stays small; a cap bounds it all the same.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace mailsim::engine {

struct Event {
  double t_s;
  std::string kind;
  nlohmann::json fields;  // object: component, node, ...
};

class EventLog {
 public:
  explicit EventLog(size_t cap = 200000) : cap_(cap) {}
  void emit(double t, std::string kind, nlohmann::json fields = nlohmann::json::object()) {
    if (events_.size() >= cap_) {
      ++dropped_;
      return;
    }
    events_.push_back({t, std::move(kind), std::move(fields)});
  }
  const std::vector<Event>& events() const { return events_; }
  size_t dropped() const { return dropped_; }
  nlohmann::json to_json() const;

 private:
  size_t cap_;
  size_t dropped_ = 0;
  std::vector<Event> events_;
};

}  // namespace mailsim::engine
