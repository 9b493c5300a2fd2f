#include "models/pgbouncer/pgbouncer.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "engine/flow.hpp"

namespace mailsim::models {

using engine::NodeId;
using engine::Outcome;
using engine::Request;

namespace {
// A server login: startup packet, authentication exchange, ParameterStatus/ReadyForQuery.
// One round trip of this size stands for it (assumption: trust/md5 over a LAN).
constexpr double kLoginBytes = 512;
// haproxy's HTTP check of Patroni (OPTIONS /primary and the status line back), and the
// check query (select 1 and its row): one small message each way (assumption).
constexpr double kCheckBytes = 256;
constexpr double kCheckQueryBytes = 128;
}  // namespace

PgBouncer::PgBouncer(const config::ComponentSpec& spec, PgBouncerParams params, engine::Context& ctx)
    : Component(spec.name, ctx.platform.ids_of(spec.nodes)),
      p_(std::move(params)),
      ctx_(ctx) {
  inst_.reserve(nodes().size());  // timers capture instances by address: never reallocate
  for (size_t i = 0; i < nodes().size(); ++i) {
    inst_.push_back(Instance{nodes()[i], static_cast<int>(i), false, 0, PgBouncerPool(pool_config(p_))});
    const std::string& node = ctx.platform.name_of(nodes()[i]);
    inst_.back().rng = core::RngStream(ctx.seed, name() + "@" + node);
    inst_.back().meter = &ctx.resources.add({node + "." + name() + ".pool", "pool", node, name(),
                                             static_cast<double>(p_.default_pool_size), "connections"});
  }
}

// Called after the pool changes: where a client is served, and wherever its queue's expiry
// is re-armed (every admission, login, release and timeout passes there).
void PgBouncer::measure(Instance& in) {
  in.meter->update(ctx_.sched.now(), in.pool.busy(), in.pool.waiting());
}

void PgBouncer::start() {
  db_ = ctx_.component(p_.database);
  MAILSIM_ASSERT(db_ != nullptr, "pgbouncer database survived validation unresolved: " + p_.database);
  if (leader_target())
    for (auto& in : inst_)  // sized once: the check timers capture their element's address
      for (size_t s = 0; s < db_->nodes().size(); ++s) in.leader_checks.push_back({HaproxyCheckLogic(leader_check_config(p_)), {}});
  for (auto& in : inst_) {
    boot(in);
    if (!leader_target()) continue;
    // Steady state at t = 0, as after the first checks: nodes whose Patroni answers 503 on
    // /primary (replicas) are DOWN, so connections go to the primary.
    for (size_t s = 0; s < in.leader_checks.size(); ++s)
      if (!db_->health(db_->nodes()[s], "patroni_primary")) in.leader_checks[s].check.start_down();
    in.server_node = desired_server(in);
  }
}

void PgBouncer::boot(Instance& in) {
  in.running = true;
  ++in.epoch;
  in.pool = PgBouncerPool(pool_config(p_));
  in.server_node = -1;
  ++in.server_gen;
  in.login_failing_reported = false;
  in.exhausted = false;
  measure(in);
  in.expiry.cancel();
  in.retry.cancel();
  // haproxy starts with every server UP (health = rise) and spreads its first checks over
  // one interval.
  for (size_t s = 0; s < in.leader_checks.size(); ++s) {
    in.leader_checks[s].check.reset();
    schedule_leader_check(in, s, in.rng.uniform(0, p_.leader_check_inter.seconds));
  }
  // Steady state: server connections are opened on demand, by the first clients.
  in.server_node = desired_server(in);
}

void PgBouncer::halt(Instance& in, bool graceful, const std::string& cause) {
  if (!in.running) return;
  in.running = false;
  ++in.epoch;
  in.expiry.cancel();
  in.retry.cancel();
  for (auto& lc : in.leader_checks) lc.timer.cancel();
  for (uint64_t t : in.pool.reset()) {
    auto it = sessions_.find(t);
    if (it == sessions_.end()) continue;
    Request* r = it->second.r;
    if (!ctx_.flow.alive(*r, it->second.gen)) continue;
    // Killed with the process: the proxy in front decides (haproxy 504 or its own cut);
    // a graceful stop closes the client connections (refused).
    if (graceful) ctx_.flow.fail(*r, Outcome::kRefused);
    else ctx_.flow.orphan(*r);
  }
  measure(in);
  ctx_.events.emit(ctx_.sched.now(), graceful ? engine::EventKind::kPgBouncerStopped : engine::EventKind::kPgBouncerCrashed,
                   {{"component", name()}, {"node", ctx_.platform.name_of(in.node)}, {"cause", cause}});
}

// Where new server connections go: the local PostgreSQL, or (target leader) the first node
// the local haproxy has UP; -1 when it has none (haproxy closes the connection).
NodeId PgBouncer::desired_server(const Instance& in) const {
  if (!leader_target()) return in.node;
  for (size_t s = 0; s < in.leader_checks.size(); ++s)
    if (in.leader_checks[s].check.up()) return db_->nodes()[s];
  return -1;
}

// haproxy changed the server behind PgBouncer's host: it reset the connections to the old
// one (shutdown-sessions), so they are closed; the pool opens new ones on demand.
void PgBouncer::refresh_server(Instance& in) {
  const NodeId want = desired_server(in);
  if (want == in.server_node) return;
  if (in.server_node >= 0 && (in.pool.idle() > 0 || in.pool.busy() > 0))
    ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kPgBouncerServersClosed,
                     {{"component", name()},
                      {"node", ctx_.platform.name_of(in.node)},
                      {"server", ctx_.platform.name_of(in.server_node)}});
  in.pool.close_idle();
  ++in.server_gen;
  in.server_node = want;
}

