#pragma once
// Tarantool Cartridge's stateful failover, without SimGrid: the membership (SWIM) status of
// one member as the coordinator sees it, the coordinator's decision (cartridge/roles/
// coordinator.lua make_decision) and the leader's fencing watchdog.
#include <optional>
#include <vector>

namespace mailsim::models {

// tarantool/membership: a member that missed a direct ping and the indirect pings is
// suspect; suspect for failover_timeout it is dead; any ack makes it alive again.
enum class SwimStatus { kAlive, kSuspect, kDead };
const char* swim_status_name(SwimStatus s);

class MemberView {
 public:
  // One protocol step ended, acked or not. Returns true when the status changed.
  bool probed(bool acked, double now) {
    if (acked) return set(SwimStatus::kAlive, now);
    if (status_ == SwimStatus::kAlive) return set(SwimStatus::kSuspect, now);
    return false;  // a suspect stays suspect (its timestamp kept), a dead member stays dead
  }
  // membership.lua expire(): suspect for failover_timeout -> dead.
  bool expire(double now, double failover_timeout) {
    if (status_ != SwimStatus::kSuspect || now - since_ < failover_timeout - 1e-9) return false;
    return set(SwimStatus::kDead, now);
  }
  SwimStatus status() const { return status_; }
  double since() const { return since_; }
  void reset() { status_ = SwimStatus::kAlive, since_ = 0; }

 private:
  bool set(SwimStatus s, double now) {
    if (s == status_) return false;
    status_ = s;
    since_ = now;
    return true;
  }
  SwimStatus status_ = SwimStatus::kAlive;
  double since_ = 0;
};

// coordinator.lua healthcheck: a member alive or suspect is healthy.
inline bool healthy(SwimStatus s) { return s != SwimStatus::kDead; }

// The coordinator's current appointment of the replica set.
struct Decision {
  int leader = -1;  // -1: none known (a new replica set)
  double immunity = 0;
};

// coordinator.lua make_decision: keep the current leader while it is immune or healthy;
// otherwise the first healthy instance in the topology's order; with none known yet, the
// first in that order whatever its health. nullopt: no new appointment.
std::optional<int> make_decision(const Decision& current, const std::vector<SwimStatus>& members,
                                 double now);

// Cartridge's fencing watchdog on the leader: every fencing_pause it checks the state
// provider and, when that fails, its replicas; a check passes when the provider answers or
// every replica does. With no passing check for fencing_timeout the leader goes read-only.
class FencingWatch {
 public:
  explicit FencingWatch(double timeout) : timeout_(timeout) {}
  void arm(double now) { last_ok_ = now; }
  // Returns true when the leader must step down now.
  bool checked(bool provider_ok, bool replicas_ok, double now) {
    if (provider_ok || replicas_ok) last_ok_ = now;
    return now - last_ok_ >= timeout_ - 1e-9;
  }

 private:
  double timeout_;
  double last_ok_ = 0;
};

// The coordinator's lock: renewed every lock_delay / 2 while it runs, so a lock whose holder
// died at t expires at its last renewal + lock_delay.
inline double lock_expiry(double died_at, double lock_delay) {
  const double half = lock_delay / 2;
  const double last_renewal = half > 0 ? static_cast<double>(static_cast<long long>(died_at / half)) * half : died_at;
  return last_renewal + lock_delay;
}

}  // namespace mailsim::models
