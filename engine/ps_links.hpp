#pragma once
// Links that share their bandwidth by egalitarian processor sharing (`network: {sharing: ps}`):
// with n messages on a link of bandwidth C, each gets C / n, as TCP flows sharing a link do
// roughly. A message crossing several links is done when it has crossed all of them (each
// link shares independently: not max-min fair across a route), and arrives `latency` later.
//
// How it stays cheap (the same scheme as ProcessorSharingCpu): every message on a link
// progresses at the same rate, so each gets a finish tag in the link's virtual bytes (the
// bytes every message has received since the link was last idle) and messages leave in tag
// order. A link keeps a heap by (tag, order) and one timer for its earliest departure,
// re-armed only when that moves earlier; departures found due while bringing a link up to
// date are applied at their own time.
// Idle fast path: a message whose links are all idle when it leaves gets one timer, at
// latency + bytes / bottleneck, and its links arm no timer. Only when another message joins
// one of its links before it is done does it fall back to its links' timers. On idle links a
// message thus costs one timer, as without sharing.
#include <cstdint>
#include <limits>
#include <vector>

#include "core/callback.hpp"
#include "engine/resources.hpp"
#include "engine/scheduler.hpp"

namespace mailsim::engine {

class PsLinks {
 public:
  PsLinks(Scheduler& sched, const std::vector<double>& bandwidths);
  PsLinks(const PsLinks&) = delete;
  PsLinks& operator=(const PsLinks&) = delete;

  // `bytes` (> 0) leave now over `links` (indices; a link may appear twice, as the backbone
  // does on a reply's route); `arrive` runs `latency` after the last link is done.
  void send(const std::vector<uint32_t>& links, double bytes, double latency, core::Callback arrive);
  // The same for a message whose receiver times its own arrival: its bytes take their share
  // from now on, and the time they take is returned as the current shares give it (exact
  // unless another message joins one of its links before it is done).
  double send_now(const std::vector<uint32_t>& links, double bytes);
  void set_meter(uint32_t link, ResourceMeter* meter) { links_[link].meter = meter; }
  size_t on_link(uint32_t link) const { return links_[link].flows.size(); }

 private:
  struct Flow {
    double tag;    // the link's virtual bytes at which this message has crossed it
    uint64_t seq;  // send order, for ties
    uint32_t transfer;
  };
  struct Link {
    double bandwidth;
    std::vector<Flow> flows;  // a heap: the earliest (tag, seq) at the front
    double work = 0;          // virtual bytes at `updated`
    double updated = 0;
    double armed_at = std::numeric_limits<double>::infinity();
    uint64_t armed_gen = 0;
    ResourceMeter* meter = nullptr;
  };
  struct Transfer {
    core::Callback arrive;
    std::vector<uint32_t> links;
    double latency = 0;
    int pending = 0;     // links not yet crossed
    bool fast = false;   // one timer of its own; its links arm none
    uint32_t gen = 0;    // invalidates the fast timer when it falls back
  };
  double rate(const Link& l) const { return l.bandwidth / static_cast<double>(l.flows.size()); }
  void advance(uint32_t link);
  void depart(Link& l, double at);
  void arm(uint32_t link);
  void fire(uint32_t link, uint64_t gen);
  void slow_down(uint32_t transfer);
  void deliver(uint32_t transfer);
  void measure(Link& l, double at);

  Scheduler& sched_;
  std::vector<Link> links_;
  std::vector<Transfer> transfers_;
  std::vector<uint32_t> free_;
  uint64_t next_seq_ = 0;
};

}  // namespace mailsim::engine
