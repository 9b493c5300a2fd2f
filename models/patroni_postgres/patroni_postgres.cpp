#include "models/patroni_postgres/patroni_postgres.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "core/error.hpp"
#include "models/common/lost_commits.hpp"
#include "models/disk/disk_logic.hpp"
#include "models/disk/node_disk.hpp"
#include "engine/flow.hpp"
#include "engine/step_features.hpp"
#include "models/common/endpoint_probe.hpp"

namespace mailsim::models {

using engine::NodeId;
using engine::Outcome;
using engine::Request;

namespace {
constexpr double kDcsRetryDelay = 1;  // patroni/utils.py Retry: delay 1 s between DCS attempts
// ha.py fetch_node_status: "the request timeout is hardcoded to 2 seconds".
constexpr double kRestTimeout = 2;
}  // namespace

PatroniPostgres::PatroniPostgres(const config::ComponentSpec& spec, const config::Topology& topo,
                                 PatroniPostgresParams params, engine::Context& ctx)
    : Component(spec.name, ctx.platform.ids_of(spec.nodes)),
      p_(std::move(params)),
      cfg_(patroni_config(p_)),
      ctx_(ctx) {
  inst_.reserve(nodes().size());  // timers capture instances by address: never reallocate
  for (size_t i = 0; i < nodes().size(); ++i) {
    Instance in;
    in.node = nodes()[i];
    in.index = static_cast<int>(i);
    in.name = ctx.platform.name_of(in.node);
    in.disk = node_disk(ctx, topo, in.name, "");
    in.rng = core::RngStream(ctx.seed, name() + "@" + in.name);
    in.last_feedback.assign(nodes().size(), -1e300);
    in.sent.assign(nodes().size(), 0);
    in.streaming.assign(nodes().size(), 0);
    in.on_wire.assign(nodes().size(), 0);
    inst_.push_back(std::move(in));
  }
  timeline_starts_[1] = {0, 0};
  // Steady state, set up before any component starts (a balancer's first health checks
  // see it): the first node is the primary holding the leader key.
  Instance& p = inst_[0];
  p.running = true;
  p.role = PgRole::kPrimary;
  p.writable = true;
  p.leader_expiry = p_.ttl.seconds;
  for (size_t i = 1; i < inst_.size(); ++i) {
    inst_[i].running = true;
    inst_[i].upstream = 0;
  }
}

int PatroniPostgres::index_of(const std::string& node_name) const {
  for (const auto& in : inst_)
    if (in.name == node_name) return in.index;
  return -1;
}

int PatroniPostgres::register_op(const std::string& op) { return static_cast<int>(data_ops().at(op)); }

void PatroniPostgres::start() {
  dcs_ = dynamic_cast<Etcd*>(ctx_.component(p_.dcs));
  MAILSIM_ASSERT(dcs_ != nullptr, "patroni_postgres dcs survived validation without being an etcd: " + p_.dcs);
  ledger_store_ = ctx_.ledger.add_store(name(), engine::DurabilityLedger::Holds::kCommits);
  ctx_.ledger.at_end([this] { count_lost_at_end(); });
  // Steady state: the first node runs as primary (it creates the leader key in its first
  // cycle, at t = 0); the others stream from it.
  for (auto& in : inst_) {
    in.running = true;
    ++in.epoch;
    in.role = in.index == 0 ? PgRole::kPrimary : PgRole::kReplica;
    in.writable = in.index == 0;
    in.upstream = in.index == 0 ? -1 : 0;
    const double phase = in.index == 0 ? 0 : in.rng.uniform(0, p_.loop_wait.seconds);
    in.loop.arm(ctx_.sched, phase, [this, &in] { cycle(in); });  // its first cycle opens the watch
    if (in.index != 0) {
      if (p_.status_interval() > 0)
        in.feedback.arm(ctx_.sched, in.rng.uniform(0, p_.status_interval()), [this, &in] { send_status(in, true); });
      inst_[0].last_feedback[static_cast<size_t>(in.index)] = 0;
    }
  }
  primary_ = 0;
  Instance& p = inst_[0];
  start_walsenders(p, true);  // steady state: every replica streams from the first node
  ctx_.events.emit(0, engine::EventKind::kPgWritable, {{"component", name()}, {"node", p.name}, {"cause", "initial"}});
  if (p_.synchronous_mode && inst_.size() > 1) {
    p.sync_standby = 1;
    p.sync_blocking = true;
  }
}

// ---------------------------------------------------------------- the HA cycle

void PatroniPostgres::dcs_call(Instance& in, EtcdRequest req, double deadline, Done done) {
  const double now = ctx_.sched.now();
  if (now >= deadline - 1e-9) return done(false, {});
  // patroni/dcs/etcd.py: the retry_timeout budget of a request is split among the etcd
  // members, so one dead member cannot use it all.
  const double per_try = p_.retry_timeout.seconds / static_cast<double>(std::max<size_t>(1, dcs_->nodes().size()));
  const double timeout = std::min(per_try, deadline - now);
  const uint64_t epoch = in.epoch;
  Instance* ip = &in;
  dcs_->call(in.node, req, timeout, [this, ip, epoch, req, deadline, done = std::move(done)](const EtcdReply& rep) {
    if (!ip->running || ip->epoch != epoch) return;
    if (rep.ok) return done(true, rep);
    const double left = deadline - ctx_.sched.now();
    if (left <= 1e-9) return done(false, rep);
    ctx_.sched.after(std::min(kDcsRetryDelay, left), [this, ip, epoch, req, deadline, done] {
      if (ip->running && ip->epoch == epoch) dcs_call(*ip, req, deadline, done);
    });
  });
}

void PatroniPostgres::cycle(Instance& in) {
  if (!in.running || in.in_cycle) return;
  in.loop.cancel();
  in.in_cycle = true;
  in.cycle_start = ctx_.sched.now();
  in.leader_changed = false;
  keep_watching(in);
  const double deadline = in.cycle_start + p_.retry_timeout.seconds;
  Instance* ip = &in;
  // 1. Refresh our lease (etcd3: the leader key and our member key share it), or get one.
  EtcdRequest req;
  if (in.lease == 0) {
    req.kind = EtcdRequest::Kind::kLeaseGrant;
    req.ttl = p_.ttl.seconds;
  } else {
    req.kind = EtcdRequest::Kind::kLeaseKeepAlive;
    req.lease = in.lease;
  }
  dcs_call(in, req, deadline, [this, ip, deadline](bool ok, const EtcdReply& rep) {
    if (!ok) return dcs_failed(*ip);
    if (rep.lease != 0 && !rep.succeeded && ip->lease != 0) {  // expired: start over with a new lease
      ip->lease = 0;
      ip->lease_on_key = false;
      ip->in_cycle = false;
      return cycle(*ip);
    }
    if (ip->lease == 0) ip->lease = rep.lease;
    // 2. Read the cluster (a linearizable range read: it needs an etcd quorum).
    EtcdRequest range;
    range.kind = EtcdRequest::Kind::kRange;
    range.key = key("");
    dcs_call(*ip, range, deadline, [this, ip, deadline](bool ok2, const EtcdReply& r2) {
      if (!ok2) return dcs_failed(*ip);
      after_read(*ip, deadline, r2);
    });
  });
}

void PatroniPostgres::after_read(Instance& in, double deadline, const EtcdReply& rep) {
  ClusterView view;
  const std::string members = key("members/");
  for (const auto& [k, v] : rep.kvs) {
    if (k == key("leader")) view.leader = v;
    else if (k == key("optime/leader")) view.leader_optime = std::atof(v.c_str());
    else if (k == key("sync")) view.sync_standby = v;
    else if (k == key("failover")) {
      const auto space = v.find(' ');
      view.switchover_from = v.substr(0, space);
      view.switchover_to = space == std::string::npos ? "" : v.substr(space + 1);
    }
    else if (k.compare(0, members.size(), members) == 0) view.member_lsn[k.substr(members.size())] = std::atof(v.c_str());
  }
  NodeView me{in.name, in.role == PgRole::kPrimary || in.role == PgRole::kPromoting, lsn(in)};
  HaDecision d = ha_decide(cfg_, me, view);
  Instance* ip = &in;
  auto take_key = [this, ip, deadline](bool create) {
    EtcdRequest cas;
    cas.kind = EtcdRequest::Kind::kCas;
    cas.key = key("leader");
    cas.value = ip->name;
    cas.expect_absent = create;
    cas.expect_value = ip->name;
    cas.lease = ip->lease;
    dcs_call(*ip, cas, deadline, [this, ip, deadline](bool ok, const EtcdReply& r) {
      if (!ok) return dcs_failed(*ip);
      if (!r.succeeded) {  // someone else won the race, or our key is gone
        if (ip->role == PgRole::kPrimary || ip->role == PgRole::kPromoting) demote(*ip, "leader key lost");
        return end_cycle(*ip);
      }
      ip->lease_on_key = true;
      ip->leader_expiry = ctx_.sched.now() + p_.ttl.seconds;
      if (ip->role != PgRole::kPrimary && ip->role != PgRole::kPromoting) promote(*ip);
      publish(*ip, deadline);
    });
  };
  // A node being rewound or rebuilt (pg_rewind, pg_basebackup) runs them as Patroni's
  // long action: its cycles only report "reinitialize in progress" (ha.py
  // handle_long_action_in_progress) and it never races for the key; its old WAL is no data
  // to promote from.
  if (in.role == PgRole::kRewinding) return publish(in, deadline);
  switch (d.action) {
    case HaAction::kUpdateLock:
      if (in.lease_on_key && (in.role == PgRole::kPrimary || in.role == PgRole::kPromoting)) {
        // The keepalive refreshed the key's lease and the read confirmed we hold it.
        in.leader_expiry = in.cycle_start + p_.ttl.seconds;
        return publish(in, deadline);
      }
      return take_key(false);
    case HaAction::kRace: {
      // _is_healthiest_node: ask every other member's REST API (GET /patroni, 2 s timeout)
      // for its WAL position, then race only if no reachable member is ahead or primary.
      std::vector<std::string> others;
      for (const auto& [member, lsn] : view.member_lsn)
        if (member != in.name && index_of(member) >= 0) others.push_back(member);
      return poll_members(in, others, [this, ip, take_key](const std::vector<MemberStatus>& statuses) {
        const NodeView self{ip->name, ip->role == PgRole::kPrimary || ip->role == PgRole::kPromoting, lsn(*ip)};
        if (!is_healthiest(self, statuses)) {
          ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kPatroniNotHealthiest, {{"component", name()}, {"node", ip->name}});
          return end_cycle(*ip);
        }
        ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kPatroniRace, {{"component", name()}, {"node", ip->name}});
        take_key(true);
      });
    }
    case HaAction::kDemote:
      demote(in, "leader key held by " + *view.leader);
      [[fallthrough]];
    case HaAction::kFollow:
      follow(in, index_of(*view.leader));
      return publish(in, deadline);
    case HaAction::kWaitNotHealthy:
      return publish(in, deadline);
    case HaAction::kTakeOver: {
      ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kPatroniRace, {{"component", name()}, {"node", in.name}});
      EtcdRequest done;  // the switchover is done once we hold the key: clear /failover
      done.kind = EtcdRequest::Kind::kDelete;
      done.key = key("failover");
      dcs_->call(in.node, done, p_.retry_timeout.seconds, [](const EtcdReply&) {});
      return take_key(true);
    }
    case HaAction::kSwitchover: {
      // is_failover_possible: the candidate's REST API must answer that it is a replica
      // within maximum_lag_on_failover.
      const int to = index_of(view.switchover_to);
      if (to < 0) return take_key(false);
      return poll_members(in, {view.switchover_to}, [this, ip, to, take_key](const std::vector<MemberStatus>& st) {
        const bool fit = st[0].reachable && st[0].in_recovery && lsn(*ip) - st[0].wal_position <= p_.maximum_lag_on_failover.bytes;
        if (!fit) {
          ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kPatroniNotHealthiest, {{"component", name()}, {"node", st[0].name}});
          EtcdRequest drop;  // Patroni clears a switchover it cannot do
          drop.kind = EtcdRequest::Kind::kDelete;
          drop.key = key("failover");
          dcs_->call(ip->node, drop, p_.retry_timeout.seconds, [](const EtcdReply&) {});
          return take_key(false);
        }
        hand_over(*ip, to);
      });
    }
  }
}

