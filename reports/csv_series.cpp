#include "reports/csv_series.hpp"

#include <fmt/format.h>

namespace mailsim::reports {

namespace {
double at(const nlohmann::json& series, const char* key, size_t i) {
  if (!series.contains(key) || series.at(key).size() <= i) return 0;
  return series.at(key).at(i).get<double>();
}
// Service names are [A-Za-z0-9_.-]: no quoting needed; quote anyway if one ever is not.
std::string field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}
}  // namespace

std::string csv_series(const nlohmann::json& run) {
  std::string out =
      "service,window_start_s,window_end_s,requests,ok,failed,availability,latency_mean_ms,latency_max_ms\n";
  if (!run.contains("services")) return out;
  for (const auto& [name, svc] : run.at("services").items()) {
    if (!svc.contains("series")) continue;
    const auto& s = svc.at("series");
    double w = s.value("window_s", 1.0);
    size_t n = s.contains("requests") ? s.at("requests").size() : 0;
    for (size_t i = 0; i < n; ++i) {
      double req = at(s, "requests", i), ok = at(s, "ok", i);
      // An empty window has no availability: left empty rather than 1 or 0.
      std::string avail = req > 0 ? fmt::format("{}", ok / req) : "";
      out += fmt::format("{},{},{},{},{},{},{},{},{}\n", field(name), static_cast<double>(i) * w,
                         static_cast<double>(i + 1) * w, req, ok, at(s, "failed", i), avail,
                         at(s, "latency_mean_ms", i), at(s, "latency_max_ms", i));
    }
  }
  return out;
}

}  // namespace mailsim::reports
