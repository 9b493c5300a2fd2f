#pragma once
// One health probe from a checker to a server's endpoint, through the simulated network, as
// a haproxy check or a client's connect does it: the probe travels to the server; a dead or
// unreachable host stays silent (the checker gives up at its connect deadline); a live host
// answers with what its endpoint says (`check`: "tcp" asks whether the process accepts
// connections, another name asks the component's HTTP endpoint, e.g. Patroni's GET
// /primary); an answer arriving after the deadline counts as a failure.
#include <cstdint>
#include <functional>
#include <string>

#include "engine/component.hpp"
#include "engine/context.hpp"

namespace mailsim::models {

enum class ProbeResult : uint8_t {
  kOk,      // the endpoint answered yes (connection accepted, HTTP 200)
  kFailed,  // the host answered no: a reset (process not running) or a non-200 status
  kSilent   // no answer by the deadline: dead or unreachable host, or a late answer
};

struct ProbeDeadlines {
  double connect;  // absolute time: no connection by then (silent host) is a failure
  double answer;   // absolute time: the answer must arrive by then
};

// `finish_at(t, result)` is called exactly once, synchronously or from a scheduled event, with
// the time at which the checker learns the result; the caller schedules its reaction at t.
//
// vip_balancer's haproxy check keeps its own copy of this path: moving it here changed the
// order of same-date events in SimGrid's timer heap (keyed on the date only) and so the
// goldens of balancer-only runs; unify it with a deliberate golden change.
void probe_endpoint(engine::Context& ctx, engine::NodeId from, engine::NodeId server, const engine::Component& backend,
                    const std::string& check, double bytes, ProbeDeadlines deadlines,
                    std::function<void(double t, ProbeResult result)> finish_at);

}  // namespace mailsim::models