// A planned handover (ha.py demote('graceful')): no new writes; PostgreSQL's fast shutdown
// lets the walsenders send every WAL record and waits for the standby's flush confirmation
// (WalSndDone), bounded here by wal_sender_timeout; then the key goes.
void PatroniPostgres::hand_over(Instance& in, int to) {
  lose_primary(in, "switchover");
  in.handover_to = to;
  wal_send(in, to);
  Instance* ip = &in;
  const uint64_t epoch = in.epoch;
  if (std::isfinite(p_.sender_timeout()))
    ctx_.sched.after(p_.sender_timeout(), [this, ip, epoch] {
      if (ip->running && ip->epoch == epoch && ip->handover_to >= 0) finish_handover(*ip);
    });
  send_status(inst_[static_cast<size_t>(to)], false);  // its next reply tells where it stands
}

void PatroniPostgres::finish_handover(Instance& in) {
  in.handover_to = -1;
  fail_parked(in, false);
  demote(in, "switchover");
  EtcdRequest del;
  del.kind = EtcdRequest::Kind::kDelete;
  del.key = key("leader");
  Instance* ip = &in;
  dcs_call(in, del, ctx_.sched.now() + p_.retry_timeout.seconds, [this, ip](bool, const EtcdReply&) { end_cycle(*ip); });
}

