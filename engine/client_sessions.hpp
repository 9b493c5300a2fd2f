#pragma once
// Step plug-in for a load's `session:`: each arrival is a client session of `commands`
// requests, one after another, `think` apart, over one connection (IMAP: login, select,
// fetch, ...). A balancer asks pin() which server the session's connection is on (server -1:
// none yet, or it broke) and calls pin_session() once it connected one; a failed command
// breaks the connection and the next one reconnects through the VIP. Sessions send no
// command after the load's end, so every command ends within the run.
#include <cstdint>
#include <memory>
#include <vector>

#include "config/scenario.hpp"
#include "core/rng.hpp"
#include "engine/flow.hpp"

namespace mailsim::engine {

class ClientSessions final : public FlowFeature {
 public:
  ClientSessions(Flow& flow, Scheduler& sched, uint64_t seed);
  void set_load_end(double t) { load_end_ = t; }
  // Service svc's load comes as sessions: its requests are watched.
  void add_service(int svc) { flow_.attach(svc, this); }

  // A new session of service svc, owned by `user`, sends its first command now.
  void start(int svc, const config::LoadSpec::Session& spec, uint64_t user);

  struct Pin {
    NodeId node = -1;  // the balancer instance holding the connection
    int server = -1;
  };
  // Both run for every request through a balancer: requests of services without sessions
  // leave at the first test (their slots were never given a session).
  Pin pin(const Request& r) const {
    const int32_t id = session_of(r);
    return id < 0 ? Pin{} : pinned(id, r.step);
  }
  void pin_session(const Request& r, NodeId node, int server) {
    const int32_t id = session_of(r);
    if (id >= 0) pin_at(id, r.step, node, server);
  }

  bool on_finish(Request& r, Outcome o) override;
  void report(int svc, nlohmann::json& service) const override;

 private:
  struct Session {
    int svc = 0;
    int remaining = 0;  // commands still to send, this one included
    uint64_t user = 0;
    const config::LoadSpec::Session* spec = nullptr;
    Pin pin;
    int pin_step = -1;  // the step whose balancer holds the connection
    bool started = false;
  };
  struct Stats {
    uint64_t started = 0, completed = 0, broken = 0, reconnects = 0;
    uint64_t cut_at_end = 0;  // sessions whose next command would start after the load ends
  };
  Pin pinned(int32_t id, int step) const;
  void pin_at(int32_t id, int step, NodeId node, int server);
  void command(int32_t id);
  void outcome(int32_t id, bool ok);
  int32_t session_of(const Request& r) const { return r.slot < of_.size() ? of_[r.slot] : -1; }
  Stats& stats(int svc);

  Flow& flow_;
  Scheduler& sched_;
  core::RngStream think_rng_;
  double load_end_ = 1e300;
  std::vector<Session> sessions_;
  std::vector<int32_t> free_;
  std::vector<int32_t> of_;                     // by request slot: its session, or -1
  std::vector<std::unique_ptr<Stats>> stats_;   // by service, once a session started
};

}  // namespace mailsim::engine
