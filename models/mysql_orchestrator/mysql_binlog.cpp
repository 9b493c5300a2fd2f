// MySQL's asynchronous replication as mysql_orchestrator models it: the primary's binlog,
// the dump thread that streams each event to the replicas' IO threads, and what a promotion
// loses. Defaults of MySQL 8.0: sync_binlog = 1 and innodb_flush_log_at_trx_commit = 1 (a
// commit is in the binlog before the client hears of it), asynchronous replication (the
// primary does not wait for any replica).
#include "models/mysql_orchestrator/mysql_orchestrator.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "engine/flow.hpp"
#include "engine/step_features.hpp"
#include "models/common/lost_commits.hpp"

namespace mailsim::models {

// A write committed on `instance`. On the primary it joins the binlog and is streamed; on an
// instance the writer address no longer names (a primary cut off while Orchestrator promoted
// another, still reached by a client that resolved it before), it is acknowledged and lost:
// that instance never rejoins the cluster.
void MysqlOrchestrator::commit(int instance, engine::Request& r) {
  const double now = ctx_.sched.now();
  ctx_.ledger.acknowledged(ledger_store_, r.service, now);
  const uint64_t message = ctx_.features.delivery.at_queue_step(r) ? ctx_.features.delivery.message_id(r) : 0;
  if (instance != primary_) {
    ctx_.ledger.lost(ledger_store_, r.service, now);
    if (message != 0) ctx_.features.delivery.message_lost(r.service, message, now);
    return;
  }
  const uint64_t seq = ++received_[static_cast<size_t>(instance)];
  binlog_.push_back({seq, r.service, message, now, ctx_.flow.request_bytes(r)});
  for (size_t k = 0; k < replicating_.size(); ++k) stream(k);
}

// The dump thread streams the binlog to a replica's IO thread on one TCP connection, a
// window at a time: the events past what the replica received, up to binlog_window bytes
// (at least one event); the next window leaves when this one has arrived. What does not fit
// waits in the primary's binlog: a replica that cannot keep up lags there, and the link
// carries at most a window per replica, so other traffic does not queue behind the backlog.
// A connection that fails (a cut, a dead host) is retried after connect_retry, from the
// replica's position.
void MysqlOrchestrator::stream(size_t k) {
  if (streaming_[k] || !replicating_[k] || !running_[k] || binlog_.empty()) return;
  // A replica back from an outage that every running replica outpaced: what they all had is
  // no longer kept here (trim_binlog), and it takes that part at once.
  received_[k] = std::max(received_[k], binlog_.front().seq - 1);
  const uint64_t have = received_[k];
  if (have >= binlog_.back().seq) return;
  size_t i = static_cast<size_t>(have + 1 - binlog_.front().seq);  // the binlog is seq-contiguous
  double bytes = 0;
  uint64_t last = have;
  for (; i < binlog_.size() && (last == have || bytes + binlog_[i].bytes <= p_.binlog_window.bytes); ++i) {
    bytes += binlog_[i].bytes;
    last = binlog_[i].seq;
  }
  streaming_[k] = 1;
  const auto delay = ctx_.net.transit(nodes()[static_cast<size_t>(primary_)], nodes()[k], bytes);
  const uint64_t gen = generation_;
  if (!delay) {
    ctx_.sched.after(p_.connect_retry.seconds, [this, k, gen] {
      if (gen != generation_) return;
      streaming_[k] = 0;
      stream(k);
    });
    return;
  }
  ctx_.sched.after(*delay, [this, k, last, gen] {
    if (gen != generation_) return;
    streaming_[k] = 0;
    if (!replicating_[k] || !running_[k]) return;
    received_[k] = std::max(received_[k], last);
    trim_binlog();
    stream(k);
  });
}

// Commits every running replica has received cannot be lost by a failover: drop them.
void MysqlOrchestrator::trim_binlog() {
  uint64_t everywhere = std::numeric_limits<uint64_t>::max();
  bool any = false;
  for (size_t k = 0; k < replicating_.size(); ++k)
    if (replicating_[k] && running_[k]) {
      everywhere = std::min(everywhere, received_[k]);
      any = true;
    }
  if (!any) return;
  while (!binlog_.empty() && binlog_.front().seq <= everywhere) binlog_.pop_front();
}

// The primary's acknowledged commits past `kept` (the last transaction the surviving copy
// has) are lost; those that queued a message lose it (the client had its 250).
uint64_t MysqlOrchestrator::count_lost(uint64_t kept) {
  LostCommits lost(ctx_, ledger_store_);
  for (const auto& c : binlog_)
    if (c.seq > kept) lost.add(c.service, c.message, c.acknowledged_at);
  binlog_.clear();
  return lost.report(name(), "async replication: acknowledged commits missing on the promoted replica");
}

// At the end of the run: a primary whose node is down (its disk counts as lost) keeps on a
// surviving copy only what an up instance of its history received (a replica, or one
// Orchestrator stopped in a recovery that did not finish; not an old primary, whose history
// forked).
void MysqlOrchestrator::count_lost_at_end() {
  const auto p = static_cast<size_t>(primary_);
  if (ctx_.platform.is_up(nodes()[p])) return;
  uint64_t kept = 0;
  for (size_t k = 0; k < received_.size(); ++k)
    if (k != p && lineage_[k] == lineage_[p] && ctx_.platform.is_up(nodes()[k])) kept = std::max(kept, received_[k]);
  count_lost(kept);
}

}  // namespace mailsim::models
