#include "app/incidents.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace mailsim::app {

namespace {

// The series' column `key`, or zeros (a result written before the column existed).
std::vector<double> column(const nlohmann::json& series, const char* key, size_t n) {
  std::vector<double> v(n, 0.0);
  if (!series.contains(key)) return v;
  const auto& a = series[key];
  for (size_t i = 0; i < n && i < a.size(); ++i) v[i] = a[i].get<double>();
  return v;
}

}  // namespace

nlohmann::json find_incidents(const nlohmann::json& service, const config::IncidentParams& rules, double duration_s) {
  nlohmann::json out = nlohmann::json::array();
  if (!service.contains("series")) return out;
  const auto& s = service["series"];
  const size_t n = s.contains("requests") ? s["requests"].size() : 0;
  const double w = s.value("window_s", 1.0);
  const auto req = column(s, "requests", n), ok = column(s, "ok", n), failed = column(s, "failed", n),
             stalled = column(s, "stalled", n);
  auto good = [&](size_t i) { return ok[i] - stalled[i]; };
  auto bad = [&](size_t i) { return req[i] > 0 && good(i) < rules.min_success.value * req[i]; };

  auto close = [&](size_t first, size_t last) {
    double r = 0, f = 0, st = 0, g = 0;
    for (size_t i = first; i <= last; ++i) {
      r += req[i];
      f += failed[i];
      st += stalled[i];
      g += good(i);
    }
    bool recovered = false;
    for (size_t i = last + 1; i < n && !recovered; ++i) recovered = req[i] > 0 && !bad(i);
    const double start = static_cast<double>(first) * w;
    const double end = std::min(duration_s, static_cast<double>(last + 1) * w);
    const double share = r > 0 ? g / r : 1.0;
    out.push_back({{"start_s", start},
                   {"end_s", end},
                   {"duration_s", end - start},
                   {"recovered", recovered},
                   {"time_to_recover_s", recovered ? nlohmann::json(end - start) : nlohmann::json(nullptr)},
                   {"requests", static_cast<uint64_t>(r)},
                   {"failed", static_cast<uint64_t>(f)},
                   {"stalled", static_cast<uint64_t>(st)},
                   {"good_share", share},
                   {"class", share < rules.down_below.value ? "down" : "degraded"}});
  };

  bool open = false;
  size_t first = 0, last = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!bad(i)) continue;
    // The gap is the time between the end of the last bad window and the start of this
    // one; adjacent bad windows are one stretch whatever the merge gap.
    const double gap = static_cast<double>(i - last - 1) * w;
    if (open && (gap == 0 || gap < rules.merge_gap.seconds)) {
      last = i;
      continue;
    }
    if (open) close(first, last);
    open = true;
    first = last = i;
  }
  if (open) close(first, last);
  return out;
}

std::string worst_incident_class(const nlohmann::json& incidents) {
  std::string worst = "none";
  for (const auto& i : incidents) {
    const std::string c = i.value("class", "none");
    if (incident_class_rank(c) > incident_class_rank(worst)) worst = c;
  }
  return worst;
}

int incident_class_rank(const std::string& cls) { return cls == "down" ? 2 : cls == "degraded" ? 1 : 0; }

}  // namespace mailsim::app
