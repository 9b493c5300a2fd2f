// PostgreSQL streaming replication between the members of a patroni_postgres component
// (PostgreSQL docs, warm-standby.rst "Streaming Replication" and protocol-replication):
//  - Every commit on the primary adds wal_per_write bytes to its WAL and wakes the walsender
//    of each connected replica (WalSndWakeup after the commit's flush).
//  - A walsender puts the WAL its replica lacks on the wire in messages of at most
//    MAX_SEND_SIZE (walsender.c: XLOG_BLCKSZ * 16 = 128 kB), and sends the next message
//    when that one has arrived (the replication connection is one TCP stream: what is
//    written while a message travels waits for it). WAL not yet on the wire when the
//    primary dies is lost; a message already on the wire still arrives.
//  - The replica's walreceiver writes and flushes each batch at its disk's write rate, one
//    batch after another, then replies with its positions (XLogWalRcvSendReply after a
//    flush); the startup process replays flushed WAL at wal_replay_rate. A promotion waits
//    until everything received is flushed and replayed.
//  - Periodic status messages (wal_receiver_status_interval) carry the replica's received,
//    flushed and replayed positions: the primary's view of the lag (pg_stat_replication),
//    recorded as `pg.replication_lag`. A status is also how a replica (re)starts its stream:
//    the walsender resends from the position it reports.
// Lag is therefore measured, not set: it grows when the WAL rate approaches what the link
// or the replica's disk can carry, and shrinks with their speed.
#include <algorithm>
#include <cmath>

#include "models/patroni_postgres/patroni_postgres.hpp"

#include "engine/flow.hpp"

namespace mailsim::models {

namespace {
constexpr double kMaxSendSize = 16 * 8192;  // walsender.c MAX_SEND_SIZE (XLOG_BLCKSZ * 16)
}  // namespace

void PatroniPostgres::send_status(Instance& r, bool periodic) {
  if (!r.running || r.role != PgRole::kReplica || r.upstream < 0) return;
  Instance* rp = &r;
  if (periodic && p_.status_interval() > 0)
    r.feedback.arm(ctx_.sched, p_.status_interval(), [this, rp] { send_status(*rp, true); });
  Instance& p = inst_[static_cast<size_t>(r.upstream)];
  auto d = ctx_.net.transit(r.node, p.node, kStatusBytes);
  if (!d) return;
  Instance* pp = &p;
  const WalPosition pos{r.received, r.seq, r.replayed, r.timeline};
  const int from = r.index;
  ctx_.sched.after(*d, [this, pp, from, pos, periodic] { on_status(*pp, from, pos, periodic); });
}

void PatroniPostgres::on_status(Instance& p, int from, const WalPosition& pos, bool periodic) {
  if (!p.running || p.role != PgRole::kPrimary || pos.timeline != p.timeline) return;
  const auto r = static_cast<size_t>(from);
  on_ack(p, from, pos.flushed);
  if (p.handover_to == from && pos.flushed >= p.seq) return finish_handover(p);
  if (!periodic) return;
  // START_REPLICATION from the replica's position, or a resend after a batch was lost
  // (the replica restarted or the link was cut while it travelled).
  if (!p.streaming[r] || (!p.on_wire[r] && p.sent[r] > pos.received)) p.sent[r] = pos.received;
  p.streaming[r] = 1;
  const double wal = p_.wal_per_write.bytes;
  ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kPgReplicationLag,
                   {{"component", name()},
                    {"node", inst_[r].name},
                    {"primary", p.name},
                    {"flush_lag_bytes", static_cast<double>(p.seq - std::min(p.seq, pos.flushed)) * wal},
                    {"replay_lag_bytes", static_cast<double>(p.seq - std::min(p.seq, pos.replayed)) * wal}});
  wal_send(p, from);
}

void PatroniPostgres::wal_send_all(Instance& p) {
  for (const auto& r : inst_)
    if (r.index != p.index) wal_send(p, r.index);
}

