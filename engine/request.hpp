#pragma once
// One request on its way through a service's steps: where it is, the path back, and the
// routing state the Flow and proxies need. Requests are pooled by the Flow; a request's
// generation changes when it is recycled, so timers holding a pointer check (pointer,
// generation) before touching it. State that only some services use (a client session, an
// MTA's message, a delivery attempt, a held worker) lives in the step plug-in that owns it
// (step_features.hpp), in a table indexed by the request's pool slot.
#include <array>
#include <cstdint>

#include "engine/platform.hpp"

namespace mailsim::engine {

class Component;

struct Request {
  static constexpr int kMaxHops = 16;

  uint32_t slot = 0;    // index in the Flow's pool, fixed for the object's life: plug-ins key their state on it
  uint32_t gen = 0;     // bumped on recycle
  uint64_t seq = 0;     // arrival sequence number within its service (0 for a delivery attempt)
  int service = 0;
  int step = 0;         // index of the step being served
  int last_step = 0;    // the last step this request runs (a client request stops at the queue step)
  double t_start = 0;
  // The client's user, for balancers that pin users to servers (`balance: user_hash`, as
  // dovecot director does): a session's owner, else one user per request.
  uint64_t user = 0;
  NodeId at = 0;        // where the request is now
  NodeId target = -1;   // instance chosen for this step by a proxy, or -1
  std::array<NodeId, kMaxHops> path{};  // nodes visited, first one first: the reply goes back this way
  int hops = 0;

  // The proxy (balancer) that forwarded this request, for sessions orphaned by a dead server.
  Component* proxy = nullptr;
  NodeId proxy_node = -1;
  int proxy_server = -1;
  int attempts = 0;
  int syn_retransmits = 0;  // client TCP: SYNs re-sent so far for this request
  // Where the current step began, for a client-side connection retry (Flow::syn_unanswered).
  NodeId step_entry_at = 0;
  int step_entry_hops = 1;
  NodeId step_entry_target = -1;
};

}  // namespace mailsim::engine
