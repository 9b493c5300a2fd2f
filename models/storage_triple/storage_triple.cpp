#include "models/storage_triple/storage_triple.hpp"

#include <memory>

#include "models/disk/node_disk.hpp"
#include "core/error.hpp"
#include "engine/flow.hpp"

namespace mailsim::models {

using engine::NodeId;
using engine::Outcome;
using engine::Request;

namespace {
// One event kind per pair state (the catalogue declares each).
engine::EventKind pair_event(PairState s) {
  switch (s) {
    case PairState::kReadWrite: return engine::EventKind::kStoragePairReadWrite;
    case PairState::kReadOnly: return engine::EventKind::kStoragePairReadOnly;
    case PairState::kUnavailable: return engine::EventKind::kStoragePairUnavailable;
  }
  return engine::EventKind::kStoragePairUnavailable;
}
}  // namespace

namespace {
constexpr double kHeaderBytes = 200;  // RPC header and status reply
}  // namespace

StorageTriple::StorageTriple(const config::ComponentSpec& spec, const config::Topology& topo, StorageTripleParams params,
                             engine::Context& ctx)
    : Component(spec.name, ctx.platform.ids_of(spec.nodes)),
      p_(std::move(params)),
      ctx_(ctx),
      view_(static_cast<int>(spec.nodes.size())),
      rng_(ctx.seed, spec.name) {
  copies_.reserve(nodes().size());  // referenced by address from probe timers
  for (size_t i = 0; i < nodes().size(); ++i) {
    engine::Disk* disk = node_disk(ctx, topo, spec.nodes[i], p_.disk);
    MAILSIM_ASSERT(disk != nullptr, "storage node without a disk survived validation");
    Copy c{};
    c.node = nodes()[i];
    c.disk = disk;
    copies_.push_back(std::move(c));
  }
  objects_.assign(static_cast<size_t>(view_.pair_count()), static_cast<double>(p_.objects_per_pair));
  shown_.assign(static_cast<size_t>(view_.pair_count()), PairState::kReadWrite);
  resync_.assign(static_cast<size_t>(view_.pair_count()), PairResync{});
}

void StorageTriple::start() {
  ledger_store_ = ctx_.ledger.add_store(name(), engine::DurabilityLedger::Holds::kMessages);
  ctx_.ledger.at_end([this] { count_lost_at_end(); });
  acked_.resize(static_cast<size_t>(view_.pair_count()));
}

// Server side, not the client's view: a node that is up at the end still has its disk.
void StorageTriple::count_lost_at_end() {
  for (int p = 0; p < view_.pair_count(); ++p) {
    auto [a, b] = view_.pair_nodes(p);
    if (ctx_.platform.is_up(copies_[static_cast<size_t>(a)].node) || ctx_.platform.is_up(copies_[static_cast<size_t>(b)].node))
      continue;
    for (const auto& [svc, w] : acked_[static_cast<size_t>(p)]) ctx_.ledger.lost(ledger_store_, svc, w.first, w.last, w.n);
  }
}

void StorageTriple::emit_changes() {
  for (int p = 0; p < view_.pair_count(); ++p) {
    PairState s = view_.state(p);
    if (s == shown_[static_cast<size_t>(p)]) continue;
    shown_[static_cast<size_t>(p)] = s;
    auto [a, b] = view_.pair_nodes(p);
    ctx_.events.emit(ctx_.sched.now(), pair_event(s),
                     {{"component", name()}, {"pair", p}, {"nodes", {ctx_.platform.name_of(copies_[static_cast<size_t>(a)].node),
                                                                      ctx_.platform.name_of(copies_[static_cast<size_t>(b)].node)}}});
  }
}

// --- the storage nodes ---------------------------------------------------------------------

bool StorageTriple::ready(int copy) const {
  if (!copies_[static_cast<size_t>(copy)].running) return false;
  for (int p : view_.pairs_of(copy))
    if (resync_[static_cast<size_t>(p)].behind == copy) return false;
  return true;
}

void StorageTriple::on_node_down(NodeId n) {
  const int i = instance_of(n);
  Copy& c = copies_[static_cast<size_t>(i)];
  if (!c.running) return;
  c.running = false;
  ++c.epoch;
  c.disk->reset(ctx_.sched.now());
  for (int p : view_.pairs_of(i)) {  // a catch-up in progress with this node stops
    PairResync& rs = resync_[static_cast<size_t>(p)];
    if (rs.behind >= 0) {
      rs.behind = -1;
      ++rs.generation;
    }
  }
}

void StorageTriple::on_node_up(NodeId n) {
  const int i = instance_of(n);
  Copy& c = copies_[static_cast<size_t>(i)];
  if (c.running) return;
  c.running = true;
  ++c.epoch;
  start_resync(i);
}

// The returning node compares each pair with its live partner and copies what either lacks.
// A pair whose partner is down waits: it is resynced when the partner returns.
void StorageTriple::start_resync(int i) {
  for (int p : view_.pairs_of(i)) {
    const int other = view_.partner(p, i);
    if (!copies_[static_cast<size_t>(other)].running) continue;
    PairResync& rs = resync_[static_cast<size_t>(p)];
    const NodeId a = copies_[static_cast<size_t>(i)].node, b = copies_[static_cast<size_t>(other)].node;
    const double bytes = rs.bytes_to_copy();
    const double write_bw = std::min(copies_[static_cast<size_t>(i)].disk->figures().write_bw,
                                     copies_[static_cast<size_t>(other)].disk->figures().write_bw);
    const double secs = PairResync::seconds(bytes, 2 * ctx_.platform.latency(a, b), ctx_.platform.bandwidth(a, b), write_bw);
    rs.behind = i;
    const uint64_t g = ++rs.generation;
    ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kStorageResyncStarted,
                     {{"component", name()}, {"pair", p}, {"node", ctx_.platform.name_of(a)}, {"bytes", bytes},
                      {"duration_s", secs}});
    ctx_.sched.after(secs, [this, p, g] {
      PairResync& r = resync_[static_cast<size_t>(p)];
      if (g != r.generation) return;
      r.behind = -1;
      r.synced();
      ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kStorageResyncCompleted, {{"component", name()}, {"pair", p}});
    });
  }
}

