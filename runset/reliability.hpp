#pragma once
// `mailsim reliability`: long-horizon Monte Carlo over failure and repair events only
// (DESIGN.md decision 8). No request is simulated in the loop: what a failure costs each
// service comes from request-level runs of that failure (outage_profile below), so the
// timing of failovers has one source of truth, the models.
//
// Per replication, every node alternates up/down with its own time to failure and time
// to repair; every zone with a failure process takes all its nodes down at once. A node
// is down while its own failure or its zone's lasts. Per service:
//   - it is DOWN while every node of one of its cut sets is down;
//   - otherwise, at each node failure it loses `crash_loss_s[node]` equivalent seconds
//     (the failover, measured), while the node is down it loses `degraded_fraction[node]`
//     of its requests, and when the node returns it loses `repair_loss_s[node]` (e.g. a
//     VIP preempted back).
// Unavailability = (down time + losses) / horizon. `structural` unavailability counts the
// cut-set down time only: the difference is the failover tax.
//
// Estimation: batches of `reps` independent replications of `horizon_s`, each batch with
// its own random stream (seed, "reliability.batch.B"), so any batch can be computed
// anywhere (shards, forked workers) and the result depends only on the batch sequence.
// After each batch from `min_batches` on, the 95% confidence interval of each service's
// availability (Student t over batch means) is checked; the estimate stops at the first
// batch where every half-width <= precision x that service's unavailability, or at
// `max_batches`.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/rng.hpp"

namespace mailsim::runset {

// The `y` of lifetimes and horizons: 365 days, in seconds.
constexpr double kYear = 365.0 * 86400.0;

// A random duration: exponential, Weibull (shape k) or lognormal (sigma), by its mean;
// or none (never happens).
struct Lifetime {
  enum class Kind { kNone, kExponential, kWeibull, kLognormal };
  Kind kind = Kind::kNone;
  double mean_s = 0;
  double shape = 1;  // Weibull k, or lognormal sigma
  double scale_ = 0;  // Weibull scale (mean / Gamma(1 + 1/k)), precomputed
  double sample(core::RngStream& rng) const;
  std::string text() const;
};
// "exponential 8760h", "weibull 8760h 0.7", "lognormal 6h 1.5", "none"; durations with
// mailsim units (us ms s m h d) or `y` (365 d). Errors are core::InputError at `origin`.
Lifetime parse_lifetime(const std::string& text, const std::string& origin);

struct ReliabilityModel {
  std::vector<std::string> nodes;
  std::vector<int> node_zone;  // index in zones, or -1
  std::vector<Lifetime> ttf, ttr;  // per node
  std::vector<std::string> zones;
  std::vector<Lifetime> zone_ttf, zone_ttr;
  struct Service {
    std::string name;
    std::vector<std::vector<int>> cut_sets;  // node indexes
    std::vector<double> crash_loss_s, repair_loss_s, degraded_fraction;  // per node
  };
  std::vector<Service> services;

  nlohmann::json to_json() const;
  static ReliabilityModel from_json(const nlohmann::json& j);
};

struct BatchResult {
  std::vector<double> unavail_s, structural_s;  // per service, summed over replications
  uint64_t events = 0;
};

BatchResult simulate_batch(const ReliabilityModel& m, uint64_t seed, uint64_t batch, int reps, double horizon_s);

// What a single-node failure costs each service, from a request-level run that crashes
// the node at `at_s` and restarts it at `at_s + for_s`, against a baseline run without
// faults. Returns per service {down, degraded_fraction, crash_loss_s, repair_loss_s}.
nlohmann::json outage_profile(const nlohmann::json& run, const nlohmann::json& baseline,
                              const std::vector<std::string>& services, double at_s, double for_s, double tail_s);

struct ReliabilitySettings {
  uint64_t seed = 1;
  int reps = 100;            // replications per batch
  double horizon_s = 0;      // per replication
  int min_batches = 30;
  int max_batches = 1000;
  int chunk_batches = 10;    // batches per forked job / shard item
  double precision = 0.1;    // relative half-width on unavailability
};

nlohmann::json reliability_set(const ReliabilityModel& m, const ReliabilitySettings& s, const nlohmann::json& extra);
// One shard item: chunk c = batches [c*chunk, (c+1)*chunk).
nlohmann::json reliability_item(const nlohmann::json& set, size_t chunk);
// The result document (mailsim.reliability/1; rendered by reports/reliability_table.hpp)
// from a prefix of chunks in order; sets *complete to whether the stopping rule (or
// max_batches) was reached within them.
nlohmann::json reliability_finalize(const nlohmann::json& set, const std::vector<nlohmann::json>& items,
                                    bool* complete = nullptr);

// Closed forms for tests and docs: one repairable unit, and k-of-n identical units.
double availability_single(double mttf, double mttr);
double availability_k_of_n(int k, int n, double a);

}  // namespace mailsim::runset