// ---------------------------------------------------------------- target leader: haproxy's checks

void PgBouncer::schedule_leader_check(Instance& in, size_t s, double delay) {
  Instance* ip = &in;
  in.leader_checks[s].timer.arm(ctx_.sched, delay, [this, ip, s] { run_leader_check(*ip, s); });
}

// haproxy configuration.txt: the connect part is bounded by min(timeout connect, inter), the
// answer by timeout check.
void PgBouncer::run_leader_check(Instance& in, size_t s) {
  const double connect = ctx_.sched.now() + std::min(p_.leader_timeout_connect.seconds, p_.leader_check_inter.seconds);
  const uint64_t epoch = in.epoch;
  Instance* ip = &in;
  probe_endpoint(ctx_, in.node, db_->nodes()[s], *db_, "patroni_primary", kCheckBytes,
                 {connect, connect + p_.leader_timeout_check.seconds}, [this, ip, s, epoch](double t, ProbeResult res) {
                   ctx_.sched.at(t, [this, ip, s, epoch, ok = res == ProbeResult::kOk] {
                     if (ip->running && ip->epoch == epoch) leader_check_done(*ip, s, ok);
                   });
                 });
}

void PgBouncer::leader_check_done(Instance& in, size_t s, bool ok) {
  LeaderCheck& lc = in.leader_checks[s];
  const CheckChange change = lc.check.on_result(ok);
  if (change != CheckChange::kNone) {
    ctx_.events.emit(ctx_.sched.now(), change == CheckChange::kMarkedDown ? engine::EventKind::kBackendDown : engine::EventKind::kBackendUp,
                     {{"component", name()},
                      {"node", ctx_.platform.name_of(in.node)},
                      {"server", ctx_.platform.name_of(db_->nodes()[s])}});
    refresh_server(in);
    open_connects(in);
  }
  schedule_leader_check(in, s, lc.check.next_interval());
}

// ---------------------------------------------------------------- request path

void PgBouncer::on_request(Request& r) {
  NodeId target = r.target;
  if (target < 0) {
    // No balancer chose: a caller on a PgBouncer node uses its own (localhost:6432), others
    // spread over the instances as a host list does.
    target = instance_of(r.at) >= 0 ? r.at : nodes()[rr_next_++ % nodes().size()];
  }
  if (target == r.at) return arrive(r);
  ctx_.flow.hop(r, target, ctx_.flow.request_bytes(r), [this](Request& req) { arrive(req); },
                [this](Request& req) {
                  if (req.step == 0) return ctx_.flow.syn_unanswered(req);
                  ctx_.flow.lose(req);
                });
}