// GET /patroni on each named member, in parallel (ha.py fetch_nodes_statuses): a member
// answers with its role and WAL position if its host is up, reachable and Patroni runs; a
// silent one is unreachable after kRestTimeout. `done` gets every status once all answered
// or the timeout passed.
void PatroniPostgres::poll_members(Instance& in, const std::vector<std::string>& members,
                                   std::function<void(const std::vector<MemberStatus>&)> done) {
  struct Poll {
    std::vector<MemberStatus> statuses;
    size_t answered = 0;
    bool decided = false;
  };
  auto poll = std::make_shared<Poll>();
  for (const auto& m : members) poll->statuses.push_back({m, false, true, 0});
  Instance* ip = &in;
  const uint64_t epoch = in.epoch;
  auto decide = [this, ip, epoch, poll, done] {
    if (poll->decided || !ip->running || ip->epoch != epoch) return;
    poll->decided = true;
    done(poll->statuses);
  };
  if (members.empty()) return decide();
  ctx_.sched.after(kRestTimeout, decide);
  for (size_t k = 0; k < members.size(); ++k) {
    Instance* op = &inst_[static_cast<size_t>(index_of(members[k]))];
    auto there = ctx_.net.transit(in.node, op->node, kStatusBytes);
    if (!there) continue;
    ctx_.sched.after(*there, [this, ip, op, poll, k, decide] {
      if (!ctx_.platform.is_up(op->node)) return;  // a dead host: silent until the timeout
      // A stopped Patroni on a live host: connection refused, unreachable at once.
      MemberStatus st{op->name, op->running, op->role != PgRole::kPrimary && op->role != PgRole::kPromoting, lsn(*op)};
      auto back = ctx_.net.transit(op->node, ip->node, kStatusBytes);
      if (!back) return;
      ctx_.sched.after(*back, [poll, k, st, decide] {
        if (poll->decided) return;
        poll->statuses[k] = st;
        if (++poll->answered == poll->statuses.size()) decide();
      });
    });
  }
}

// Member key (with our lease) and, on the primary, /optime/leader and the sync state.
void PatroniPostgres::publish(Instance& in, double deadline) {
  EtcdRequest put;
  put.kind = EtcdRequest::Kind::kPut;
  put.key = key("members/" + in.name);
  put.value = std::to_string(lsn(in));
  put.lease = in.lease;
  Instance* ip = &in;
  dcs_call(in, put, deadline, [this, ip, deadline](bool ok, const EtcdReply&) {
    if (!ok) return dcs_failed(*ip);
    if (ip->role != PgRole::kPrimary) return end_cycle(*ip);
    EtcdRequest opt;
    opt.kind = EtcdRequest::Kind::kPut;
    opt.key = key("optime/leader");
    opt.value = std::to_string(lsn(*ip));
    dcs_call(*ip, opt, deadline, [this, ip, deadline](bool ok2, const EtcdReply&) {
      if (!ok2) return dcs_failed(*ip);
      manage_sync(*ip, deadline);
    });
  });
}

