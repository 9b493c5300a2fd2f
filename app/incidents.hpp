#pragma once
// Incidents: what a reader of a run wants to know about each bad stretch of a service,
// computed from its per-window series (mailsim.run/1 `services.S.series`) by the rules
// of config/incident_params.hpp (docs/architecture.md#incidents).
//
//  - A window is bad when it had requests and fewer than `min_success` of them got a good
//    answer: ok and no slower than `stall` (a stalled answer is ok for the client's
//    bookkeeping, but the user waited). Timeouts and errors are failed.
//  - Bad windows separated by less than `merge_gap` (good or empty windows between) are
//    one incident; the windows between belong to it. So round robin over a dead backend,
//    which fails every other request and fragments the outage list into hundreds of
//    tiny intervals, is one incident, and so is a VIP move whose clients only stall.
//  - Per incident: start and end (window bounds, to the series' resolution), whether the
//    service recovered (a good window after it) and the time to recover, requests,
//    failed and stalled requests, the share of good answers, and the class: `down` below
//    `down_below`, else `degraded`.
#include <nlohmann/json.hpp>

#include "config/incident_params.hpp"

namespace mailsim::app {

// One service's incidents, in time order: [{start_s, end_s, duration_s, recovered,
// time_to_recover_s (null when not recovered), requests, failed, stalled, good_share,
// class}]. `duration_s` is the run's: an incident open at the end ends there.
nlohmann::json find_incidents(const nlohmann::json& service, const config::IncidentParams& rules, double duration_s);

// "down" > "degraded" > "none": the worst class among a service's incidents.
std::string worst_incident_class(const nlohmann::json& incidents);
// 2 for down, 1 for degraded, 0 for none: for ranking.
int incident_class_rank(const std::string& cls);

}  // namespace mailsim::app