void PgBouncer::arrive(Request& r) {
  Instance& in = inst_[static_cast<size_t>(instance_of(r.at))];
  if (!in.running) return ctx_.flow.fail(r, Outcome::kRefused);
  const uint64_t ticket = next_ticket_++;
  sessions_.emplace(ticket, Session{&r, r.gen, in.index, in.epoch, r.proxy, ctx_.sched.now(), false, 0});
  ticket_of_[&r] = ticket;
  // PgBouncer stands in the session now: it is told when the request ends (its server
  // connection returns to the pool) and passes that on to the proxy in front.
  r.proxy = this;
  switch (in.pool.on_client(ticket, ctx_.sched.now())) {
    case PoolAdmit::kServe:
      if (p_.server_check_query && ctx_.sched.now() - in.pool.taken_idle_since() > p_.server_check_delay.seconds)
        return check_then_serve(in, ticket);
      return serve(in, ticket);
    case PoolAdmit::kWait:
      if (!in.exhausted && in.pool.servers() >= p_.default_pool_size) {
        // Every server connection busy and a query queued: a state change, paired with
        // pool.recovered when the queue empties again (as mail_node does).
        in.exhausted = true;
        ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kPoolExhausted,
                         {{"component", name()}, {"node", ctx_.platform.name_of(in.node)}, {"op", "pgbouncer"}});
      }
      open_connects(in);
      return arm_expiry(in);
    case PoolAdmit::kRejectFull:
      // "no more connections allowed (max_client_conn)"
      return ctx_.flow.fail(r, Outcome::kOverload);
    case PoolAdmit::kRejectLoginFailing:
      // "server login has been failing, try again later (server_login_retry)"
      return ctx_.flow.fail(r, Outcome::kUnavailable);
  }
}

void PgBouncer::open_connects(Instance& in) {
  for (int n = in.pool.connects_to_open(ctx_.sched.now()); n > 0; --n) connect(in);
}

// One server login through the simulated network: refused at once by a live host without
// PostgreSQL, silent until server_connect_timeout from a dead or unreachable host; with no
// server UP behind the local haproxy (target leader), closed at once.
void PgBouncer::connect(Instance& in) {
  const uint64_t epoch = in.epoch;
  Instance* ip = &in;
  if (in.server_node < 0) {
    ctx_.sched.after(0, [this, ip, epoch] { connect_done(*ip, epoch, false); });
    return;
  }
  const double timeout_at = ctx_.sched.now() + p_.server_connect_timeout.seconds;
  probe_endpoint(ctx_, in.node, in.server_node, *db_, "tcp", kLoginBytes, {timeout_at, timeout_at},
                 [this, ip, epoch](double t, ProbeResult res) {
                   ctx_.sched.at(t, [this, ip, epoch, ok = res == ProbeResult::kOk] { connect_done(*ip, epoch, ok); });
                 });
}

void PgBouncer::connect_done(Instance& in, uint64_t epoch, bool ok) {
  if (!in.running || in.epoch != epoch) return;
  const double now = ctx_.sched.now();
  if (!ok) {
    in.pool.on_connect_failed(now);
    if (!in.login_failing_reported)
      ctx_.events.emit(now, engine::EventKind::kPgBouncerLoginFailed,
                       {{"component", name()}, {"node", ctx_.platform.name_of(in.node)}, {"server", ctx_.platform.name_of(in.server_node)}});
    in.login_failing_reported = true;
    return arm_retry(in);
  }
  if (in.login_failing_reported)
    ctx_.events.emit(now, engine::EventKind::kPgBouncerLoginOk,
                     {{"component", name()}, {"node", ctx_.platform.name_of(in.node)}, {"server", ctx_.platform.name_of(in.server_node)}});
  in.login_failing_reported = false;
  if (auto t = in.pool.on_connected(now)) serve(in, *t);
  arm_expiry(in);
  note_recovered(in);
}

void PgBouncer::arm_retry(Instance& in) {
  auto at = in.pool.login_retry_at(ctx_.sched.now());
  if (!at) return open_connects(in);
  Instance* ip = &in;
  in.retry.arm(ctx_.sched, *at - ctx_.sched.now(), [this, ip] {
    if (ip->running) open_connects(*ip);
  });
}

void PgBouncer::arm_expiry(Instance& in) {
  measure(in);
  auto at = in.pool.next_expiry();
  if (!at) return in.expiry.cancel();
  Instance* ip = &in;
  in.expiry.arm(ctx_.sched, std::max(0.0, *at - ctx_.sched.now()), [this, ip] {
    if (!ip->running) return;
    for (uint64_t t : ip->pool.expire(ctx_.sched.now())) {
      auto it = sessions_.find(t);
      if (it != sessions_.end() && ctx_.flow.alive(*it->second.r, it->second.gen))
        ctx_.flow.fail(*it->second.r, Outcome::kOverload);  // ERROR: query_wait_timeout
    }
    arm_expiry(*ip);
    note_recovered(*ip);
  });
}

