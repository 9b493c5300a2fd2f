#pragma once
// What a promotion of an asynchronous replica lost, reported the same way by every store
// that loses commits there (patroni_postgres, mysql_orchestrator): each acknowledged commit to
// the durability ledger, each message a commit had queued to the delivery phase (its client
// had the 250), and one mail.lost event per service that lost mail.
#include <cstdint>
#include <map>
#include <string>

#include "engine/context.hpp"

namespace mailsim::models {

class LostCommits {
 public:
  LostCommits(engine::Context& ctx, int ledger_store) : ctx_(ctx), store_(ledger_store) {}
  // An acknowledged commit of `service`, which queued `message` (0: none), is gone.
  void add(int service, uint64_t message, double acknowledged_at);
  // Emits the mail.lost events (cause: why the commits are gone); returns the commits counted.
  uint64_t report(const std::string& component, const std::string& cause);

 private:
  engine::Context& ctx_;
  int store_;
  uint64_t commits_ = 0;
  std::map<int, uint64_t> messages_;  // by service
};

}  // namespace mailsim::models
