#include "models/nfs/nfs_logic.hpp"

#include <algorithm>

namespace mailsim::models {

RpcTimeouts::RpcTimeouts(double timeo, int retrans, double max_timeout)
    : init_(std::min(timeo, max_timeout)),
      max_(std::max(init_, std::min(init_ * (retrans + 1), max_timeout))),
      major_len_(max_),
      cur_(init_) {}

RpcTimeouts::Tick RpcTimeouts::next() {
  // xprt_request_timeout: min(now + rq_timeout, rq_majortimeo).
  const double major_at = cycle_start_ + major_len_;
  double at = std::min(t_ + cur_, major_at);
  bool major = at >= major_at - 1e-9;
  t_ = at;
  if (major) {  // xprt_adjust_timeout: back to timeo, new major deadline
    cycle_start_ = at;
    cur_ = init_;
  } else {
    cur_ = std::min(cur_ + init_, max_);
  }
  return {at, major};
}

void ReplicationLedger::acknowledged(const std::string& service, double t) {
  auto& q = acks_[service];
  q.push_back(t);
  while (!q.empty() && q.front() <= t - lag_) q.pop_front();
}

std::map<std::string, uint64_t> ReplicationLedger::unreplicated_at(double t_loss) const {
  std::map<std::string, uint64_t> out;
  for (const auto& [svc, q] : acks_) {
    uint64_t n = 0;
    for (double t : q)
      if (t > t_loss - lag_ && t <= t_loss) ++n;
    if (n > 0) out[svc] = n;
  }
  return out;
}

void ReplicationLedger::forget_before(double t) {
  for (auto& [svc, q] : acks_)
    while (!q.empty() && q.front() <= t - lag_) q.pop_front();
}

}  // namespace mailsim::models
