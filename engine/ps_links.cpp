#include "engine/ps_links.hpp"

#include <algorithm>

namespace mailsim::engine {

namespace {
// Departures within this much time of each other (or of the clock) are one instant, as
// SimGrid's surf/precision and ProcessorSharingCpu do.
constexpr double kSameInstant = 1e-9;

bool later(const auto& a, const auto& b) { return a.tag != b.tag ? a.tag > b.tag : a.seq > b.seq; }
}  // namespace

PsLinks::PsLinks(Scheduler& sched, const std::vector<double>& bandwidths) : sched_(sched) {
  for (double bw : bandwidths) links_.push_back(Link{bw});
}

void PsLinks::measure(Link& l, double at) {
  if (l.meter == nullptr) return;
  const double n = static_cast<double>(l.flows.size());
  l.meter->update(at, n > 0 ? l.bandwidth : 0, std::max(0.0, n - 1));
}

// Brings the link up to now: the messages whose tag is reached leave, each at its own time
// (the rate rises after each), then the survivors progress to now.
void PsLinks::advance(uint32_t link) {
  Link& l = links_[link];
  const double now = sched_.now();
  while (!l.flows.empty()) {
    const double at = l.updated + (l.flows.front().tag - l.work) / rate(l);
    if (at > now + kSameInstant) break;
    l.work = l.flows.front().tag;
    l.updated = std::min(std::max(l.updated, at), now);
    depart(l, l.updated);
  }
  if (l.flows.empty()) {
    l.work = 0;  // idle: a new epoch, so tags keep the precision of one message's bytes
  } else {
    l.work += (now - l.updated) * rate(l);
  }
  l.updated = now;
}

void PsLinks::depart(Link& l, double at) {
  std::pop_heap(l.flows.begin(), l.flows.end(), later<Flow, Flow>);
  const uint32_t id = l.flows.back().transfer;
  l.flows.pop_back();
  measure(l, at);
  Transfer& t = transfers_[id];
  if (--t.pending > 0 || t.fast) return;  // a fast transfer's own timer delivers it
  sched_.at(std::max(sched_.now(), at + t.latency), [this, id] { deliver(id); });
}

// A live timer at or before the next departure stays: it re-arms when it fires.
void PsLinks::arm(uint32_t link) {
  Link& l = links_[link];
  if (l.flows.empty()) return;
  const double t = l.updated + std::max(0.0, l.flows.front().tag - l.work) / rate(l);
  if (l.armed_at <= t) return;
  l.armed_at = t;
  const uint64_t gen = ++l.armed_gen;
  sched_.at(t, [this, link, gen] { fire(link, gen); });
}

void PsLinks::fire(uint32_t link, uint64_t gen) {
  Link& l = links_[link];
  if (gen != l.armed_gen) return;
  l.armed_at = std::numeric_limits<double>::infinity();
  advance(link);
  arm(link);
}

// Another message joined one of a fast transfer's links: its own timer no longer holds, so
// each link it is still on times its departure.
void PsLinks::slow_down(uint32_t id) {
  Transfer& t = transfers_[id];
  t.fast = false;
  ++t.gen;
  for (uint32_t link : t.links) arm(link);
}

void PsLinks::send(const std::vector<uint32_t>& links, double bytes, double latency, core::Callback arrive) {
  uint32_t id;
  if (free_.empty()) {
    id = static_cast<uint32_t>(transfers_.size());
    transfers_.emplace_back();
  } else {
    id = free_.back();
    free_.pop_back();
  }
  bool idle = true;
  double slowest = 0;
  for (uint32_t link : links) {
    advance(link);
    Link& l = links_[link];
    if (!l.flows.empty()) {
      idle = false;
      // A fast transfer on it arms no timer: from now on its links time it.
      if (l.armed_at == std::numeric_limits<double>::infinity()) slow_down(l.flows.front().transfer);
    }
    // A link the route crosses k times (the backbone, on a reply's way back) carries the
    // message k times at once: alone, each copy crosses it in k bytes / bandwidth.
    const auto copies = std::count(links.begin(), links.end(), link);
    slowest = std::max(slowest, static_cast<double>(copies) * bytes / l.bandwidth);
  }
  Transfer& t = transfers_[id];
  t.arrive = std::move(arrive);
  t.links = links;
  t.latency = latency;
  t.pending = static_cast<int>(links.size());
  t.fast = idle;
  const uint32_t gen = ++t.gen;
  const double now = sched_.now();
  for (uint32_t link : links) {
    Link& l = links_[link];
    if (l.meter != nullptr) l.meter->served(now);
    l.flows.push_back(Flow{l.work + bytes, next_seq_++, id});
    std::push_heap(l.flows.begin(), l.flows.end(), later<Flow, Flow>);
    measure(l, now);
  }
  if (!idle) {
    for (uint32_t link : links) arm(link);
    return;
  }
  sched_.at(now + slowest + latency, [this, id, gen] {
    Transfer& tr = transfers_[id];
    if (tr.gen != gen) return;  // fell back to its links' timers
    for (uint32_t link : tr.links) advance(link);  // it is alone on them: it leaves each
    // Not done on one (rounding, or a message that joined a link a slowed-down transfer had
    // armed): that link's timer delivers it.
    if (tr.pending > 0) return slow_down(id);
    deliver(id);
  });
}

// With no further arrival, each message ahead on a link gets the same rate as this one until
// it leaves: this one is done when min(its remaining bytes, bytes) of each and its own bytes
// have crossed.
double PsLinks::send_now(const std::vector<uint32_t>& links, double bytes) {
  double slowest = 0;
  for (uint32_t link : links) {
    advance(link);
    const Link& l = links_[link];
    double ahead = 0;
    for (const Flow& f : l.flows) ahead += std::min(f.tag - l.work, bytes);
    slowest = std::max(slowest, (ahead + bytes) / l.bandwidth);
  }
  send(links, bytes, 0, core::Callback());
  return slowest;
}

void PsLinks::deliver(uint32_t id) {
  core::Callback arrive = std::move(transfers_[id].arrive);
  free_.push_back(id);
  if (arrive) arrive();  // send_now's messages: their receivers time the arrival
}

}  // namespace mailsim::engine
