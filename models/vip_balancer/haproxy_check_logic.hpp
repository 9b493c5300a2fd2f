#pragma once
// haproxy's health-check state for one server, as in haproxy's src/check.c and
// src/server.c: a health counter in [0, rise + fall - 1]; the server is UP while the
// counter is at least `rise`. A server starts UP with health = rise ("up, but will fall down
// at first failure", src/server.c), a success while UP restores full health, a failure
// while UP lowers it until it drops below `rise`, when the server is marked DOWN and health
// goes to 0; successes while DOWN raise it until `rise`, when the server is marked UP.
// No SimGrid here.
namespace mailsim::models {

// Built from the params (check_config in vip_balancer_params.hpp); the defaults live only
// in the params table.
struct CheckConfig {
  double inter{};      // seconds
  double fastinter{};  // while UP but not fully healthy, or DOWN and rising
  double downinter{};  // while DOWN
  int rise{};
  int fall{};
};

enum class CheckChange { kNone, kMarkedUp, kMarkedDown };

class HaproxyCheckLogic {
 public:
  explicit HaproxyCheckLogic(CheckConfig c) : c_(c), health_(c.rise) {}

  bool up() const { return up_; }
  int health() const { return health_; }
  CheckChange on_result(bool success);
  // Delay before the next check, after the previous one ended (haproxy reschedules the
  // check task at the end of a check).
  double next_interval() const;
  void start_down() {  // steady state at t = 0 for a server whose check already fails
    up_ = false;
    health_ = 0;
  }
  void reset() {  // process restart: back to the initial state
    up_ = true;
    health_ = c_.rise;
  }

 private:
  CheckConfig c_;
  bool up_ = true;
  int health_;
};

}  // namespace mailsim::models
