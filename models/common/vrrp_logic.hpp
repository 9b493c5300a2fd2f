#pragma once
// VRRP as keepalived runs it (RFC 3768 for version 2, RFC 5798 for version 3): the state
// machine of one router for one virtual router id. No SimGrid here: events in, actions out.
//
// Timers (RFC 3768 section 6.1 / RFC 5798 section 6.1):
//   Skew_Time = (256 - Priority) / 256 s                          (v2)
//             = ((256 - Priority) * Master_Adver_Interval) / 256  (v3)
//   Master_Down_Interval = 3 * Advertisement_Interval + Skew_Time
// A backup that hears no advertisement for Master_Down_Interval becomes master. A master
// that shuts down sends one advertisement with priority 0, and backups then wait only
// Skew_Time. Ties in priority go to the higher primary address. A master that hears a
// lower-priority master answers with an advertisement and a gratuitous ARP, as keepalived's
// vrrp_state_master_rx does ("Received lower prio advert, forcing new election"), which
// ends a split brain once the two sides hear each other again.
//
// preempt_delay (keepalived.conf(5); keepalived vrrp.c, vrrp_state_backup): a backup that
// could preempt (preempt, and a higher priority than the master's) accepts a lower-priority
// master's advertisements for preempt_delay after it started as a backup, or after it first
// heard that master, and only then lets its master-down timer run out. A master of equal or
// higher priority stops the delay.
#include <optional>

namespace mailsim::models {

enum class VrrpState { kInit, kBackup, kMaster };

// Built from a model's params (vrrp_config in vip_balancer_params.hpp); the defaults live
// only in the params table.
struct VrrpConfig {
  int version{};
  double advert_int{};  // seconds
  int priority{};       // 1..254 (255 = address owner)
  bool preempt{};
  int address{};        // primary address, for tie-breaks
  double preempt_delay{};  // seconds; 0: preempt at once
};

struct VrrpActions {
  bool send_advert = false;
  int advert_priority = 0;
  bool acquire_vip = false;  // became master: take the VIP and send gratuitous ARP
  bool release_vip = false;  // left master: drop the VIP
  bool refresh_arp = false;  // still master: send gratuitous ARP again
  std::optional<double> arm_master_down;  // (re)arm the master-down timer with this delay
  bool cancel_master_down = false;
  std::optional<double> arm_advert;       // (re)arm the advertisement timer
  bool cancel_advert = false;
};

class VrrpLogic {
 public:
  explicit VrrpLogic(VrrpConfig c) : c_(c), master_adver_int_(c.advert_int) {}

  VrrpState state() const { return state_; }
  double skew_time() const;
  double master_down_interval() const { return 3 * master_adver_int_ + skew_time(); }

  // as_master: start as the winner of an election that happened before the simulated
  // time began (the run starts in steady state); otherwise as the RFC's Init -> Backup.
  // `now` (seconds) is read only by preempt_delay.
  VrrpActions startup(bool as_master = false, double now = 0);
  VrrpActions shutdown();  // graceful (keepalived stopping); a crash is just reset()
  void reset() { state_ = VrrpState::kInit; }
  VrrpActions on_advert(int priority, int sender_address, double advert_int, double now = 0);
  VrrpActions on_master_down_timer();
  VrrpActions on_advert_timer();

 private:
  VrrpActions become_master();
  // A lower-priority master's advertisement is still accepted: preempt_delay is running.
  bool delays_preemption(int priority, double now);
  VrrpConfig c_;
  VrrpState state_ = VrrpState::kInit;
  double master_adver_int_;  // v3: learnt from the master's advertisements
  std::optional<double> preempt_at_;  // preempt_delay running: the time it ends
};

}  // namespace mailsim::models
