#pragma once
// scylla: ScyllaDB, leaderless. Every node holds every row (replication factor = node
// count) and coordinates the requests it receives.
//  - Gossip: every gossip_interval each running node sends its heartbeat to its peers over
//    the network. A node convicts a peer (marks it down) when phi, computed from the silence
//    since the peer's last heartbeat, passes phi_convict_threshold: after
//    conviction_delay = threshold x interval x ln 10 (18.4 s with the defaults).
//  - The client's driver sends each request to a coordinator: its query plan is the nodes
//    it believes up, starting at the next in round robin. It learns that a node is down
//    through the cluster's STATUS_CHANGE event on its control connection (held to the first
//    node it reaches), i.e. once that node convicted it. It connects to the plan's first
//    node; a node that refuses (scylla stopped) or stays silent for driver_connect_timeout
//    (dead or cut off) is skipped for the next; with none left the request fails
//    (`connect_failed`, NoNodeAvailableException).
//  - The coordinator runs the step's CPU, then needs replicas_needed(consistency) replicas
//    including itself. Fewer nodes alive in its own gossip view: `unavailable`
//    (UnavailableException). It asks the others it believes alive; a replica that does not
//    answer (dead but not yet convicted, or cut off) costs the request
//    read/write_request_timeout and then a `timeout` error.
#include <vector>

#include "config/topology.hpp"
#include "engine/component.hpp"
#include "engine/context.hpp"
#include "models/scylla/scylla_params.hpp"

namespace mailsim::models {

class Scylla : public engine::Component {
 public:
  Scylla(const config::ComponentSpec& spec, ScyllaParams params, engine::Context& ctx);

  void start() override;
  void on_node_down(engine::NodeId n) override { set_running(n, false); }
  void on_node_up(engine::NodeId n) override { set_running(n, true); }
  void stop_instance(engine::NodeId n) override { set_running(n, false); }
  void start_instance(engine::NodeId n) override { set_running(n, true); }
  std::optional<engine::NodeId> resolve_role(const std::string& role) const override;
  void on_request(engine::Request& r) override;
  bool accepts(engine::NodeId n) const override;
  void on_cpu_done(engine::Request& r, bool ok) override;
  int register_op(const std::string& op) override { return static_cast<int>(scylla_ops().at(op)); }
  nlohmann::json resolved_params() const override;

  // Node i's gossip view of node j now (tests read it; the shell decides with it).
  bool believes_alive(int i, int j) const;

 private:
  void set_running(engine::NodeId n, bool up);
  void gossip_round();
  std::vector<int> query_plan(engine::NodeId caller);
  void try_coordinator(engine::Request& r, std::vector<int> plan, size_t k);
  void coordinate(engine::Request& r, int c);
  size_t n() const { return running_.size(); }

  ScyllaParams p_;
  engine::Context& ctx_;
  std::vector<char> running_;
  std::vector<double> heard_;  // heard_[i * n + j]: when node i last got j's heartbeat
  double conviction_ = 0;
  int need_ = 1;
  size_t next_ = 0;  // the driver's round robin
};

}  // namespace mailsim::models