void PatroniPostgres::manage_sync(Instance& p, double deadline) {
  if (!p_.synchronous_mode) return end_cycle(p);
  const double now = ctx_.sched.now();
  auto connected = [&](int r) {
    const Instance& ri = inst_[static_cast<size_t>(r)];
    return r != p.index && ri.upstream == p.index && now - p.last_feedback[static_cast<size_t>(r)] <= p_.sender_timeout();
  };
  int pick = p.sync_standby >= 0 && connected(p.sync_standby) ? p.sync_standby : -1;
  for (size_t r = 0; pick < 0 && r < inst_.size(); ++r)
    if (connected(static_cast<int>(r))) pick = static_cast<int>(r);
  const int before = p.sync_standby;
  p.sync_standby = pick;
  p.sync_blocking = pick >= 0 || p_.synchronous_mode_strict;
  if (!p.sync_blocking) release_parked(p, p.seq);  // fall back to asynchronous commits
  if (before != pick)
    ctx_.events.emit(now, engine::EventKind::kPgSyncStandby, {{"component", name()}, {"node", p.name},
                                              {"standby", pick >= 0 ? inst_[static_cast<size_t>(pick)].name : ""}});
  EtcdRequest put;
  put.kind = EtcdRequest::Kind::kPut;
  put.key = key("sync");
  put.value = pick >= 0 ? inst_[static_cast<size_t>(pick)].name : "";
  Instance* ip = &p;
  dcs_call(p, put, deadline, [this, ip](bool ok, const EtcdReply&) {
    if (!ok) return dcs_failed(*ip);
    end_cycle(*ip);
  });
}

void PatroniPostgres::end_cycle(Instance& in) {
  if (!in.running) return;
  in.in_cycle = false;
  // patroni/__init__.py: sleep loop_wait minus the cycle's own duration; dcs.watch() returns
  // at once when the leader key changed since the cycle's read.
  const bool woken = (in.leader_changed && in.role != PgRole::kPrimary) || std::exchange(in.wake, false);
  const double next = woken ? 0.0 : std::max(0.0, in.cycle_start + p_.loop_wait.seconds - ctx_.sched.now());
  Instance* ip = &in;
  in.loop.arm(ctx_.sched, next, [this, ip] { cycle(*ip); });
}

// Patroni's etcd3 client keeps a watch stream on the cluster's keys open (its KV cache); a
// change of the leader key wakes a sleeping replica at once, or, during a cycle, makes the
// next one start without the sleep. The stream lives on the client's current etcd endpoint:
// when failed calls moved the client to another member, it is opened there again.
void PatroniPostgres::keep_watching(Instance& in) {
  if (in.watch_member >= 0 && in.watch_member == dcs_->endpoint_of(in.node)) return;
  Instance* ip = &in;
  const uint64_t epoch = in.epoch;
  in.watch_member = dcs_->watch(in.node, key("leader"), [this, ip, epoch] {
    if (!ip->running || ip->epoch != epoch || ip->role == PgRole::kPrimary) return;
    if (ip->in_cycle) {
      ip->leader_changed = true;
      return;
    }
    cycle(*ip);
  });
}

void PatroniPostgres::dcs_failed(Instance& in) {
  ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kPatroniDcsUnreachable, {{"component", name()}, {"node", in.name}});
  const bool primary = in.role == PgRole::kPrimary || in.role == PgRole::kPromoting;
  if (!primary) return end_cycle(in);
  if (!p_.failsafe_mode) {
    demote(in, "dcs unreachable for retry_timeout");
    return end_cycle(in);
  }
  // DCS failsafe mode: POST /failsafe to every other member; all must answer.
  auto answered = std::make_shared<int>(0);
  auto decided = std::make_shared<bool>(false);
  const int others = static_cast<int>(inst_.size()) - 1;
  Instance* ip = &in;
  const uint64_t epoch = in.epoch;
  auto decide = [this, ip, epoch, decided](bool all) {
    if (*decided || !ip->running || ip->epoch != epoch) return;
    *decided = true;
    if (keep_primary_without_dcs(cfg_, all)) {
      ip->leader_expiry = ctx_.sched.now() + p_.ttl.seconds;
      ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kPatroniFailsafeActive, {{"component", name()}, {"node", ip->name}});
    } else {
      demote(*ip, "dcs unreachable, failsafe not confirmed by every member");
    }
    end_cycle(*ip);
  };
  ctx_.sched.after(p_.failsafe_timeout.seconds, [decide] { decide(false); });
  if (others == 0) return decide(true);
  for (auto& o : inst_) {
    if (&o == &in) continue;
    auto there = ctx_.net.transit(in.node, o.node, kStatusBytes);
    if (!there) continue;
    Instance* op = &o;
    ctx_.sched.after(*there, [this, ip, op, answered, others, decide] {
      if (!op->running) return;
      auto back = ctx_.net.transit(op->node, ip->node, kStatusBytes);
      if (!back) return;
      ctx_.sched.after(*back, [answered, others, decide] {
        if (++*answered == others) decide(true);
      });
    });
  }
}

// ---------------------------------------------------------------- role changes

