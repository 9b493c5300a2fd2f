#include "engine/network.hpp"

#include <algorithm>

namespace mailsim::engine {

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

std::optional<double> Network::transit(NodeId from, NodeId to, double bytes) {
  if (!platform_.is_up(from)) return std::nullopt;
  if (!cuts_.empty() && cut(from, to)) return std::nullopt;
  double loss = 1 - (1 - loss_[from]) * (1 - loss_[to]);
  // Draw only when a loss applies, so runs without degraded links use no network draws.
  if (loss > 0 && rng_.bernoulli(loss)) return std::nullopt;
  double delay = platform_.latency(from, to) + extra_latency_[from] + extra_latency_[to];
  if (bytes > 0) delay += bytes / platform_.bandwidth(from, to);
  return delay;
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
