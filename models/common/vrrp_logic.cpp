#include "models/common/vrrp_logic.hpp"

namespace mailsim::models {

double VrrpLogic::skew_time() const {
  double base = c_.version == 3 ? master_adver_int_ : 1.0;
  return (256.0 - c_.priority) * base / 256.0;
}

VrrpActions VrrpLogic::become_master() {
  VrrpActions a;
  state_ = VrrpState::kMaster;
  a.send_advert = true;
  a.advert_priority = c_.priority;
  a.acquire_vip = true;
  a.arm_advert = c_.advert_int;
  a.cancel_master_down = true;
  return a;
}

VrrpActions VrrpLogic::startup(bool as_master, double now) {
  master_adver_int_ = c_.advert_int;
  if (as_master || c_.priority == 255) return become_master();
  VrrpActions a;
  state_ = VrrpState::kBackup;
  preempt_at_.reset();
  if (c_.preempt_delay > 0) preempt_at_ = now + c_.preempt_delay;  // keepalived: entering BACKUP
  a.arm_master_down = master_down_interval();
  return a;
}

VrrpActions VrrpLogic::shutdown() {
  VrrpActions a;
  if (state_ == VrrpState::kMaster) {
    a.send_advert = true;
    a.advert_priority = 0;
    a.release_vip = true;
  }
  a.cancel_advert = true;
  a.cancel_master_down = true;
  state_ = VrrpState::kInit;
  return a;
}

bool VrrpLogic::delays_preemption(int priority, double now) {
  if (c_.preempt_delay <= 0) return false;
  if (priority >= c_.priority) {  // no preemption to delay: the delay stops
    preempt_at_.reset();
    return false;
  }
  if (!preempt_at_) preempt_at_ = now + c_.preempt_delay;  // first heard: the delay starts
  return now < *preempt_at_;
}

VrrpActions VrrpLogic::on_advert(int priority, int sender_address, double advert_int, double now) {
  VrrpActions a;
  if (state_ == VrrpState::kBackup) {
    const bool delayed = priority != 0 && delays_preemption(priority, now);
    if (priority == 0) {
      a.arm_master_down = skew_time();
    } else if (!c_.preempt || priority >= c_.priority || delayed) {
      if (c_.version == 3) master_adver_int_ = advert_int;
      a.arm_master_down = master_down_interval();
    }
    // else: a lower-priority master and we preempt (after preempt_delay): let the timer
    // run out.
  } else if (state_ == VrrpState::kMaster) {
    if (priority == 0) {
      a.send_advert = true;
      a.advert_priority = c_.priority;
      a.arm_advert = c_.advert_int;
    } else if (priority > c_.priority || (priority == c_.priority && sender_address > c_.address)) {
      state_ = VrrpState::kBackup;
      if (c_.version == 3) master_adver_int_ = advert_int;
      a.cancel_advert = true;
      a.release_vip = true;
      a.arm_master_down = master_down_interval();
    } else {
      a.send_advert = true;
      a.advert_priority = c_.priority;
      a.arm_advert = c_.advert_int;
      a.refresh_arp = true;
    }
  }
  return a;
}

VrrpActions VrrpLogic::on_master_down_timer() {
  if (state_ != VrrpState::kBackup) return {};
  return become_master();
}

VrrpActions VrrpLogic::on_advert_timer() {
  VrrpActions a;
  if (state_ != VrrpState::kMaster) return a;
  a.send_advert = true;
  a.advert_priority = c_.priority;
  a.arm_advert = c_.advert_int;
  return a;
}

}  // namespace mailsim::models
