#include "models/storage_triple/storage_triple_logic.hpp"

namespace mailsim::models {

TripleLayout::TripleLayout(int nodes) : up_(static_cast<size_t>(nodes), 1) {
  for (int g = 0; g + 2 < nodes; g += 3) {
    pairs_.emplace_back(g, g + 1);
    pairs_.emplace_back(g + 1, g + 2);
    pairs_.emplace_back(g + 2, g);
  }
  resyncing_.assign(pairs_.size(), 0);
}

PairState TripleLayout::state(int pair) const {
  auto [a, b] = pairs_[static_cast<size_t>(pair)];
  const int live = node_up(a) + node_up(b);
  if (live == 0) return PairState::kUnavailable;
  if (live == 1 || resyncing(pair)) return PairState::kReadOnly;
  return PairState::kReadWrite;
}

std::vector<int> TripleLayout::pairs_of(int node) const {
  std::vector<int> out;
  for (int p = 0; p < pair_count(); ++p)
    if (pairs_[static_cast<size_t>(p)].first == node || pairs_[static_cast<size_t>(p)].second == node) out.push_back(p);
  return out;
}

int TripleLayout::pick_write_pair() {
  for (size_t k = 0; k < pairs_.size(); ++k) {
    size_t p = (rr_ + k) % pairs_.size();
    if (state(static_cast<int>(p)) == PairState::kReadWrite) {
      rr_ = p + 1;
      return static_cast<int>(p);
    }
  }
  return -1;
}

}  // namespace mailsim::models

namespace mailsim::models {

double PairResync::seconds(double bytes, double round_trip, double route_bandwidth, double disk_write_bandwidth) {
  const double bw = route_bandwidth < disk_write_bandwidth ? route_bandwidth : disk_write_bandwidth;
  return round_trip + (bytes > 0 ? bytes / bw : 0);
}

}  // namespace mailsim::models