// The client gets a server connection: the request goes on to the database step, on the
// connection's node.
void PgBouncer::serve(Instance& in, uint64_t ticket) {
  auto it = sessions_.find(ticket);
  if (it == sessions_.end() || !ctx_.flow.alive(*it->second.r, it->second.gen)) {
    // Nobody to serve (cannot happen while on_session_end cancels waiters): hand it on.
    if (auto next = in.pool.on_release(true, ctx_.sched.now())) serve(in, *next);
    return;
  }
  Session& s = it->second;
  s.served = true;
  s.server_gen = in.server_gen;
  in.meter->served(ctx_.sched.now());
  measure(in);
  Request& r = *s.r;
  if (p_.query_timeout.seconds > 0) {
    // query_timeout: a query still running then is cancelled (ERROR: query_timeout).
    const uint32_t gen = r.gen;
    const int db_step = r.step + 1;
    Request* rp = &r;
    ctx_.sched.after(p_.query_timeout.seconds, [this, rp, gen, db_step] {
      if (ctx_.flow.alive(*rp, gen) && rp->step == db_step) ctx_.flow.fail(*rp, Outcome::kServerTimeout);
    });
  }
  r.target = in.server_node;
  ctx_.flow.next_step(r);
}

// server_check_query on a connection that idled past server_check_delay, before the client
// gets it. The query's answer, or its absence, is all PgBouncer learns.
void PgBouncer::check_then_serve(Instance& in, uint64_t ticket) {
  Session& s = sessions_.at(ticket);
  s.served = true;  // it holds the connection while the check runs
  s.server_gen = in.server_gen;
  const Request& r = *s.r;
  // No answer: the check hangs until the client gives up (its service timeout).
  const double give_up = r.t_start + ctx_.flow.service(r.service).timeout;
  const uint64_t epoch = in.epoch, gen = in.server_gen;
  Instance* ip = &in;
  probe_endpoint(ctx_, in.node, in.server_node, *db_, "tcp", kCheckQueryBytes, {give_up, give_up},
                 [this, ip, epoch, ticket, gen](double t, ProbeResult res) {
                   ctx_.sched.at(t, [this, ip, epoch, ticket, gen, res] { check_done(*ip, epoch, ticket, gen, res); });
                 });
}

void PgBouncer::check_done(Instance& in, uint64_t epoch, uint64_t ticket, uint64_t server_gen, ProbeResult res) {
  if (!in.running || in.epoch != epoch) return;
  auto it = sessions_.find(ticket);
  if (it == sessions_.end() || it->second.r == nullptr || !ctx_.flow.alive(*it->second.r, it->second.gen))
    return;  // the client left meanwhile (release decided about the connection)
  Session& s = it->second;
  if (res == ProbeResult::kOk && server_gen == in.server_gen) return serve(in, ticket);
  if (res == ProbeResult::kSilent) return ctx_.flow.lose(*s.r);  // the client gave up; release closes it
  // Reset (PostgreSQL not running) or the connection belongs to a replaced server: closed,
  // and the client waits for another connection.
  ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kPgBouncerCheckFailed,
                   {{"component", name()}, {"node", ctx_.platform.name_of(in.node)}, {"server", ctx_.platform.name_of(in.server_node)}});
  s.served = false;
  in.pool.on_check_failed(ticket, s.since);
  open_connects(in);
  arm_expiry(in);
}

// The client is done with its server connection. `broken`: the server did not answer its
// query (or reset it), so PgBouncer closes the connection instead of pooling it.
void PgBouncer::release(Instance& in, uint64_t ticket, bool broken) {
  auto it = sessions_.find(ticket);
  if (it == sessions_.end()) return;
  const Session s = it->second;
  sessions_.erase(it);
  if (!in.running || in.epoch != s.epoch) return;  // the pool it came from is gone
  if (!s.served) {
    in.pool.cancel(ticket);
    arm_expiry(in);
    return note_recovered(in);
  }
  if (auto next = in.pool.on_release(!broken && s.server_gen == in.server_gen, ctx_.sched.now())) serve(in, *next);
  open_connects(in);  // a closed connection frees a slot for a waiter's new login
  arm_expiry(in);
  note_recovered(in);
}