// --- the client ----------------------------------------------------------------------------

template <class Done>
void StorageTriple::copy_io(NodeId caller, int copy, MaildirOp op, double bytes, Done done, bool* durable) {
  Copy& c = copies_[static_cast<size_t>(copy)];
  const double req = op == MaildirOp::kDeliver ? bytes + kHeaderBytes : kHeaderBytes;
  const double resp = op == MaildirOp::kFetch ? bytes + kHeaderBytes : kHeaderBytes;
  auto settled = std::make_shared<bool>(false);
  auto finish = [settled, done](Answer a) mutable {
    if (*settled) return;
    *settled = true;
    done(a);
  };
  ctx_.sched.after(p_.rpc_timeout.seconds, [finish]() mutable { finish(Answer::kTimeout); });
  auto there = ctx_.net.transit(caller, c.node, req);
  if (!there) return;  // lost: the timeout answers
  Copy* cp = &c;
  ctx_.sched.after(*there, [this, cp, copy, caller, op, bytes, resp, finish, durable]() mutable {
    if (!ctx_.platform.is_up(cp->node)) return;  // a dead host answers nothing
    if (!ready(copy)) {                          // up, but not serving: refused
      auto back = ctx_.net.transit(cp->node, caller, kHeaderBytes);
      if (back) ctx_.sched.after(*back, [finish]() mutable { finish(Answer::kRefused); });
      return;
    }
    const uint64_t epoch = cp->epoch;
    const double end = cp->disk->submit(ctx_.sched.now(), maildir_op(op, bytes));
    ctx_.sched.at(end, [this, cp, epoch, caller, resp, finish, durable]() mutable {
      if (cp->epoch != epoch) return;  // the node died with the operation: no reply
      if (durable != nullptr) *durable = true;
      auto back = ctx_.net.transit(cp->node, caller, resp);
      if (!back) return;
      ctx_.sched.after(*back, [finish]() mutable { finish(Answer::kOk); });
    });
  });
}

void StorageTriple::unreachable(int copy, NodeId seen_from, Answer why) {
  Copy& c = copies_[static_cast<size_t>(copy)];
  if (c.suspect) return;
  c.suspect = true;
  c.probe_from = seen_from;
  view_.set_node_up(copy, false);
  ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kStorageCopyUnreachable,
                   {{"component", name()}, {"server", ctx_.platform.name_of(c.node)},
                    {"cause", why == Answer::kRefused ? "refused" : "timeout"}});
  emit_changes();
  c.probe.arm(ctx_.sched, p_.probe_interval.seconds, [this, copy] { probe(copy); });
}

// The client's probe of an unreachable node: a small RPC with the usual timeout.
void StorageTriple::probe(int copy) {
  Copy& c = copies_[static_cast<size_t>(copy)];
  copy_io(c.probe_from, copy, MaildirOp::kList, 0, [this, copy](Answer a) {
    Copy& cp = copies_[static_cast<size_t>(copy)];
    if (a != Answer::kOk) {
      cp.probe.arm(ctx_.sched, p_.probe_interval.seconds, [this, copy] { probe(copy); });
      return;
    }
    cp.suspect = false;
    view_.set_node_up(copy, true);
    ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kStorageCopyReachable, {{"component", name()}, {"server", ctx_.platform.name_of(cp.node)}});
    emit_changes();
  });
}

