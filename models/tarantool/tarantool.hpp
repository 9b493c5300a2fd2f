#pragma once
// tarantool: the Tarantool instances of one replica set under Tarantool Cartridge's stateful
// failover (the closest public design to VK's Overlord, docs/models/tarantool.md). The
// first node starts as the leader. Everything the coordinator and the instances know they
// learn through messages over the network:
//  - the failover coordinator (on `coordinator_node`) holds a lock in the state provider (an
//    etcd component) and runs membership (SWIM): every protocol_period it pings each
//    instance; a ping unacked within ack_timeout is retried through the other instances, and
//    no ack within a second ack_timeout makes the instance suspect; suspect for
//    failover_timeout it is dead. A partition between the coordinator and the leader alone
//    is bridged by the indirect pings: no failover;
//  - when the leader is dead and no longer immune (immunity_timeout after its appointment),
//    the coordinator appoints the first healthy instance (alive or suspect) in node order
//    and writes it to the state provider (a put through etcd's Raft); a failed write drops
//    control for reconnect_period, and on retaking it the coordinator re-reads the
//    appointment, which is immune again;
//  - every instance longpolls the appointment (an etcd watch, and a read every
//    longpoll_timeout): the appointed one becomes writable, the others read-only. An
//    instance that cannot reach the state provider keeps its last view;
//  - routers (the clients' side) follow the appointment once it is written;
//  - with fencing_enabled, a leader that cannot reach the state provider and a replica for
//    fencing_timeout goes read-only until a new appointment names it.
//
// Clients send every request to the appointed leader: a dead or cut-off leader leaves their
// SYN unanswered (retransmitted until their timeout; a retry after the appointment reaches
// the new leader); a stopped instance refuses at once; a write on a read-only instance is
// `read_only`. A request running on an instance that dies is orphaned.
// Crash: the instance restarts read-only and reads the appointment. The coordinator's crash
// stops failovers; restarted, it takes control when its old lock expired.
#include <string>
#include <vector>

#include "config/topology.hpp"
#include "engine/component.hpp"
#include "engine/context.hpp"
#include "engine/scheduler.hpp"
#include "models/tarantool/tarantool_logic.hpp"
#include "models/tarantool/tarantool_params.hpp"

namespace mailsim::models {

class Etcd;

class Tarantool : public engine::Component {
 public:
  Tarantool(const config::ComponentSpec& spec, TarantoolParams params, engine::Context& ctx);

  void start() override;
  void on_node_down(engine::NodeId n) override;
  void on_node_up(engine::NodeId n) override;
  void stop_instance(engine::NodeId n) override;
  void start_instance(engine::NodeId n) override;
  std::optional<engine::NodeId> resolve_role(const std::string& role) const override;
  void on_request(engine::Request& r) override;
  bool accepts(engine::NodeId n) const override;
  void on_cpu_done(engine::Request& r, bool ok) override;
  int register_op(const std::string& op) override { return static_cast<int>(tarantool_ops().at(op)); }
  nlohmann::json resolved_params() const override;

 private:
  struct Instance {
    engine::NodeId node;
    int index = 0;
    bool running = true;
    uint64_t epoch = 0;       // bumped at each boot and loss: stale callbacks check it
    int believed_leader = 0;  // the appointment it last read from the state provider
    bool rw = false;          // box.cfg read_only = false
    bool fenced = false;
    engine::Timer longpoll, fencing;
    FencingWatch fence{0};
    MemberView view;        // the coordinator's membership view of it
    engine::Timer suspect;  // suspect -> dead after failover_timeout
  };

  void lose(engine::NodeId n, const std::string& cause);
  void boot(Instance& in);
  void set_role(Instance& in, const std::string& cause);
  // The coordinator.
  void tick();
  void coordinator_back();
  void take_control();
  void control();
  void appoint(int to);
  void probe(Instance& in);
  void indirect(Instance& in, double started);
  void probed(Instance& in, bool acked);
  // The instances' longpoll and fencing.
  void watch(Instance& in);
  void fetch(Instance& in);
  void learn(Instance& in, const std::string& leader);
  void fencing_check(Instance& in);
  int index_of(const std::string& node_name) const;
  std::string key() const { return "/tarantool/" + name() + "/leaders"; }

  TarantoolParams p_;
  engine::Context& ctx_;
  Etcd* provider_ = nullptr;
  engine::NodeId coordinator_;
  std::vector<Instance> inst_;
  bool coordinator_up_ = true;
  bool in_control_ = false;
  bool appointing_ = false;
  uint64_t control_epoch_ = 0;
  double coordinator_died_at_ = -1;
  Decision decision_;
  engine::Timer tick_, control_retry_, immunity_;
  int router_ = 0;            // where the routers send requests: the last written appointment
  int failover_from_ = -1;    // the leader whose loss opened a failover record
};

}  // namespace mailsim::models
