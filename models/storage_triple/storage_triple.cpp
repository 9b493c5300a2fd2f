#include "models/storage_triple/storage_triple.hpp"

#include <memory>

#include "models/disk/disk_params.hpp"
#include "core/error.hpp"
#include "engine/flow.hpp"

namespace mailsim::models {

using engine::NodeId;
using engine::Outcome;
using engine::Request;

StorageTriple::StorageTriple(const config::ComponentSpec& spec, const config::Topology& topo, StorageTripleParams params,
                             engine::Context& ctx)
    : Component(spec.name, ctx.platform.ids_of(spec.nodes)),
      p_(std::move(params)),
      ctx_(ctx),
      layout_(static_cast<int>(spec.nodes.size())),
      rng_(ctx.seed, spec.name) {
  config::YamlReader reader(topo.file);
  for (size_t i = 0; i < nodes().size(); ++i) {
    const config::NodeSpec* ns = topo.find_node(spec.nodes[i]);
    MAILSIM_ASSERT(ns != nullptr && !ns->disks.empty(), "storage node without a disk survived validation");
    const config::DiskSpec* d = &ns->disks.front();
    for (const auto& x : ns->disks)
      if (x.name == p_.disk) d = &x;
    DiskParams dp = parse_disk(*d, reader);
    copies_.push_back(Copy{nodes()[i], 0, DiskQueue(dp.queue_depth),
                           DiskCost{dp.read_bandwidth.bytes_per_s, dp.write_bandwidth.bytes_per_s, dp.read_latency.seconds,
                                    dp.write_latency.seconds, dp.fsync_latency.seconds}});
  }
  objects_.assign(static_cast<size_t>(layout_.pair_count()), static_cast<double>(p_.objects_per_pair));
  shown_.assign(static_cast<size_t>(layout_.pair_count()), PairState::kReadWrite);
  resync_gen_.assign(static_cast<size_t>(layout_.pair_count()), 0);
}

void StorageTriple::start() {}

void StorageTriple::emit_changes() {
  for (int p = 0; p < layout_.pair_count(); ++p) {
    PairState s = layout_.state(p);
    if (s == shown_[static_cast<size_t>(p)]) continue;
    shown_[static_cast<size_t>(p)] = s;
    auto [a, b] = layout_.pair_nodes(p);
    ctx_.events.emit(ctx_.sched.now(), std::string("storage.pair_") + pair_state_name(s),
                     {{"component", name()}, {"pair", p}, {"nodes", {ctx_.platform.name_of(copies_[static_cast<size_t>(a)].node),
                                                                      ctx_.platform.name_of(copies_[static_cast<size_t>(b)].node)}}});
  }
}

void StorageTriple::on_node_down(NodeId n) {
  const int i = instance_of(n);
  if (!layout_.node_up(i)) return;
  layout_.set_node_up(i, false);
  ++copies_[static_cast<size_t>(i)].epoch;
  copies_[static_cast<size_t>(i)].disk.reset(ctx_.sched.now());
  for (int p : layout_.pairs_of(i)) {
    layout_.set_resyncing(p, false);
    ++resync_gen_[static_cast<size_t>(p)];
  }
  emit_changes();
}

void StorageTriple::on_node_up(NodeId n) {
  const int i = instance_of(n);
  if (layout_.node_up(i)) return;
  layout_.set_node_up(i, true);
  ++copies_[static_cast<size_t>(i)].epoch;
  for (int p : layout_.pairs_of(i)) {
    auto [a, b] = layout_.pair_nodes(p);
    if (!layout_.node_up(a == i ? b : a)) continue;  // partner still down: nothing to resync against yet
    layout_.set_resyncing(p, true);
    const uint64_t g = ++resync_gen_[static_cast<size_t>(p)];
    ctx_.events.emit(ctx_.sched.now(), "storage.resync_started", {{"component", name()}, {"pair", p}});
    ctx_.sched.after(p_.resync_time.seconds, [this, p, g] {
      if (g != resync_gen_[static_cast<size_t>(p)]) return;
      layout_.set_resyncing(p, false);
      emit_changes();
    });
  }
  // Pairs whose partner was waiting for this node alone become resyncing too (above); a
  // pair whose partner is down stays read-only with this node's copy.
  emit_changes();
}

template <class Done>
void StorageTriple::copy_io(NodeId caller, int copy, MaildirOp op, double bytes, Done done) {
  Copy& c = copies_[static_cast<size_t>(copy)];
  const double req = op == MaildirOp::kDeliver ? bytes + 200 : 200;
  const double resp = op == MaildirOp::kFetch ? bytes + 200 : 200;
  auto there = ctx_.net.transit(caller, c.node, req);
  if (!there) return done(false);
  const uint64_t epoch = c.epoch;
  Copy* cp = &c;
  ctx_.sched.after(*there, [this, cp, epoch, caller, op, bytes, resp, done]() mutable {
    if (cp->epoch != epoch || !ctx_.platform.is_up(cp->node)) return done(false);
    const double end = cp->disk.submit(ctx_.sched.now(), maildir_service_time(cp->cost, op, bytes) * ctx_.platform.disk_slowdown(cp->node));
    ctx_.sched.at(end, [this, cp, epoch, caller, resp, done]() mutable {
      if (cp->epoch != epoch) return done(false);  // the node died with the operation
      auto back = ctx_.net.transit(cp->node, caller, resp);
      if (!back) return done(false);
      ctx_.sched.after(*back, [done]() mutable { done(true); });
    });
  });
}

void StorageTriple::on_request(Request& r) {
  const int tries = layout_.pair_count();
  if (static_cast<DataOp>(ctx_.flow.op_slot(r)) == DataOp::kWrite) return write(r, tries);
  read(r, tries);
}

void StorageTriple::write(Request& r, int tries_left) {
  const int p = tries_left > 0 ? layout_.pick_write_pair() : -1;
  if (p < 0) return ctx_.flow.fail(r, Outcome::kIoError);  // no read-write pair
  auto [a, b] = layout_.pair_nodes(p);
  struct State {
    int pending = 2;
    bool ok = true;
  };
  auto st = std::make_shared<State>();
  const uint32_t gen = r.gen;
  Request* rp = &r;
  const NodeId caller = r.at;
  const double bytes = ctx_.flow.request_bytes(r);
  for (int copy : {a, b})
    copy_io(caller, copy, MaildirOp::kDeliver, bytes, [this, st, rp, gen, p, tries_left](bool ok) {
      st->ok = st->ok && ok;
      if (--st->pending > 0) return;
      if (!ctx_.flow.alive(*rp, gen) || !ctx_.platform.is_up(rp->at)) return;
      if (!st->ok) return write(*rp, tries_left - 1);  // a copy failed: not acknowledged, try another pair
      objects_[static_cast<size_t>(p)] += 1;  // two durable copies: acknowledged
      ctx_.flow.next_step(*rp);
    });
}

void StorageTriple::read(Request& r, int tries_left) {
  if (tries_left <= 0) return ctx_.flow.fail(r, Outcome::kIoError);
  // The message read lives on a pair chosen in proportion to what each pair holds.
  double total = 0;
  for (double o : objects_) total += o;
  double x = rng_.uniform() * total;
  int p = 0;
  while (p + 1 < layout_.pair_count() && x >= objects_[static_cast<size_t>(p)]) x -= objects_[static_cast<size_t>(p++)];
  auto [a, b] = layout_.pair_nodes(p);
  std::vector<int> live;
  for (int c : {a, b})
    if (layout_.node_up(c)) live.push_back(c);
  if (live.empty()) return ctx_.flow.fail(r, Outcome::kIoError);  // both copies down
  const int copy = live[live.size() == 1 ? 0 : static_cast<size_t>(rng_.bernoulli(0.5))];
  const uint32_t gen = r.gen;
  Request* rp = &r;
  copy_io(r.at, copy, MaildirOp::kFetch, ctx_.flow.request_bytes(r), [this, rp, gen, tries_left](bool ok) {
    if (!ctx_.flow.alive(*rp, gen) || !ctx_.platform.is_up(rp->at)) return;
    if (!ok) return read(*rp, tries_left - 1);
    ctx_.flow.next_step(*rp);
  });
}

std::optional<NodeId> StorageTriple::resolve_role(const std::string& role) const {
  switch (any_role().at(role)) {
    case AnyRole::kAny:
      for (size_t i = 0; i < copies_.size(); ++i)
        if (layout_.node_up(static_cast<int>(i))) return copies_[i].node;
      break;
  }
  return std::nullopt;
}

bool StorageTriple::accepts(NodeId n) const {
  int i = instance_of(n);
  return i >= 0 && layout_.node_up(i);
}

nlohmann::json StorageTriple::resolved_params() const { return storage_triple_params().resolved(p_); }

}  // namespace mailsim::models
