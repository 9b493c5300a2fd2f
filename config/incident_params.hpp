#pragma once
// The rules that turn a service's per-window series into incidents (app/incidents.hpp,
// docs/architecture.md#incidents): when a window is bad, when a slow answer counts as a
// stall, how close two bad stretches must be to be one incident, and when an incident is
// "down" rather than "degraded". A scenario may change them under `metrics: incidents:`.
#include "config/params.hpp"

namespace mailsim::config {

struct IncidentParams {
  core::Fraction min_success;  // a window whose share of good answers is below this is bad
  core::Duration stall;        // an ok answer slower than this is a stall, not a good answer
  core::Duration merge_gap;    // bad stretches closer than this are one incident
  core::Fraction down_below;   // an incident whose share of good answers is below this is "down"
};

const ParamTable<IncidentParams>& incident_params();

}  // namespace mailsim::config
