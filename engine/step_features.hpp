#pragma once
// The Flow's step plug-ins, one per feature a service's steps or its clients may use. Each
// lives in its own file with its own per-request state (a table indexed by Request::slot);
// a service attaches those it uses (Flow::attach), in the order below, which is the order
// their hooks run when a request ends. Model shells reach them as ctx.features.
//  - held_workers  `hold_worker` on a step           held_workers.hpp
//  - delivery      a service's `queue:`/`delivery:`  delivery_phase.hpp
//  - sessions      a load's `session:`               client_sessions.hpp
//  - senders       a load's `sender:` (MTA retries)  mta_senders.hpp
//  - cache_skip    `fallback`/`on_hit_skip`          cache_skip.hpp (no hooks)
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "config/scenario.hpp"
#include "config/topology.hpp"
#include "engine/cache_skip.hpp"
#include "engine/client_sessions.hpp"
#include "engine/delivery_phase.hpp"
#include "engine/held_workers.hpp"
#include "engine/mta_senders.hpp"

namespace mailsim::engine {

struct StepFeatures {
  StepFeatures(Flow& flow, Scheduler& sched, const Platform& platform, DurabilityLedger& ledger, uint64_t seed)
      : cache_skip(flow), sessions(flow, sched, seed), senders(flow, sched), delivery(flow, sched, platform, ledger) {}

  HeldWorkers held_workers;
  CacheSkip cache_skip;
  ClientSessions sessions;
  MtaSenders senders;
  DeliveryPhase delivery;

  std::vector<const FlowFeature*> with_hooks() const { return {&held_workers, &delivery, &sessions, &senders}; }
};

// What a component's model lets step options do (models/registry.cpp says it per model).
struct StepRoles {
  bool cache = false;        // `fallback`/`on_hit_skip` may act on its steps
  bool worker_pool = false;  // a next step's `hold_worker` may keep one of its workers busy
};

// Every step option must act where it is written, else InputError at its step (exit 2):
// `fallback` on a cache's step, `hold_worker` after a step of a component with a worker
// pool (never on a first step).
void check_step_options(const config::Topology& topo, const std::function<StepRoles(const config::ComponentSpec&)>& roles);

}  // namespace mailsim::engine