void PatroniPostgres::promote(Instance& in) {
  in.role = PgRole::kPromoting;
  in.upstream = -1;
  in.feedback.cancel();
  const double wal = p_.wal_per_write.bytes;
  ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kPatroniLockAcquired,
                   {{"component", name()}, {"node", in.name},
                    {"unreplayed_wal_bytes", static_cast<double>(in.received - std::min(in.received, in.replayed)) * wal}});
  // Patroni runs `pg_ctl promote`: the signal sets the startup process's latch, which wakes
  // it at once from its wait for WAL (PostgreSQL xlogrecovery.c, WakeupRecovery).
  finish_promotion(in);
}

// The end of recovery (PostgreSQL docs, warm-standby "Failover" and app-pg-ctl "promote";
// xlog.c StartupXLOG): the walreceiver stops, flushing what it holds, and the startup process
// replays every WAL record it received before it accepts writes, so promotion takes as long
// as the unreplayed WAL needs at wal_replay_rate.
void PatroniPostgres::finish_promotion(Instance& me) {
  if (me.replayed < me.received) {
    Instance* ip = &me;
    const uint64_t epoch = me.epoch;
    const double done = std::max(me.disk_free_at, me.replay_free_at);
    ctx_.sched.at(std::max(done, ctx_.sched.now()), [this, ip, epoch] {
      if (ip->running && ip->epoch == epoch && ip->role == PgRole::kPromoting) finish_promotion(*ip);
    });
    return;
  }
  // Fast promotion (PostgreSQL >= 9.3, the only kind pg_ctl promote asks for; commit
  // "Rename the fast_promote file to just promote", 2013): no end-of-recovery checkpoint.
  // The startup process picks the next timeline, writes and fsyncs its history file, writes
  // and flushes an XLOG_END_OF_RECOVERY record and updates pg_control, then takes writes; the
  // checkpoint is only requested (CHECKPOINT_FORCE, spread over checkpoint_completion_target
  // x checkpoint_timeout) and runs in the background. Those three writes queue on the disk.
  end_of_recovery_writes(me, kEndOfRecoveryWrites);
}

// Each of fast promotion's writes is synchronous (the history file and pg_control are
// fsynced, the end-of-recovery record flushed): on the node's disk device the next one is
// issued once the previous is durable, each behind whatever the device serves meanwhile (its
// other users' operations). A node without a disk writes them at disk_write_rate in one go.
void PatroniPostgres::end_of_recovery_writes(Instance& me, int left) {
  const int now_written = me.disk != nullptr ? 1 : left;
  const double durable = durable_write(me, now_written * kEndOfRecoveryPage);
  Instance* ip = &me;
  ctx_.sched.at(durable, [this, ip, epoch = me.epoch, left = left - now_written] {
    if (!ip->running || ip->epoch != epoch || ip->role != PgRole::kPromoting) return;
    if (left > 0) return end_of_recovery_writes(*ip, left);
    become_primary(*ip);
  });
}

double PatroniPostgres::durable_write(Instance& in, double bytes) {
  const double now = ctx_.sched.now();
  in.disk_free_at = in.disk != nullptr ? std::max(in.disk_free_at, in.disk->submit(now, log_append_op(bytes)))
                                       : std::max(now, in.disk_free_at) + bytes / p_.disk_write_rate.bytes_per_s;
  return in.disk_free_at;
}

// The new timeline: the promoted node takes writes.
void PatroniPostgres::become_primary(Instance& me) {
  const int old = primary_;
  uint64_t lost = 0;
  // Transactions the old primary acknowledged past the history we share with it are gone
  // with its timeline (it pg_rewinds them away when it rejoins). We may be on an older
  // timeline than it (we never followed its promotion): then what we share ends where its
  // timeline forked from ours, not at our WAL position. lost_commits is what the ledger
  // counts: the acknowledged commits among them, each once (an earlier failover may have
  // counted some already: they came back with a node that never followed, and are gone again).
  if (old >= 0 && old != me.index) {
    Instance& o = inst_[static_cast<size_t>(old)];
    lost = count_lost(o, shared_commits(o, me));
    timeline_starts_[++timelines_] = {me.timeline, me.seq};
    me.timeline = timelines_;
    // Our own commits from an earlier term as primary were counted or shipped by now.
    me.unshipped.clear();
  }
  lost_total_ += lost;
  me.role = PgRole::kPrimary;
  me.writable = true;
  me.acked_seq = me.seq;
  std::fill(me.last_feedback.begin(), me.last_feedback.end(), -1e300);
  start_walsenders(me, false);  // replicas connect when they follow us (their status)
  me.sync_standby = -1;
  me.sync_blocking = p_.synchronous_mode && p_.synchronous_mode_strict;
  primary_ = me.index;
  const double now = ctx_.sched.now();
  ctx_.events.emit(now, engine::EventKind::kPgPromoted, {{"component", name()}, {"node", me.name}, {"timeline", me.timeline}, {"lost_commits", lost}, {"lsn", lsn(me)}});
  ctx_.events.emit(now, engine::EventKind::kPgWritable, {{"component", name()}, {"node", me.name}, {"cause", "promoted"}});
  const std::string from = failover_from_ >= 0 ? inst_[static_cast<size_t>(failover_from_)].name : "";
  ctx_.events.emit(now, engine::EventKind::kFailoverCompleted, {{"component", name()}, {"from", from}, {"to", me.name}, {"lost_commits", lost}});
  failover_from_ = -1;
}

