#include "engine/overload_detector.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mailsim::engine {

nlohmann::json Overload::to_json() const {
  return {{"at_s", at_s}, {"service", service}, {"measure", measure}, {"since_s", since_s},
          {"value", value}, {"limit", limit}};
}

std::string Overload::text() const {
  if (measure == "backlog")
    return fmt::format("{}: {:.0f} requests in flight at {:g} s (limit {:.0f}: 3/4 of arrival rate x client timeout), "
                       "since {:g} s",
                       service, value, at_s, limit, since_s);
  return fmt::format("{}: {:.0f}% of finished requests given up on at {:g} s (limit {:.0f}%), since {:g} s", service,
                     100 * value, at_s, 100 * limit, since_s);
}

OverloadDetector::OverloadDetector(std::vector<std::string> services, std::vector<double> timeouts, double window)
    : services_(std::move(services)), timeouts_(std::move(timeouts)), window_(window), history_(services_.size()) {}

std::optional<Overload> OverloadDetector::observe(double t, const std::vector<ServiceProgress>& now) {
  if (!started_) {
    last_ = now;
    last_t_ = t;
    started_ = true;
    return std::nullopt;
  }
  std::optional<Overload> found;
  for (size_t s = 0; s < services_.size(); ++s) {
    const ServiceProgress& a = last_[s];
    const ServiceProgress& b = now[s];
    const double arrived = static_cast<double>(b.arrivals - a.arrivals);
    const double finished = static_cast<double>(b.finished - a.finished);
    const double given_up = static_cast<double>(b.given_up - a.given_up);
    const bool answering = b.ok_answers > a.ok_answers;
    const double limit = kBacklogShare * arrived / std::max(t - last_t_, 1e-9) * timeouts_[s];
    Sample x{t,
             answering && arrived > 0 && static_cast<double>(b.in_flight) >= std::max(limit, 1.0),
             answering && finished > 0 && given_up >= kGivenUpShare * finished,
             static_cast<double>(b.in_flight), limit, finished > 0 ? given_up / finished : 0.0};
    auto& h = history_[s];
    h.push_back(x);
    const double span = std::max(kSustainWindows * window_, timeouts_[s] / 2);
    // Keep the samples of the last `span` seconds, and the one that starts it.
    while (h.size() > 1 && h[1].t <= t - span + 1e-9) h.pop_front();
    if (found || h.front().t > t - span + 1e-9) continue;
    auto held = [&](bool Sample::*m) { return std::all_of(h.begin(), h.end(), [m](const Sample& y) { return y.*m; }); };
    if (held(&Sample::backlog))
      found = Overload{t, services_[s], "backlog", h.front().t, x.backlog_value, x.backlog_limit};
    else if (held(&Sample::timeouts))
      found = Overload{t, services_[s], "timeouts", h.front().t, x.given_up_share, kGivenUpShare};
  }
  last_ = now;
  last_t_ = t;
  return found;
}

}  // namespace mailsim::engine