void StorageTriple::on_request(Request& r) {
  const int tries = view_.pair_count();
  if (static_cast<DataOp>(ctx_.flow.op_slot(r)) == DataOp::kWrite) return write(r, tries);
  // The message read lives on a pair chosen in proportion to what each pair holds.
  double total = 0;
  for (double o : objects_) total += o;
  double x = rng_.uniform() * total;
  int p = 0;
  while (p + 1 < view_.pair_count() && x >= objects_[static_cast<size_t>(p)]) x -= objects_[static_cast<size_t>(p++)];
  read(r, p, 2);
}

void StorageTriple::write(Request& r, int tries_left) {
  const int p = tries_left > 0 ? view_.pick_write_pair() : -1;
  if (p < 0) return ctx_.flow.fail(r, Outcome::kIoError);  // no pair the client can write both copies of
  auto [a, b] = view_.pair_nodes(p);
  struct Attempt {
    int pending = 2;
    Answer answer[2] = {Answer::kOk, Answer::kOk};
    bool durable[2] = {false, false};
  };
  auto st = std::make_shared<Attempt>();
  const uint32_t gen = r.gen;
  Request* rp = &r;
  const NodeId caller = r.at;
  const double bytes = ctx_.flow.request_bytes(r);
  for (int side : {0, 1}) {
    const int copy = side == 0 ? a : b;
    copy_io(
        caller, copy, MaildirOp::kDeliver, bytes,
        [this, st, side, rp, gen, p, a, b, caller, bytes, tries_left](Answer ans) {
          st->answer[side] = ans;
          if (--st->pending > 0) return;
          // Data left on one copy only: the pair diverges until a resync copies it over.
          if (st->durable[0] != st->durable[1]) resync_[static_cast<size_t>(p)].one_copy_written(st->durable[0] ? 1 : 0, bytes);
          bool ok = true;
          for (int s : {0, 1})
            if (st->answer[s] != Answer::kOk) {
              ok = false;
              unreachable(s == 0 ? a : b, caller, st->answer[s]);
            }
          if (!ctx_.flow.alive(*rp, gen) || !ctx_.platform.is_up(rp->at)) return;
          if (!ok) return write(*rp, tries_left - 1);  // not acknowledged: try another pair
          // VK's rule, and why a single node's loss loses no acknowledged message.
          MAILSIM_ASSERT(st->durable[0] && st->durable[1], "storage_triple acknowledged a write without two durable copies");
          objects_[static_cast<size_t>(p)] += 1;  // two durable copies: acknowledged
          const double now = ctx_.sched.now();
          acked_[static_cast<size_t>(p)][rp->service].add(now);
          ctx_.ledger.acknowledged(ledger_store_, rp->service, now);
          ctx_.flow.next_step(*rp);
        },
        &st->durable[side]);
  }
}

void StorageTriple::read(Request& r, int p, int tries_left) {
  auto [a, b] = view_.pair_nodes(p);
  std::vector<int> live;
  for (int c : {a, b})
    if (view_.node_up(c)) live.push_back(c);
  if (live.empty() || tries_left <= 0) return ctx_.flow.fail(r, Outcome::kIoError);  // no copy answers
  const int copy = live[live.size() == 1 ? 0 : static_cast<size_t>(rng_.bernoulli(0.5))];
  const uint32_t gen = r.gen;
  Request* rp = &r;
  const NodeId caller = r.at;
  copy_io(caller, copy, MaildirOp::kFetch, ctx_.flow.request_bytes(r), [this, rp, gen, p, copy, caller, tries_left](Answer a) {
    if (a != Answer::kOk) unreachable(copy, caller, a);
    if (!ctx_.flow.alive(*rp, gen) || !ctx_.platform.is_up(rp->at)) return;
    if (a != Answer::kOk) return read(*rp, p, tries_left - 1);  // the other copy, if the client sees one
    ctx_.flow.next_step(*rp);
  });
}

std::optional<NodeId> StorageTriple::resolve_role(const std::string& role) const {
  switch (any_role().at(role)) {
    case AnyRole::kAny:
      for (const auto& c : copies_)
        if (c.running) return c.node;
      break;
  }
  return std::nullopt;
}

bool StorageTriple::accepts(NodeId n) const {
  int i = instance_of(n);
  return i >= 0 && ready(i);
}

nlohmann::json StorageTriple::resolved_params() const { return storage_triple_params().resolved(p_); }

}  // namespace mailsim::models
