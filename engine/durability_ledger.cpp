#include "engine/durability_ledger.hpp"

#include <algorithm>

namespace mailsim::engine {

int DurabilityLedger::add_store(const std::string& name, Holds holds) {
  stores_.push_back({name, holds, {}, {}});
  return static_cast<int>(stores_.size()) - 1;
}

template <class F>
void DurabilityLedger::update(int store, int service, F f) {
  Store& s = stores_.at(static_cast<size_t>(store));
  f(s.all);
  if (service < 0) return;
  const auto i = static_cast<size_t>(service);
  if (s.by_service.size() <= i) s.by_service.resize(i + 1);
  f(s.by_service[i]);
}

void DurabilityLedger::acknowledged(int store, int service, double) {
  update(store, service, [](Counts& c) { ++c.acknowledged; });
}

void DurabilityLedger::lost(int store, int service, double first, double last, uint64_t n) {
  if (n == 0) return;
  update(store, service, [&](Counts& c) {
    c.lost += n;
    c.lost_first = std::min(c.lost_first, first);
    c.lost_last = std::max(c.lost_last, last);
  });
}

void DurabilityLedger::duplicated(int store, int service) {
  update(store, service, [](Counts& c) { ++c.duplicated; });
}

void DurabilityLedger::still_queued(int store, int service, uint64_t n) {
  update(store, service, [n](Counts& c) { c.queued += n; });
}

nlohmann::json DurabilityLedger::Counts::to_json() const {
  nlohmann::json j = {{"acknowledged", acknowledged}, {"lost", lost}, {"duplicated", duplicated}, {"queued", queued}};
  j["lost_acknowledged_window_s"] = lost > 0 ? nlohmann::json::array({lost_first, lost_last}) : nlohmann::json(nullptr);
  return j;
}

nlohmann::json DurabilityLedger::finish(const std::vector<std::string>& service_names) {
  auto checks = std::move(at_end_);
  at_end_.clear();
  for (auto& check : checks) check();
  nlohmann::json out = nlohmann::json::object();
  for (const Store& s : stores_) {
    nlohmann::json j = s.all.to_json();
    j["holds"] = s.holds == Holds::kMessages ? "messages" : "commits";
    nlohmann::json services = nlohmann::json::object();
    for (size_t i = 0; i < s.by_service.size() && i < service_names.size(); ++i)
      if (s.by_service[i].any()) services[service_names[i]] = s.by_service[i].to_json();
    j["services"] = std::move(services);
    out[s.name] = std::move(j);
  }
  return out;
}

}  // namespace mailsim::engine
