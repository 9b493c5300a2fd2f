#pragma once
// The interface between the engine and a model's SimGrid shell. A component is one named
// instance of a model placed on one or more nodes (its instances).
//
// Lifecycle (called by the run loop and the fault injector, never by the model itself):
//  - start(): at time 0, every instance boots.
//  - on_node_down(n): the host crashed: the instance loses all state that is not on disk.
//    SimGrid reports the Execs that were running there as failed (on_cpu_done(ok=false)),
//    possibly after this call. No goodbye messages are sent.
//  - on_node_up(n): the host is back; the instance boots as after a fresh start.
//  - stop_instance(n) / start_instance(n): graceful stop (the software's own shutdown
//    path, e.g. keepalived's priority-0 advert) and start of one instance on a live host.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "config/sender_params.hpp"
#include "engine/outcome.hpp"
#include "engine/platform.hpp"
#include "engine/request.hpp"

namespace mailsim::engine {

class Component {
 public:
  Component(std::string name, std::vector<NodeId> nodes) : name_(std::move(name)), nodes_(std::move(nodes)) {
    for (size_t i = 0; i < nodes_.size(); ++i) {
      if (static_cast<size_t>(nodes_[i]) >= index_.size()) index_.resize(static_cast<size_t>(nodes_[i]) + 1, -1);
      index_[static_cast<size_t>(nodes_[i])] = static_cast<int>(i);
    }
  }
  virtual ~Component() = default;
  Component(const Component&) = delete;
  Component& operator=(const Component&) = delete;

  const std::string& name() const { return name_; }
  const std::vector<NodeId>& nodes() const { return nodes_; }
  // The instance index on node n, or -1. O(1): it runs on every request.
  int instance_of(NodeId n) const {
    return n >= 0 && static_cast<size_t>(n) < index_.size() ? index_[static_cast<size_t>(n)] : -1;
  }

  virtual void start() = 0;
  virtual void on_node_down(NodeId n) = 0;
  virtual void on_node_up(NodeId n) = 0;
  virtual void stop_instance(NodeId n) = 0;
  virtual void start_instance(NodeId n) = 0;
  // A planned handover of the component's role, as the operator's tool asks for it (a
  // scenario's `switchover`; e.g. patronictl switchover): to `candidate`, or to the
  // software's own choice. Only models whose ModelInfo says `switchover` get it.
  virtual void switchover(std::optional<NodeId> candidate) { (void)candidate; }

  // Role names a fault can target ("vip_holder"), resolved to a node now, if any holds it.
  virtual std::optional<NodeId> resolve_role(const std::string& role) const = 0;

  // Request path. on_request: r.at is where the request is, r.target the instance a proxy
  // chose (or -1). accepts(n): the instance on n takes connections now (else: refused).
  virtual void on_request(Request& r) = 0;
  virtual bool accepts(NodeId n) const = 0;
  // A health check a balancer runs against instance n (e.g. "patroni_primary": Patroni's
  // GET /primary on 8008 answers 200). Models without such an endpoint answer as a TCP
  // check does: the instance accepts connections.
  virtual bool health(NodeId n, const std::string& check) const { return (void)check, accepts(n); }
  virtual void on_cpu_done(Request& r, bool ok) { (void)r, (void)ok; }
  // The flow's services name an operation per step; a component maps each op it serves to
  // a small slot number once, so the per-request path needs no string lookup.
  virtual int register_op(const std::string& op) { return (void)op, 0; }
  // A request this component proxied has been answered, failed or lost (`o`: what the
  // client got; kTimeout: nobody answered, so a proxy's server connection carried no reply).
  virtual void on_session_end(Request& r, Outcome o) { (void)r, (void)o; }
  // A server holding r died or stopped and this component proxied r. Returns false when it
  // does not take charge, and the request is then lost (the client times out).
  virtual bool on_orphan(Request& r) { return (void)r, false; }
  // r ended (answered, failed or lost) while this component kept worker `worker` of its
  // instance on `node` busy for it (HeldWorkers::hold, because a later step declared
  // `hold_worker`).
  virtual void on_worker_release(Request& r, NodeId node, int worker) { (void)r, (void)node, (void)worker; }

  virtual nlohmann::json resolved_params() const = 0;
  // The deferred queue of mail this component accepted and delivers (a service's
  // `delivery:` steps, when it runs their first one): a mail server's own settings (a
  // mail_node's, from its main.cf). nullopt: the engine uses postconf(5)'s defaults.
  virtual std::optional<config::SenderParams> delivery_queue() const { return std::nullopt; }

 private:
  std::string name_;
  std::vector<NodeId> nodes_;
  std::vector<int> index_;  // NodeId -> instance index, -1 elsewhere
};

}  // namespace mailsim::engine