void PatroniPostgres::wal_send(Instance& p, int to) {
  const auto r = static_cast<size_t>(to);
  if (!p.running || p.role != PgRole::kPrimary || !p.streaming[r] || p.on_wire[r] || p.sent[r] >= p.seq) return;
  // Whole commits per message, at least one (a larger commit's WAL goes as one message).
  const auto per_message = static_cast<uint64_t>(std::max(1.0, std::floor(kMaxSendSize / std::max(1.0, p_.wal_per_write.bytes))));
  const uint64_t from = p.sent[r], upto = std::min(p.seq, from + per_message);
  const double bytes = static_cast<double>(upto - from) * p_.wal_per_write.bytes;
  Instance& ri = inst_[r];
  auto d = ctx_.net.transit(p.node, ri.node, bytes);
  if (!d) return;  // cut off: the next commit or status tries again
  p.on_wire[r] = 1;
  p.sent[r] = upto;
  Instance* pp = &p;
  Instance* rp = &ri;
  const uint64_t pepoch = p.epoch, repoch = ri.epoch;
  const int tl = p.timeline;
  ctx_.sched.after(*d, [this, pp, rp, pepoch, repoch, tl, from, upto, bytes] {
    const bool sender_alive = pp->running && pp->epoch == pepoch;
    if (sender_alive) pp->on_wire[static_cast<size_t>(rp->index)] = 0;
    // The walreceiver takes a batch that continues its WAL on its upstream's timeline; a
    // gap (an earlier batch was lost) waits for the resend its next status asks for.
    if (rp->running && rp->epoch == repoch && rp->role == PgRole::kReplica && rp->upstream == pp->index &&
        rp->timeline == tl && rp->received >= from)
      wal_receive(*rp, upto, bytes);
    if (sender_alive) wal_send(*pp, rp->index);
  });
}

void PatroniPostgres::wal_receive(Instance& r, uint64_t upto, double bytes) {
  if (upto <= r.received) return;
  r.received = upto;
  // The walreceiver writes and flushes the batch (XLogWalRcvFlush): on the node's disk, or,
  // on a node that declares none, at disk_write_rate.
  const double flushed = durable_write(r, bytes);
  Instance* rp = &r;
  const uint64_t epoch = r.epoch;
  ctx_.sched.at(flushed, [this, rp, epoch, upto, bytes] {
    if (!rp->running || rp->epoch != epoch) return;
    rp->seq = std::max(rp->seq, upto);  // flushed: it survives a crash of either node
    rp->replay_free_at = std::max(ctx_.sched.now(), rp->replay_free_at) + bytes / p_.wal_replay_rate.bytes_per_s;
    ctx_.sched.at(rp->replay_free_at, [rp, epoch, upto] {
      if (rp->running && rp->epoch == epoch) rp->replayed = std::max(rp->replayed, upto);
    });
    send_status(*rp, false);
  });
}

void PatroniPostgres::on_ack(Instance& p, int from, uint64_t seq) {
  p.last_feedback[static_cast<size_t>(from)] = ctx_.sched.now();
  // Commits every running replica has flushed cannot be lost by a failover (the ledger's
  // bookkeeping, not a decision of the model).
  uint64_t everywhere = seq;
  for (const auto& o : inst_)
    if (&o != &p && o.running && o.role == PgRole::kReplica && o.upstream == p.index) everywhere = std::min(everywhere, o.seq);
  while (!p.unshipped.empty() && p.unshipped.front().seq <= everywhere) p.unshipped.pop_front();
  if (p.sync_standby == from) release_parked(p, seq);
}

void PatroniPostgres::start_walsenders(Instance& p, bool replicas_connected) {
  std::fill(p.sent.begin(), p.sent.end(), 0);
  std::fill(p.on_wire.begin(), p.on_wire.end(), 0);
  std::fill(p.streaming.begin(), p.streaming.end(), replicas_connected ? 1 : 0);
  p.streaming[static_cast<size_t>(p.index)] = 0;
}

void PatroniPostgres::release_parked(Instance& p, uint64_t upto) {
  while (!p.parked.empty() && p.parked.front().seq <= upto) {
    Parked w = p.parked.front();
    p.parked.pop_front();
    if (!ctx_.flow.alive(*w.r, w.gen)) {
      p.acked_seq = std::max(p.acked_seq, w.seq);  // committed, but no client hears it
      continue;
    }
    acknowledge(p, w.seq, w.r->service);
    ctx_.flow.next_step(*w.r);
  }
}

void PatroniPostgres::fail_parked(Instance& p, bool orphan) {
  auto parked = std::move(p.parked);
  p.parked.clear();
  for (auto& w : parked) {
    if (!ctx_.flow.alive(*w.r, w.gen)) continue;
    // A crash takes the backends with it (the proxy decides); a demotion terminates them.
    if (orphan) ctx_.flow.orphan(*w.r);
    else ctx_.flow.fail(*w.r, engine::Outcome::kRefused);
  }
}

}  // namespace mailsim::models
