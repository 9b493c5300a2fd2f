#include "engine/network.hpp"

#include <algorithm>

namespace mailsim::engine {

Network::Network(const Platform& platform, Scheduler& sched, uint64_t seed)
    : platform_(platform),
      sched_(sched),
      rng_(seed, "network"),
      extra_latency_(platform.node_count() + 1, 0.0),
      loss_(platform.node_count() + 1, 0.0) {
  for (NodeId n = 0; n <= platform.node_count(); ++n) {
    const double bw = platform.host(n).access.bandwidth;
    links_.push_back(Link{bw, 0, {}, nullptr});  // up
    links_.push_back(Link{bw, 0, {}, nullptr});  // down
  }
  links_.push_back(Link{platform.backbone().bandwidth, 0, {}, nullptr});
  if (platform.link_sharing() == config::LinkSharing::kProcessorSharing) {
    std::vector<double> bandwidths;
    for (const Link& l : links_) bandwidths.push_back(l.bandwidth);
    ps_ = std::make_unique<PsLinks>(sched, bandwidths);
  }
}

void Network::account(Resources& resources) {
  for (NodeId n = 0; n <= platform_.node_count(); ++n) {
    const bool clients = n == platform_.clients();
    const std::string base = clients ? "clients.link" : platform_.name_of(n) + ".nic";
    const std::optional<std::string> node = clients ? std::nullopt : std::optional<std::string>(platform_.name_of(n));
    up(n).meter = &resources.add({base + ".up", "link", node, std::nullopt, up(n).bandwidth, "B/s"});
    down(n).meter = &resources.add({base + ".down", "link", node, std::nullopt, down(n).bandwidth, "B/s"});
  }
  links_.back().meter = &resources.add({"backbone", "link", std::nullopt, std::nullopt, links_.back().bandwidth, "B/s"});
  if (!ps_) return;
  for (size_t i = 0; i < links_.size(); ++i) {
    ps_->set_meter(static_cast<uint32_t>(i), links_[i].meter);
    links_[i].meter = nullptr;  // the FIFO state is unused
  }
}

double Network::send_on(Link& link, double bytes, double now) {
  while (!link.starts.empty() && link.starts.front() <= now) link.starts.pop_front();
  const double start = std::max(now, link.free_at);
  const double wait = start - now;
  const double busy = bytes / link.bandwidth;
  link.free_at = start + busy;
  if (wait > 0) link.starts.push_back(start);
  if (link.meter != nullptr) {
    link.meter->add_interval(start, link.free_at, link.bandwidth, 0);
    link.meter->add_served(start);
    if (wait > 0) {
      link.meter->add_interval(now, start, 0, 1);
      link.meter->note_queue(static_cast<double>(link.starts.size()));
    }
  }
  return wait + busy;  // exactly bytes / bandwidth on an idle link
}

bool Network::cut(NodeId from, NodeId to) const {
  for (const auto& c : cuts_) {
    if (c.in_a[from] && c.in_b[to]) return true;
    if (!c.one_way && c.in_b[from] && c.in_a[to]) return true;
  }
  return false;
}

bool Network::reachable(NodeId from, NodeId to) const {
  return platform_.is_up(from) && platform_.is_up(to) && !cut(from, to);
}

std::optional<double> Network::reach(NodeId from, NodeId to) {
  if (!platform_.is_up(from)) return std::nullopt;
  if (!cuts_.empty() && cut(from, to)) return std::nullopt;
  double loss = 1 - (1 - loss_[from]) * (1 - loss_[to]);
  // Draw only when a loss applies, so runs without degraded links use no network draws.
  if (loss > 0 && rng_.bernoulli(loss)) return std::nullopt;
  return platform_.latency(from, to) + extra_latency_[from] + extra_latency_[to];
}

// The route's links carry the message at once; it has arrived when the slowest is done.
double Network::fifo_transfer(NodeId from, NodeId to, double bytes) {
  if (bytes <= 0 || from == to) return 0;
  const double now = sched_.now();
  return std::max({send_on(up(from), bytes, now), send_on(links_.back(), bytes, now), send_on(down(to), bytes, now)});
}

void Network::add_route(NodeId from, NodeId to) {
  if (from == to) return;
  route_.push_back(static_cast<uint32_t>(2 * static_cast<size_t>(from)));
  route_.push_back(static_cast<uint32_t>(links_.size() - 1));
  route_.push_back(static_cast<uint32_t>(2 * static_cast<size_t>(to) + 1));
}

std::optional<double> Network::transit(NodeId from, NodeId to, double bytes) {
  auto delay = reach(from, to);
  if (!delay) return std::nullopt;
  if (!ps_) return *delay + fifo_transfer(from, to, bytes);
  if (bytes <= 0 || from == to) return delay;
  route_.clear();
  add_route(from, to);
  return *delay + ps_->send_now(route_, bytes);
}

bool Network::send(NodeId from, NodeId to, double bytes, core::Callback arrive) {
  auto delay = reach(from, to);
  if (!delay) return false;
  if (!ps_ || bytes <= 0 || from == to) {
    sched_.schedule(sched_.now() + *delay + (ps_ ? 0 : fifo_transfer(from, to, bytes)), std::move(arrive));
    return true;
  }
  route_.clear();
  add_route(from, to);
  ps_->send(route_, bytes, *delay, std::move(arrive));
  return true;
}

bool Network::send_back(const NodeId* path, int hops, double bytes, core::Callback arrive) {
  double latency = 0;
  route_.clear();
  for (int i = hops - 1; i > 0; --i) {
    const NodeId from = path[static_cast<size_t>(i)], to = path[static_cast<size_t>(i - 1)];
    auto d = reach(from, to);
    if (!d) return false;
    latency += *d;
    if (!ps_) {
      latency += fifo_transfer(from, to, bytes);  // each hop's transfer, summed as before sharing
    } else if (bytes > 0) {
      add_route(from, to);
    }
  }
  if (route_.empty()) {
    sched_.schedule(sched_.now() + latency, std::move(arrive));
  } else {
    ps_->send(route_, bytes, latency, std::move(arrive));
  }
  return true;
}

int Network::add_cut(std::vector<NodeId> group_a, std::vector<NodeId> group_b, bool one_way) {
  size_t n = static_cast<size_t>(platform_.node_count()) + 1;
  Cut c{next_cut_id_++, std::vector<char>(n, 0), std::vector<char>(n, 0), one_way};
  for (NodeId a : group_a) c.in_a[a] = 1;
  for (NodeId b : group_b) c.in_b[b] = 1;
  cuts_.push_back(std::move(c));
  return cuts_.back().id;
}

void Network::remove_cut(int id) {
  cuts_.erase(std::remove_if(cuts_.begin(), cuts_.end(), [id](const Cut& c) { return c.id == id; }), cuts_.end());
}

}  // namespace mailsim::engine
