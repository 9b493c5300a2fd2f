#pragma once
// storage_triple: VK WorkSpace's store (seeds/DIGEST.md, section 3). A step
// `{component: store, op: write|read}` is called from the node of the step before it.
//
// Failure semantics:
//  - write: goes to the next read-write pair and is acknowledged only when both copies are
//    on disk (synchronous). A copy lost mid-write (its node crashed) fails that attempt and
//    the write is tried on another read-write pair; with none left, io_error. So no write is
//    acknowledged with fewer than two durable copies.
//  - read: from a live copy of a pair chosen in proportion to the messages it holds; a copy
//    that dies mid-read is replaced by the other; no live copy: io_error.
//  - a node crash makes its two pairs read-only (one copy left); a second crash in the group
//    leaves one pair unavailable and no pair writable in that group.
//  - a returning node resyncs its pairs for resync_time before they are read-write again.
#include <vector>

#include "models/disk/disk_logic.hpp"
#include "models/storage_triple/storage_triple_logic.hpp"
#include "models/storage_triple/storage_triple_params.hpp"
#include "config/topology.hpp"
#include "core/rng.hpp"
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
    uint64_t epoch = 0;
    DiskQueue disk;
    DiskCost cost;
  };
  void write(engine::Request& r, int tries_left);
  void read(engine::Request& r, int tries_left);
  // One copy's disk operation: done(ok) after the caller got the copy's answer.
  template <class Done>
  void copy_io(engine::NodeId caller, int copy, MaildirOp op, double bytes, Done done);
  void emit_changes();

  StorageTripleParams p_;
  engine::Context& ctx_;
  std::vector<Copy> copies_;  // one per node
  TripleLayout layout_;
  std::vector<PairState> shown_;    // last state reported per pair
  std::vector<double> objects_;     // messages per pair
  std::vector<uint64_t> resync_gen_;
  core::RngStream rng_;
};

}  // namespace mailsim::models
