#include "engine/service_metrics.hpp"

#include <algorithm>
#include <cmath>

namespace mailsim::engine {

double series_window(double window, double duration) { return std::max(window, duration / kMaxSeriesWindows); }

ServiceMetrics::ServiceMetrics(double timeout, double window, double duration, double stall)
    : timeout_(timeout),
      window_(series_window(window, duration)),
      stall_(stall),
      series_(static_cast<size_t>(std::ceil(duration / window_)) + 1) {}

uint64_t ServiceMetrics::on_arrival(double t) {
  pending_.push_back({t, 0, Outcome::kOk, false});
  return base_seq_ + pending_.size() - 1;
}

void ServiceMetrics::on_outcome(uint64_t seq, Outcome o, double now) {
  if (o == Outcome::kOk) ++ok_answers_;  // late or not: the servers still work
  if (seq < base_seq_) return;  // already resolved as a timeout: the client had given up
  Slot& s = pending_[seq - base_seq_];
  if (s.done) return;
  s.done = true;
  s.latency = now - s.t_start;
  s.outcome = o;
  if (s.latency > timeout_) {
    s.latency = timeout_;
    s.outcome = Outcome::kTimeout;
  }
  flush(now, false);
}

void ServiceMetrics::flush(double now, bool end_of_run) {
  while (!pending_.empty()) {
    Slot& s = pending_.front();
    if (!s.done) {
      if (now - s.t_start >= timeout_) {
        s.done = true;
        s.latency = timeout_;
        s.outcome = Outcome::kTimeout;
      } else if (end_of_run) {
        ++unfinished_;  // still within its timeout when the run ended: not counted
        pending_.pop_front();
        ++base_seq_;
        continue;
      } else {
        break;
      }
    }
    resolve(s);
    pending_.pop_front();
    ++base_seq_;
  }
  if (end_of_run && in_outage_) {
    if (outages_.size() < kMaxOutages) outages_.push_back(current_);
    else ++outages_dropped_;
    in_outage_ = false;
  }
}

namespace {
// Failures that say the servers could not keep up, not that something was down.
bool given_up(Outcome o) { return o == Outcome::kTimeout || o == Outcome::kServerTimeout || o == Outcome::kOverload; }
}  // namespace

ServiceProgress ServiceMetrics::progress(double now) const {
  ServiceProgress p;
  p.arrivals = arrivals();
  p.ok_answers = ok_answers_;
  p.finished = requests_;
  for (size_t i = 0; i < by_outcome_.size(); ++i)
    if (given_up(static_cast<Outcome>(i))) p.given_up += by_outcome_[i];
  for (const Slot& s : pending_) {
    const bool timed_out = !s.done && now - s.t_start >= timeout_;
    if (!s.done && !timed_out) {
      ++p.in_flight;
      continue;
    }
    ++p.finished;
    if (timed_out || given_up(s.outcome)) ++p.given_up;
  }
  return p;
}

void ServiceMetrics::resolve(const Slot& s) {
  ++requests_;
  ++by_outcome_[static_cast<size_t>(s.outcome)];
  size_t w = std::min(series_.size() - 1, static_cast<size_t>(s.t_start / window_));
  WindowStats& ws = series_[w];
  ++ws.requests;
  bool ok = s.outcome == Outcome::kOk;
  if (ok) {
    ++ok_;
    latency_.add(s.latency);
    ++ws.ok;
    ws.latency_sum += s.latency;
    ws.latency_max = std::max(ws.latency_max, s.latency);
    if (s.latency > stall_) {
      ++ws.stalled;
      ++stalled_;
    }
  } else {
    ++ws.failed;
  }
  // Outages over arrival order: from the first failed arrival to the next ok arrival.
  if (!ok) {
    if (!in_outage_) current_ = {s.t_start, s.t_start, 0};
    in_outage_ = true;
    current_.end_s = s.t_start;
    ++current_.failed;
  } else if (in_outage_) {
    current_.end_s = s.t_start;
    if (outages_.size() < kMaxOutages) outages_.push_back(current_);
    else ++outages_dropped_;
    in_outage_ = false;
  }
}

nlohmann::json ServiceMetrics::to_json() const {
  nlohmann::json j;
  j["requests"] = requests_;
  j["ok"] = ok_;
  j["failed"] = requests_ - ok_;
  j["unfinished_at_end"] = unfinished_;
  j["stalled"] = stalled_;
  j["availability"] = requests_ ? static_cast<double>(ok_) / static_cast<double>(requests_) : 1.0;
  nlohmann::json failures = nlohmann::json::object();
  for (size_t i = 1; i < by_outcome_.size(); ++i)
    if (by_outcome_[i]) failures[outcome_name(static_cast<Outcome>(i))] = by_outcome_[i];
  j["failures"] = failures;
  auto ms = [](double s) { return std::round(s * 1e6) / 1e3; };  // ms with us resolution
  j["latency_ms"] = {{"mean", ms(latency_.mean())},        {"p50", ms(latency_.quantile(0.5))},
                     {"p90", ms(latency_.quantile(0.9))},  {"p99", ms(latency_.quantile(0.99))},
                     {"p999", ms(latency_.quantile(0.999))}, {"max", ms(latency_.max())}};
  nlohmann::json outages = nlohmann::json::array();
  double longest = 0;
  for (const auto& o : outages_) {
    outages.push_back({{"start_s", o.start_s}, {"end_s", o.end_s}, {"failed", o.failed}});
    longest = std::max(longest, o.end_s - o.start_s);
  }
  j["outages"] = outages;
  j["outage_max_s"] = longest;
  if (outages_dropped_) j["outages_dropped"] = outages_dropped_;
  // Time series: parallel arrays, one entry per window, compact in JSON.
  nlohmann::json ts;
  ts["window_s"] = window_;
  std::vector<uint32_t> req, ok, failed, stalled;
  std::vector<double> mean_ms, max_ms;
  size_t last = series_.size();
  while (last > 0 && series_[last - 1].requests == 0) --last;
  for (size_t i = 0; i < last; ++i) {
    const auto& w = series_[i];
    req.push_back(w.requests);
    ok.push_back(w.ok);
    failed.push_back(w.failed);
    stalled.push_back(w.stalled);
    mean_ms.push_back(w.ok ? ms(w.latency_sum / w.ok) : 0);
    max_ms.push_back(ms(w.latency_max));
  }
  ts["requests"] = req;
  ts["ok"] = ok;
  ts["failed"] = failed;
  ts["stalled"] = stalled;
  ts["latency_mean_ms"] = mean_ms;
  ts["latency_max_ms"] = max_ms;
  j["series"] = std::move(ts);
  return j;
}

}  // namespace mailsim::engine