void PgBouncer::note_recovered(Instance& in) {
  if (!in.exhausted || in.pool.waiting() > 0) return;
  in.exhausted = false;
  ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kPoolRecovered,
                   {{"component", name()}, {"node", ctx_.platform.name_of(in.node)}, {"op", "pgbouncer"}});
}

void PgBouncer::on_session_end(Request& r, Outcome o) {
  auto t = ticket_of_.find(&r);
  if (t == ticket_of_.end()) return;
  const uint64_t ticket = t->second;
  ticket_of_.erase(t);
  auto it = sessions_.find(ticket);
  if (it == sessions_.end()) return;
  Component* prev = it->second.prev_proxy;
  Instance& in = inst_[static_cast<size_t>(it->second.instance)];
  Instance* ip = &in;
  if (it->second.served && o == Outcome::kTimeout) {
    // No answer on the server connection: the client disconnects at its timeout, and
    // PgBouncer closes a server connection that was not ready ("client disconnect while
    // server was not ready"), so the slot stays taken until then.
    const double gone = std::max(ctx_.sched.now(), r.t_start + ctx_.flow.service(r.service).timeout);
    it->second.r = nullptr;
    ctx_.sched.at(gone, [this, ip, ticket] { release(*ip, ticket, true); });
  } else if (it->second.served && (o == Outcome::kRefused || o == Outcome::kBackendDown)) {
    release(in, ticket, true);  // the server or the proxy in front reset the query
  } else if (it->second.served && p_.pool_mode == "session" && p_.session_hold.seconds > 0) {
    // Session pooling: the client keeps its session (and the server connection) for
    // session_hold after its request, then disconnects.
    it->second.r = nullptr;
    ctx_.sched.after(p_.session_hold.seconds, [this, ip, ticket] { release(*ip, ticket, false); });
  } else {
    release(in, ticket, false);
  }
  if (prev != nullptr) prev->on_session_end(r, o);
}

bool PgBouncer::on_orphan(Request& r) {
  // The PostgreSQL serving r died with it. PgBouncer would wait on the dead connection;
  // the proxy in front (haproxy timeout server / shutdown-sessions) decides what the
  // client sees, as without PgBouncer.
  auto t = ticket_of_.find(&r);
  if (t == ticket_of_.end()) return false;
  auto it = sessions_.find(t->second);
  if (it == sessions_.end() || it->second.prev_proxy == nullptr) return false;
  return it->second.prev_proxy->on_orphan(r);
}

bool PgBouncer::health(NodeId n, const std::string& check) const {
  // HTTP checks of Patroni's REST API (8008) are answered by Patroni on that node. A
  // balancer may ask before this component's start() (its own start sets the steady
  // state), so the database is looked up here if need be.
  if (check.rfind("patroni_", 0) == 0) {
    if (db_ == nullptr) db_ = ctx_.component(p_.database);
    return db_ != nullptr && db_->health(n, check);
  }
  return accepts(n);
}

bool PgBouncer::accepts(NodeId n) const {
  const int i = instance_of(n);
  return i >= 0 && inst_[static_cast<size_t>(i)].running;
}

std::optional<NodeId> PgBouncer::resolve_role(const std::string& role) const {
  switch (any_role().at(role)) {
    case AnyRole::kAny:
      for (const auto& in : inst_)
        if (in.running) return in.node;
      break;
  }
  return std::nullopt;
}

void PgBouncer::on_node_down(NodeId n) { halt(inst_[static_cast<size_t>(instance_of(n))], false, "crash"); }
void PgBouncer::on_node_up(NodeId n) { boot(inst_[static_cast<size_t>(instance_of(n))]); }
void PgBouncer::stop_instance(NodeId n) { halt(inst_[static_cast<size_t>(instance_of(n))], true, "stop"); }
void PgBouncer::start_instance(NodeId n) {
  Instance& in = inst_[static_cast<size_t>(instance_of(n))];
  if (!in.running) boot(in);
}

nlohmann::json PgBouncer::resolved_params() const { return pgbouncer_params().resolved(p_); }

}  // namespace mailsim::models
