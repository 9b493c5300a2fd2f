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

std::map<int, uint64_t> SyncBacklog::by_service() const {
  std::map<int, uint64_t> out;
  for (const Item& i : q_) ++out[i.service];
  return out;
}

}  // namespace mailsim::models
