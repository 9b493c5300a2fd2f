#pragma once
// One client request on its way through a service's steps. Requests are pooled by the
// Flow; a request's generation changes when it is recycled, so timers holding a pointer
// check (pointer, generation) before touching it.
#include <array>
#include <cstdint>

#include "engine/message_stats.hpp"
#include "engine/platform.hpp"

namespace mailsim::engine {

class Component;

struct Request {
  static constexpr int kMaxHops = 16;

  uint64_t seq = 0;     // arrival sequence number within its service
  uint32_t gen = 0;     // bumped on recycle
  int service = 0;
  int step = 0;         // index of the step being served
  double t_start = 0;
  NodeId at = 0;        // where the request is now
  NodeId target = -1;   // instance chosen for this step by a proxy, or -1
  std::array<NodeId, kMaxHops> path{};  // nodes visited, clients first: the reply goes back this way
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
  // MTA clients: the message this attempt carries, and whether the sender has already
  // decided this attempt's fate (it gives up at its timeout).
  MessageState message;
  bool sender_decided = false;
  // A delivery attempt (a service's `delivery:` steps) of the queued message `message_id`,
  // started by the node that queued it (path[0]); not a client request.
  bool delivery = false;
  uint64_t message_id = 0;  // 0: none yet (Flow::message_id names it)
  // A command of a client session (a load's `session:`), or -1; its user, for balancers
  // that pin users to servers (`balance: user_hash`, as dovecot director does).
  int32_t session = -1;
  uint64_t user = 0;

  // A worker kept busy for this request by an earlier step (a step with `hold_worker`):
  // the Flow tells the holder when the request ends (Component::on_worker_release).
  Component* worker_holder = nullptr;
  NodeId worker_node = -1;
  int worker_slot = -1;
};

}  // namespace mailsim::engine
