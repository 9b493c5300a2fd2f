#pragma once
// The run's event timeline (vip.acquired, backend.down, node.crashed, ...). State changes
// only, never per-request events, so it stays small; a cap bounds it all the same. Every
// kind is declared in engine/event_catalogue.hpp; emit() checks the fields against it.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/event_catalogue.hpp"

namespace mailsim::engine {

struct Event {
  double t_s;
  EventKind kind;
  nlohmann::json fields;  // object: component, node, ... as the catalogue declares them
};

class EventLog {
 public:
  explicit EventLog(size_t cap = 200000) : cap_(cap) {}
  // Throws core::InternalError when `fields` do not match the kind's declaration (an
  // undeclared or missing field, a wrong type): a bug at the emit site. The check runs in
  // every build: events are state changes, a few per failover, not per request.
  void emit(double t, EventKind kind, nlohmann::json fields = nlohmann::json::object());
  const std::vector<Event>& events() const { return events_; }
  size_t dropped() const { return dropped_; }
  // `{t_s, kind (the catalogue's name), fields...}` per event, in time order.
  nlohmann::json to_json() const;

 private:
  size_t cap_;
  size_t dropped_ = 0;
  std::vector<Event> events_;
};

}  // namespace mailsim::engine