// The old primary's acknowledged commits past `kept_seq` (what the new primary has) are
// gone; those that queued a message lose it (the client had its 250).
uint64_t PatroniPostgres::count_lost(Instance& old, uint64_t kept_seq) {
  LostCommits lost(ctx_, ledger_store_);
  for (const auto& c : old.unshipped)
    if (c.seq > kept_seq && c.seq <= old.acked_seq && c.acknowledged_at >= 0) lost.add(c.service, c.message, c.acknowledged_at);
  old.unshipped.clear();
  return lost.report(name(), "async replication: acknowledged commits missing on the new primary");
}

uint64_t PatroniPostgres::shared_commits(const Instance& a, const Instance& b) const {
  // Walk both histories back to their common timeline (a child's number is always above its
  // parent's), each capped at the fork points it passes.
  int ta = a.timeline, tb = b.timeline;
  uint64_t upto_a = a.seq, upto_b = b.seq;
  while (ta != tb) {
    int& newer = ta > tb ? ta : tb;
    uint64_t& upto = ta > tb ? upto_a : upto_b;
    const TimelineStart& start = timeline_starts_.at(newer);
    upto = std::min(upto, start.fork_seq);
    newer = start.parent;
  }
  return std::min(upto_a, upto_b);
}

// At the end of the run: a primary whose node is down (never came back, so its disk counts
// as lost) keeps on a surviving copy only what a replica that is up has flushed.
void PatroniPostgres::count_lost_at_end() {
  if (primary_ < 0) return;
  Instance& p = inst_[static_cast<size_t>(primary_)];
  if (ctx_.platform.is_up(p.node)) return;
  uint64_t kept = 0;
  for (const auto& o : inst_)
    if (&o != &p && ctx_.platform.is_up(o.node)) kept = std::max(kept, shared_commits(o, p));
  count_lost(p, kept);
}

void PatroniPostgres::acknowledge(Instance& p, uint64_t seq, int service) {
  p.acked_seq = std::max(p.acked_seq, seq);
  const double now = ctx_.sched.now();
  ctx_.ledger.acknowledged(ledger_store_, service, now);
  // Still unshipped (seq order, no gaps): note when it was acknowledged.
  if (!p.unshipped.empty() && p.unshipped.front().seq <= seq) {
    const auto i = static_cast<size_t>(seq - p.unshipped.front().seq);
    if (i < p.unshipped.size()) p.unshipped[i].acknowledged_at = now;
  }
}

void PatroniPostgres::lose_primary(Instance& in, const std::string& cause) {
  if (!in.writable) return;
  in.writable = false;
  ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kPgReadOnly,
                   {{"component", name()}, {"node", in.name}, {"cause", cause}, {"lsn", lsn(in)}});
  if (failover_from_ < 0) {
    failover_from_ = in.index;
    ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kFailoverStarted, {{"component", name()}, {"from", in.name}, {"cause", cause}});
  }
}

void PatroniPostgres::demote(Instance& in, const std::string& cause) {
  if (in.role != PgRole::kPrimary && in.role != PgRole::kPromoting) return;
  lose_primary(in, cause);
  in.role = PgRole::kReplica;
  wal_settled(in);
  in.leader_expiry = 0;
  in.lease_on_key = false;
  in.sync_standby = -1;
  in.sync_blocking = false;
  fail_parked(in, false);
  ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kPgDemoted, {{"component", name()}, {"node", in.name}, {"cause", cause}});
}

void PatroniPostgres::follow(Instance& in, int leader) {
  if (leader < 0 || leader == in.index) return;
  const Instance& l = inst_[static_cast<size_t>(leader)];
  if (in.role == PgRole::kRewinding) return;
  const bool changed = in.upstream != leader;
  in.upstream = leader;
  if (in.timeline != l.timeline) {
    // Our WAL must be a prefix of the leader's history to stream (else: rewind or rebuild).
    const uint64_t fork = shared_commits(in, l);
    if (in.seq > fork) return resync(in, l, fork);
    in.timeline = l.timeline;
  }
  if (changed || !in.feedback.armed()) send_status(in, true);
}

// Our WAL went past the point where the leader's timeline forked: it cannot stream. With
// use_pg_rewind, pg_rewind copies back the blocks our diverged WAL touched (about that WAL's
// size) from the leader; without it (Patroni's default) the data directory is rebuilt with
// pg_basebackup from the leader: data_size over the network, written to disk, whichever is
// slower (they run as one pipeline).
void PatroniPostgres::resync(Instance& in, const Instance& leader, uint64_t fork) {
  const double diverged = static_cast<double>(in.seq - fork) * p_.wal_per_write.bytes;
  const double bytes = p_.use_pg_rewind ? diverged : p_.data_size.bytes;
  auto wire = ctx_.net.transit(leader.node, in.node, bytes);
  if (!wire) return;  // the leader is unreachable: the next cycle tries again
  const double took = std::max(*wire, bytes / p_.disk_write_rate.bytes_per_s);
  in.role = PgRole::kRewinding;
  in.feedback.cancel();
  const char* how = p_.use_pg_rewind ? "pg_rewind" : "pg_basebackup";
  ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kPgResyncStarted,
                   {{"component", name()}, {"node", in.name}, {"method", how}, {"bytes", bytes}, {"expected_s", took}});
  Instance* ip = &in;
  const uint64_t epoch = in.epoch;
  const int tl = leader.timeline;
  // A base backup holds the leader's WAL up to its start; a rewind goes back to the fork.
  const uint64_t base = p_.use_pg_rewind ? fork : leader.seq;
  ctx_.sched.after(took, [this, ip, epoch, tl, fork, base, how] {
    if (!ip->running || ip->epoch != epoch) return;
    const uint64_t discarded = ip->seq - fork;
    ip->seq = base;
    ip->acked_seq = std::min(ip->acked_seq, fork);
    wal_settled(*ip);
    ip->timeline = tl;
    ip->role = PgRole::kReplica;
    ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kPgRewound,
                     {{"component", name()}, {"node", ip->name}, {"method", how}, {"discarded_commits", discarded}});
    send_status(*ip, true);
  });
}

