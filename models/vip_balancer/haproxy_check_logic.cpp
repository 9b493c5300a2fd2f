#include "models/vip_balancer/haproxy_check_logic.hpp"

namespace mailsim::models {

CheckChange HaproxyCheckLogic::on_result(bool success) {
  const int full = c_.rise + c_.fall - 1;
  if (success) {
    if (up_) {
      health_ = full;
      return CheckChange::kNone;
    }
    if (++health_ >= c_.rise) {
      up_ = true;
      health_ = full;
      return CheckChange::kMarkedUp;
    }
    return CheckChange::kNone;
  }
  if (!up_) {
    health_ = 0;
    return CheckChange::kNone;
  }
  if (health_ > c_.rise) {
    --health_;
    return CheckChange::kNone;
  }
  up_ = false;
  health_ = 0;
  return CheckChange::kMarkedDown;
}

double HaproxyCheckLogic::next_interval() const {
  const int full = c_.rise + c_.fall - 1;
  if (up_) return health_ < full ? c_.fastinter : c_.inter;
  return health_ > 0 ? c_.fastinter : c_.downinter;
}

}  // namespace mailsim::models
