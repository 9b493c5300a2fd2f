#pragma once
// storage_triple: VK WorkSpace's store (seeds/DIGEST.md, section 3). A step
// `{component: store, op: write|read}` is called from the node of the step before it.
//
// The client (the front node's storage library) knows the copies only through its RPCs:
//  - every RPC to a copy waits up to rpc_timeout for the answer. No answer (the node is dead,
//    partitioned away, or died with the call) or a refusal (the node is up but its storage
//    process is stopped or still resyncing) marks that node unreachable in the client's view
//    (`storage.copy_unreachable`), and its pairs read-only or unavailable in that view
//    (`storage.pair_*` events are the client's view). The client then probes the node every
//    probe_interval from the node that saw it fail; an answer makes it reachable again.
//  - write: goes round robin to a pair both of whose copies the client sees reachable, and
//    is acknowledged only when both copies answered that the message is on disk
//    (synchronous). If a copy fails, the attempt is not acknowledged and the write goes to
//    another pair; with no pair left, io_error. A lone copy is therefore read-only: no write
//    is ever acknowledged with fewer than two durable copies.
//  - read: the message lives on a pair chosen in proportion to the messages it holds; the
//    client reads a copy it sees reachable, and the other one if that fails; none: io_error.
//
// The storage nodes themselves:
//  - a crash loses the operations in flight on the node's disk (no reply is sent).
//  - a returning node resyncs each pair whose partner is up: the data one copy holds and the
//    other lacks (copies written by attempts whose other copy failed) travels between them
//    over the network and the disks (storage_resync_seconds); until every such pair is in
//    sync the node refuses requests, so the client's probes find it back only then.
//
// Durability ledger: every acknowledged write is reported; at the end of the run, the writes
// of a pair whose two nodes are both down are on no surviving copy (lost), and no other
// acknowledged write is (both copies had it).
#include <map>
#include <vector>

#include "models/disk/disk_logic.hpp"
#include "models/storage_triple/storage_triple_logic.hpp"
#include "models/storage_triple/storage_triple_params.hpp"
#include "config/topology.hpp"
#include "core/rng.hpp"
#include "engine/acked_span.hpp"
#include "engine/component.hpp"
#include "engine/context.hpp"

namespace mailsim::models {

class StorageTriple : public engine::Component {
 public:
  StorageTriple(const config::ComponentSpec& spec, const config::Topology& topo, StorageTripleParams params,
                engine::Context& ctx);

  void start() override;
  void on_node_down(engine::NodeId n) override;
  void on_node_up(engine::NodeId n) override;
  void stop_instance(engine::NodeId n) override { on_node_down(n); }
  void start_instance(engine::NodeId n) override { on_node_up(n); }
  std::optional<engine::NodeId> resolve_role(const std::string& role) const override;
  void on_request(engine::Request& r) override;
  bool accepts(engine::NodeId n) const override;
  int register_op(const std::string& op) override { return static_cast<int>(data_ops().at(op)); }
  nlohmann::json resolved_params() const override;

 private:
  struct Copy {
    engine::NodeId node;
    bool running = true;  // the storage process serves (server side)
    uint64_t epoch = 0;
    engine::Disk* disk;  // the copies' disk on this node
    // The client's view of this node.
    bool suspect = false;
    engine::NodeId probe_from = 0;
    engine::Timer probe;
  };
  enum class Answer { kOk, kRefused, kTimeout };
  void write(engine::Request& r, int tries_left);
  void read(engine::Request& r, int pair, int tries_left);
  // One RPC to a copy: `done(answer)` once the caller has the answer or its rpc_timeout
  // passed. `durable` (writes) is set when the copy's disk has the data.
  template <class Done>
  void copy_io(engine::NodeId caller, int copy, MaildirOp op, double bytes, Done done, bool* durable = nullptr);
  bool ready(int copy) const;  // server side: running and no pair of it being caught up
  void unreachable(int copy, engine::NodeId seen_from, Answer why);
  void probe(int copy);
  void start_resync(int copy);
  void emit_changes();
  void count_lost_at_end();

  StorageTripleParams p_;
  engine::Context& ctx_;
  std::vector<Copy> copies_;  // one per node
  TripleLayout view_;         // the client's view: a node is "up" while it answers
  std::vector<PairState> shown_;      // last state reported per pair
  std::vector<double> objects_;       // messages per pair
  std::vector<std::map<int, engine::AckedSpan>> acked_;  // per pair, by service
  int ledger_store_ = -1;
  std::vector<PairResync> resync_;    // server side, per pair
  core::RngStream rng_;
};

}  // namespace mailsim::models