void PatroniPostgres::boot(Instance& in) {
  in.running = true;
  ++in.epoch;
  in.role = PgRole::kReplica;  // Patroni starts PostgreSQL in recovery unless it holds the key
  wal_settled(in);             // crash recovery replays the flushed WAL; unflushed WAL is gone
  in.writable = false;
  in.leader_expiry = 0;
  in.lease = 0;
  in.lease_on_key = false;
  in.upstream = -1;
  in.in_cycle = false;
  in.watch_member = -1;
  in.sync_standby = -1;
  in.sync_blocking = false;
  std::fill(in.last_feedback.begin(), in.last_feedback.end(), -1e300);
  cycle(in);
}

void PatroniPostgres::halt(Instance& in, const std::string& cause) {
  if (!in.running) return;
  lose_primary(in, cause);
  in.running = false;
  ++in.epoch;
  in.loop.cancel();
  in.feedback.cancel();
  in.in_cycle = false;
  in.leader_expiry = 0;
  // Commits still waiting for their WAL flush end as the parked ones do.
  for (auto* flushing : {&in.wal_batch, &in.wal_waiting}) {
    in.parked.insert(in.parked.end(), flushing->begin(), flushing->end());
    flushing->clear();
  }
  fail_parked(in, cause == "crash");
}

// ---------------------------------------------------------------- request path

void PatroniPostgres::on_request(Request& r) {
  if (r.target < 0) return libpq_try(r, 0);
  go_to(r, r.target);
}

// No balancer chose: the client connects as libpq with a host list does (libpq-connect,
// target_session_attrs): hosts in order, each within connect_timeout; a refused or silent
// host is skipped; for a write (read-write) it asks SHOW transaction_read_only and skips a
// server in recovery. Each request opens its own connection (no client-side pool).
void PatroniPostgres::libpq_try(Request& r, size_t host) {
  if (host >= inst_.size()) return ctx_.flow.fail(r, Outcome::kConnectFailed);
  const bool write = static_cast<DataOp>(ctx_.flow.op_slot(r)) == DataOp::kWrite;
  // connect_timeout 0 (libpq's default) waits for the kernel: Linux gives up a connect after
  // tcp_syn_retries = 6 retransmissions from a 1 s RTO, 127 s.
  constexpr double kKernelConnectLimit = 127;
  const double limit = p_.client_connect_timeout.seconds > 0 ? p_.client_connect_timeout.seconds : kKernelConnectLimit;
  const double give_up = ctx_.sched.now() + limit;
  const NodeId server = inst_[host].node;
  const uint32_t gen = r.gen;
  Request* rp = &r;
  probe_endpoint(ctx_, r.at, server, *this, write ? "pg_read_write" : "tcp", kStatusBytes, {give_up, give_up},
                 [this, rp, gen, host, server](double t, ProbeResult res) {
                   ctx_.sched.at(t, [this, rp, gen, host, server, res] {
                     if (!ctx_.flow.alive(*rp, gen)) return;
                     if (res == ProbeResult::kOk) return go_to(*rp, server);
                     libpq_try(*rp, host + 1);
                   });
                 });
}

void PatroniPostgres::go_to(Request& r, NodeId target) {
  if (target == r.at) return arrive(r);
  ctx_.flow.hop(r, target, ctx_.flow.request_bytes(r), [this](Request& req) { arrive(req); },
                [this](Request& req) {
                  if (req.step == 0) return ctx_.flow.syn_unanswered(req);
                  ctx_.flow.lose(req);
                });
}

void PatroniPostgres::arrive(Request& r) {
  const int i = instance_of(r.at);
  const Instance& in = inst_[static_cast<size_t>(i)];
  if (!in.running || in.role == PgRole::kRewinding) return ctx_.flow.fail(r, Outcome::kRefused);
  if (static_cast<DataOp>(ctx_.flow.op_slot(r)) == DataOp::kWrite && !in.writable) return ctx_.flow.fail(r, Outcome::kReadOnly);
  ctx_.flow.run_cpu(r, ctx_.flow.sample_cpu(r), this);
}

void PatroniPostgres::on_cpu_done(Request& r, bool ok) {
  if (!ok) return ctx_.flow.orphan(r);
  Instance& in = inst_[static_cast<size_t>(instance_of(r.at))];
  if (!in.running) return ctx_.flow.orphan(r);
  if (static_cast<DataOp>(ctx_.flow.op_slot(r)) != DataOp::kWrite) return ctx_.flow.next_step(r);
  if (!in.writable) return ctx_.flow.fail(r, Outcome::kReadOnly);  // demoted while it ran
  if (in.disk == nullptr) return commit(in, r);
  in.wal_waiting.push_back({&r, r.gen, 0});
  if (in.wal_batch.empty()) wal_flush(in);
}

