#pragma once
// How much harm one run did to one service, and the one order in which compare and
// explore rank runs by it (issue 16, docs/analysis.md#impact):
//
//  1. lost availability over the run: the share of the run's requests that got no ok
//     answer. A permanent partial loss (a webmail left at 58% for the rest of the run)
//     outweighs a longer outage the service recovers from, which a ranking by the longest
//     single outage gets backwards;
//  2. then the worst incident class (app/incidents.hpp): down > degraded > none, so among
//     runs that failed as few requests, the one where clients hung ranks first;
//  3. then lost acknowledged mail.
// The longest outage breaks the remaining ties, so the order is total and deterministic.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace mailsim::app {

struct Impact {
  double availability = 1;     // ok / requests over the run
  std::string incident_class;  // "down", "degraded" or "none": the worst incident's
  uint64_t lost_mail = 0;      // acknowledged messages this service lost
  double outage_max_s = 0;     // the longest run of consecutive failures

  double lost_availability() const { return 1 - availability; }
};

// The impact recorded in a run result's `services.S` (mailsim.run/1).
Impact service_impact(const nlohmann::json& service);

// Whether `a` did strictly more harm than `b`, by the order above.
bool more_harmful(const Impact& a, const Impact& b);

}  // namespace mailsim::app
