#pragma once
// Compares a run result with an earlier one (`mailsim run ... --baseline OLD.json`) and
// flags regressions beyond tolerances, for CI trend tracking (docs/reports.md#baselines):
// availability down, p99 latency, longest outage or failover time up, a failover that no
// longer completes, more acknowledged mail lost, a service or failover that vanished.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mailsim::reports {

// How much worse a value may get before it is flagged. A rise is allowed up to
// max(old * relative, absolute).
struct Rise {
  double relative = 0;
  double absolute_s = 0;
};

struct Tolerances {
  double availability_drop = 0.0001;  // absolute: 0.01 percentage points
  Rise p99{0.10, 0.001};              // +10%, and at least 1 ms
  Rise outage_max{0.10, 0.010};       // +10%, and at least 10 ms
  Rise failover_time{0.10, 0.010};    // +10%, and at least 10 ms
  double lost_messages = 0;           // any new lost acknowledged message
};

// Applies one `--tolerance KEY=VALUE`: availability=0.1% (percentage points),
// p99|outage_max|failover_time=10% (relative) or =50ms (absolute), lost_acknowledged_messages=N.
// Throws core::InputError (position "<command line>") on a bad spec.
void set_tolerance(Tolerances& t, const std::string& spec);

struct Regression {
  std::string what;    // "availability(smtp)"
  std::string detail;  // "99.99% -> 99.80% (tolerance 0.01 points)"
};

std::vector<Regression> compare_with_baseline(const nlohmann::json& old_run, const nlohmann::json& new_run,
                                              const Tolerances& t);

// The earlier run result of `--baseline FILE`; core::InputError when the file is not one.
nlohmann::json read_baseline(const std::string& file);
// What `mailsim run --baseline FILE` prints: "regressions against FILE:" and one line per
// regression, or "no regression against FILE" (nothing when quiet).
std::string regressions_text(const std::vector<Regression>& regressions, const std::string& file, bool quiet);

}  // namespace mailsim::reports
