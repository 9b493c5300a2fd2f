// RuPost's Maildir instances: the periodic rsync runs that copy the master to the hot replica
// and the replica to the cold backup (part of the Nfs shell; nfs.hpp states the semantics).
//
// A run starts every `interval` on the source host (cron; a run still going makes the next
// one skip, as `flock -n` does). It scans what the source holds that the target lacks (the
// backlog) and copies those messages one after the other: read on the source's disk, over
// the network, written on the target's disk as rsync writes a file (temporary file, rename).
// It competes with client calls for both disks, so under a heavier write load a run takes
// longer and the replica lags further behind. If either side dies or the network between
// them drops a transfer, the run ends early; the next one starts over from its own scan.
#include "models/nfs/nfs.hpp"

#include <algorithm>

namespace mailsim::models {

Nfs::Sync* Nfs::sync_from(const Instance& in) {
  const int i = static_cast<int>(&in - inst_.data());
  for (auto& s : syncs_)
    if (s.from == i) return &s;
  return nullptr;
}

void Nfs::start_syncs() {
  auto index_of = [this](Role r) {
    for (size_t i = 0; i < inst_.size(); ++i)
      if (inst_[i].role == r) return static_cast<int>(i);
    return -1;
  };
  const int master = index_of(Role::kMaster), replica = index_of(Role::kReplica), backup = index_of(Role::kBackup);
  syncs_.reserve(2);  // referenced by address from timers
  auto add = [this](int from, int to, double interval) {
    if (from < 0 || to < 0) return;
    syncs_.emplace_back();
    Sync& s = syncs_.back();
    s.from = from;
    s.to = to;
    s.interval = interval;
  };
  add(master, replica, p_.replica_sync_interval.seconds);
  add(replica, backup, p_.backup_sync_interval.seconds);
  for (auto& s : syncs_) {
    Sync* sp = &s;
    s.timer.arm(ctx_.sched, s.interval, [this, sp] { sync_tick(*sp); });
  }
}

void Nfs::delivered(const Instance& on, int service, double bytes) {
  if (Sync* s = sync_from(on)) s->backlog.add({service, bytes, ctx_.sched.now()});
}

void Nfs::backlog_lost(const SyncBacklog& backlog) {
  for (const auto& item : backlog.items()) ctx_.ledger.lost(ledger_store_, item.service, item.acknowledged);
}

// At the end of the run, from the serving instance down its chain of copies: while the
// instance is down (its disk counts as lost), what it had not yet copied downstream is on
// no surviving copy; the first instance that is up holds everything upstream of it did.
void Nfs::count_lost_at_end() {
  if (!instances_mode()) {
    // One copy: the server's disk (the appliance's heads share theirs). With no node of
    // the component up at the end, every acknowledged delivery went with it.
    for (const auto& in : inst_)
      if (ctx_.platform.is_up(in.node)) return;
    for (const auto& [svc, span] : acked_) ctx_.ledger.lost(ledger_store_, svc, span.first, span.last, span.n);
    return;
  }
  const Instance* in = &inst_[static_cast<size_t>(active_)];
  while (!ctx_.platform.is_up(in->node)) {
    const Sync* s = sync_from(*in);
    if (s == nullptr) return;
    backlog_lost(s->backlog);
    in = &inst_[static_cast<size_t>(s->to)];
  }
}

void Nfs::sync_tick(Sync& s) {
  Sync* sp = &s;
  s.timer.arm(ctx_.sched, s.interval, [this, sp] { sync_tick(*sp); });
  const Instance& from = inst_[static_cast<size_t>(s.from)];
  // cron runs on the source host; a run still going holds the lock.
  if (s.running || !from.serving || !ctx_.platform.is_up(from.node) || s.backlog.size() == 0) return;
  s.running = true;
  s.todo = s.backlog.size();
  s.copied = 0;
  s.bytes = 0;
  s.lag_max = 0;
  s.started = ctx_.sched.now();
  copy_next(s, ++s.run, from.epoch, inst_[static_cast<size_t>(s.to)].epoch);
}

void Nfs::copy_next(Sync& s, uint64_t run, uint64_t from_epoch, uint64_t to_epoch) {
  if (s.run != run || !s.running) return;
  if (s.todo == 0) return end_sync(s, true);
  Instance* src = &inst_[static_cast<size_t>(s.from)];
  Instance* dst = &inst_[static_cast<size_t>(s.to)];
  if (src->epoch != from_epoch || !src->serving) return end_sync(s, false);
  const SyncBacklog::Item item = s.backlog.front();
  const double now = ctx_.sched.now();
  const double read_end =
      src->disk->submit(now, maildir_op(MaildirOp::kFetch, item.bytes));
  Sync* sp = &s;
  ctx_.sched.at(read_end, [this, sp, run, src, dst, item, from_epoch, to_epoch] {
    if (sp->run != run || !sp->running) return;
    if (src->epoch != from_epoch) return end_sync(*sp, false);  // the source died mid-file
    auto there = ctx_.net.transit(src->node, dst->node, item.bytes + p_.rpc_bytes.bytes);
    if (!there) return end_sync(*sp, false);  // the connection broke
    ctx_.sched.after(*there, [this, sp, run, dst, item, from_epoch, to_epoch] {
      if (sp->run != run || !sp->running) return;
      if (dst->epoch != to_epoch || !dst->serving || !ctx_.platform.is_up(dst->node)) return end_sync(*sp, false);
      const double end = dst->disk->submit(ctx_.sched.now(), rsync_receive_op(item.bytes));
      ctx_.sched.at(end, [this, sp, run, dst, item, from_epoch, to_epoch] {
        if (sp->run != run || !sp->running) return;
        if (dst->epoch != to_epoch) return end_sync(*sp, false);  // the target died with the file
        sp->backlog.pop();
        --sp->todo;
        ++sp->copied;
        sp->bytes += item.bytes;
        sp->lag_max = std::max(sp->lag_max, ctx_.sched.now() - item.acknowledged);
        delivered(*dst, item.service, item.bytes);  // now owed to the target's own downstream copy
        copy_next(*sp, run, from_epoch, to_epoch);
      });
    });
  });
}

void Nfs::end_sync(Sync& s, bool completed) {
  s.running = false;
  ++s.run;
  const double now = ctx_.sched.now();
  ctx_.events.emit(now, completed ? engine::EventKind::kNfsSyncCompleted : engine::EventKind::kNfsSyncFailed,
                   {{"component", name()},
                    {"from", ctx_.platform.name_of(inst_[static_cast<size_t>(s.from)].node)},
                    {"to", ctx_.platform.name_of(inst_[static_cast<size_t>(s.to)].node)},
                    {"messages", s.copied},
                    {"bytes", s.bytes},
                    {"duration_s", now - s.started},
                    // the longest a copied message waited for the target
                    {"lag_max_s", s.lag_max},
                    // how far the target is behind now: the age of the oldest delivery it
                    // still lacks (acknowledged after the scan), 0 when it has them all
                    {"behind_s", s.backlog.size() > 0 ? now - s.backlog.front().acknowledged : 0.0}});
}

}  // namespace mailsim::models
