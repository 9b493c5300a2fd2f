#pragma once
// mail_node: postfix / dovecot / webmail on each of its nodes. Each operation (smtp, imap,
// https, ...) has a worker pool; a request takes a worker, runs its CPU demand as a
// SimGrid Exec on the node (cores shared by SimGrid's CPU model), then moves on.
//
// Failure semantics:
//  - Crash: running requests die with their Execs, waiting ones with the process; a proxy
//    in front (haproxy) decides what the client sees, otherwise the client times out.
//  - Graceful stop: new connections are refused, waiting requests are refused, running
//    ones finish (postfix/dovecot finish the current transaction on stop).
//  - Restart: empty pools; the node serves again at once (boot time is in the fault's
//    `for`).
//  - Accounting: each op's pool on each node is a resource (kind workers, named
//    "<node>.<component>.<op>"): busy workers (held ones included) and waiting requests.
//  - Held workers: when the step after this one declares `hold_worker` (an NFS call made
//    by the same process), the worker stays busy until the request ends, as a dovecot
//    process blocked on a hard NFS mount does; a crash orphans those requests too.
//  - Disk: on a node that declares disks, its first disk serves the writes that make mail
//    durable, with the worker busy meanwhile: smtp writes Postfix's queue file and fsyncs it
//    before the 250 (cleanup(8)); deliver writes a local Maildir file (tmp/, fsync, rename
//    into new/). A node without disks costs no disk time. Declare a disk on a mail node
//    only where its queue or Maildir is local (a Maildir on NFS is the nfs component's).
#include <vector>

#include "models/mail_node/mail_node_logic.hpp"
#include "models/mail_node/mail_node_params.hpp"
#include "config/topology.hpp"
#include "engine/component.hpp"
#include "engine/context.hpp"

namespace mailsim::models {

class MailNode : public engine::Component {
 public:
  MailNode(const config::ComponentSpec& spec, const config::Topology& topo, MailNodeParams params,
           engine::Context& ctx);

  void start() override;
  void on_node_down(engine::NodeId n) override;
  void on_node_up(engine::NodeId n) override;
  void stop_instance(engine::NodeId n) override;
  void start_instance(engine::NodeId n) override;
  std::optional<engine::NodeId> resolve_role(const std::string& role) const override;
  void on_request(engine::Request& r) override;
  bool accepts(engine::NodeId n) const override;
  void on_cpu_done(engine::Request& r, bool ok) override;
  void on_worker_release(engine::Request& r, engine::NodeId node, int worker) override;
  int register_op(const std::string& op) override;
  nlohmann::json resolved_params() const override;
  std::optional<config::SenderParams> delivery_queue() const override { return p_.queue; }

 private:
  using Waiting = std::pair<engine::Request*, uint32_t>;
  struct Instance {
    engine::NodeId node;
    bool running = false;
    uint64_t epoch = 0;                      // bumped when the node dies: disk writes in flight die
    engine::Disk* disk = nullptr;            // the node's first disk, if it declares one
    std::vector<WorkerPool<Waiting>> pools;  // by op slot (MailOp)
    std::vector<Waiting> held;               // requests past this step still holding a worker
    std::vector<engine::ResourceMeter*> meters;  // by op slot, as pools
  };
  void free_worker(Instance& in, int slot);
  void op_done(engine::Request& r);
  void arrive(engine::Request& r);
  void run(engine::Request& r);
  void reset_pools(Instance& in);
  void measure(Instance& in, int slot);
  void measure_all(Instance& in);
  static const std::string& op_name(int slot);
  int workers_of(const std::string& op) const;
  Instance& at(engine::NodeId n) { return inst_[static_cast<size_t>(instance_of(n))]; }

  MailNodeParams p_;
  engine::Context& ctx_;
  std::vector<Instance> inst_;
  size_t rr_next_ = 0;
};

}  // namespace mailsim::models