// XLogFlush at commit (wal_sync_method fdatasync): the commit record is written and flushed
// before the commit counts, and a backend that finds a flush under way waits for it, then
// flushes everything written meanwhile in one go: group commit (PostgreSQL docs,
// wal-configuration: commit_delay "more than one transaction ... committed by a single flush").
void PatroniPostgres::wal_flush(Instance& in) {
  if (in.wal_waiting.empty()) return;
  in.wal_batch = std::move(in.wal_waiting);
  in.wal_waiting.clear();
  const double bytes = static_cast<double>(in.wal_batch.size()) * p_.wal_per_write.bytes;
  Instance* ip = &in;
  ctx_.sched.at(in.disk->submit(ctx_.sched.now(), log_append_op(bytes)), [this, ip, epoch = in.epoch] {
    if (!ip->running || ip->epoch != epoch) return;  // halt() took the batch's requests
    auto batch = std::move(ip->wal_batch);
    ip->wal_batch.clear();
    for (const auto& w : batch) {
      if (!ctx_.flow.alive(*w.r, w.gen)) continue;
      if (ip->writable) commit(*ip, *w.r);
      else ctx_.flow.fail(*w.r, Outcome::kReadOnly);  // demoted meanwhile
    }
    wal_flush(*ip);
  });
}

void PatroniPostgres::commit(Instance& in, Request& r) {
  const uint64_t seq = ++in.seq;
  const uint64_t message = ctx_.features.delivery.at_queue_step(r) ? ctx_.features.delivery.message_id(r) : 0;
  in.unshipped.push_back({seq, r.service, message});
  if (in.sync_blocking) {
    in.parked.push_back({&r, r.gen, seq});
  } else {
    acknowledge(in, seq, r.service);
    ctx_.flow.next_step(r);
  }
  wal_send_all(in);
}

bool PatroniPostgres::health(NodeId n, const std::string& check) const {
  const int i = instance_of(n);
  if (i < 0) return false;
  const Instance& in = inst_[static_cast<size_t>(i)];
  if (!in.running) return false;
  const bool is_leader = ctx_.sched.now() < in.leader_expiry;  // ha.py is_leader()
  // Patroni REST API (rest_api.rst): /primary: running as primary with the leader lock;
  // /replica: running as a replica; /leader: holds the leader lock.
  if (check == "patroni_primary") return in.role == PgRole::kPrimary && in.writable && is_leader;
  if (check == "patroni_replica") return in.role == PgRole::kReplica;
  if (check == "patroni_leader") return is_leader;
  // libpq's target_session_attrs=read-write: SHOW transaction_read_only answers off.
  if (check == "pg_read_write") return in.writable;
  return accepts(n);
}

bool PatroniPostgres::accepts(NodeId n) const {
  const int i = instance_of(n);
  return i >= 0 && inst_[static_cast<size_t>(i)].running && inst_[static_cast<size_t>(i)].role != PgRole::kRewinding;
}

std::optional<NodeId> PatroniPostgres::resolve_role(const std::string& role) const {
  const PatroniRole wanted = patroni_postgres_roles().at(role);
  for (const auto& in : inst_) {
    if (!in.running) continue;
    if (wanted == PatroniRole::kPrimary && in.writable) return in.node;
    if (wanted == PatroniRole::kReplica && in.role == PgRole::kReplica) return in.node;
  }
  return std::nullopt;
}

void PatroniPostgres::on_node_down(NodeId n) { halt(inst_[static_cast<size_t>(instance_of(n))], "crash"); }
void PatroniPostgres::on_node_up(NodeId n) { boot(inst_[static_cast<size_t>(instance_of(n))]); }

void PatroniPostgres::stop_instance(NodeId n) {
  Instance& in = inst_[static_cast<size_t>(instance_of(n))];
  if (!in.running) return;
  // Patroni's shutdown: stop PostgreSQL, then delete the leader key if we hold it.
  if (in.role == PgRole::kPrimary && in.lease_on_key) {
    EtcdRequest d2;
    d2.kind = EtcdRequest::Kind::kDelete;
    d2.key = key("leader");
    dcs_->call(in.node, d2, p_.retry_timeout.seconds, [](const EtcdReply&) {});
  }
  halt(in, "stop");
}

// patronictl switchover: it finds the leader in the DCS and POSTs /switchover to its REST
// API, which writes /failover and wakes the leader's HA loop. Without a candidate, the first
// running replica in node order (patronictl offers the replicas).
void PatroniPostgres::switchover(std::optional<NodeId> candidate) {
  if (primary_ < 0) return;
  Instance& leader = inst_[static_cast<size_t>(primary_)];
  int to = candidate ? instance_of(*candidate) : -1;
  for (size_t i = 0; to < 0 && i < inst_.size(); ++i)
    if (static_cast<int>(i) != primary_ && inst_[i].running) to = static_cast<int>(i);
  if (to < 0 || to == primary_ || !leader.running || !leader.writable) return;
  EtcdRequest put;
  put.kind = EtcdRequest::Kind::kPut;
  put.key = key("failover");
  put.value = leader.name + " " + inst_[static_cast<size_t>(to)].name;
  Instance* ip = &leader;
  const uint64_t epoch = leader.epoch;
  dcs_call(leader, put, ctx_.sched.now() + p_.retry_timeout.seconds, [this, ip, epoch](bool ok, const EtcdReply&) {
    if (!ok || !ip->running || ip->epoch != epoch) return;
    if (ip->in_cycle) ip->wake = true;
    else cycle(*ip);
  });
}

void PatroniPostgres::start_instance(NodeId n) {
  Instance& in = inst_[static_cast<size_t>(instance_of(n))];
  if (!in.running) boot(in);
}

nlohmann::json PatroniPostgres::resolved_params() const {
  nlohmann::json j = patroni_postgres_params().resolved(p_);
  return j;
}

}  // namespace mailsim::models
