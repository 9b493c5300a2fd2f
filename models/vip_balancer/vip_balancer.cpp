#include "models/vip_balancer/vip_balancer.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "engine/flow.hpp"
#include "engine/step_features.hpp"

namespace mailsim::models {

using engine::NodeId;
using engine::Outcome;
using engine::Request;

VipBalancer::VipBalancer(const config::ComponentSpec& spec, VipBalancerParams params, engine::Context& ctx)
    : Component(spec.name, ctx.platform.ids_of(spec.nodes)),
      p_(std::move(params)),
      ctx_(ctx),
      vrrp_(*this, p_.vrrp, ctx) {
  inst_.reserve(nodes().size());  // instances are referenced by address from timers: never reallocate
  for (size_t i = 0; i < nodes().size(); ++i) {
    Instance in;
    in.node = nodes()[i];
    in.index = static_cast<int>(i);
    in.rng = core::RngStream(ctx.seed, name() + "@" + ctx.platform.name_of(in.node));
    inst_.push_back(std::move(in));
  }
}

double VipBalancer::check_timeout() const {
  // configuration.txt, "timeout check": with it set, min(timeout connect, inter) bounds the
  // connect and timeout check the read; without it, inter bounds the whole check.
  if (p_.timeout_check.seconds > 0)
    return std::min(p_.timeout_connect.seconds, p_.inter.seconds) + p_.timeout_check.seconds;
  return p_.inter.seconds;
}

void VipBalancer::start() {
  backend_ = ctx_.component(p_.backend);
  MAILSIM_ASSERT(backend_ != nullptr, "vip_balancer backend survived validation unresolved: " + p_.backend);
  // The run starts in steady state: the election winner already holds the VIP at time 0.
  const int winner = vrrp_.steady_state_master();
  for (auto& in : inst_) boot(in, in.index == winner);
  // Steady state with an HTTP check: servers whose endpoint already answers non-200 (a
  // Patroni replica on /primary) start DOWN, as they would be after the first checks.
  if (p_.health_check != "tcp")
    for (auto& in : inst_)
      for (size_t s = 0; s < in.servers.size(); ++s)
        if (!backend_->health(backend_->nodes()[s], p_.health_check)) in.servers[s].check.start_down();
}

void VipBalancer::boot(Instance& in, bool as_master) {
  in.running = true;
  ++in.epoch;
  const CheckConfig cc = check_config(p_);
  in.servers.clear();
  for (size_t s = 0; s < backend_->nodes().size(); ++s) in.servers.push_back(Server{HaproxyCheckLogic(cc), {}, 0, {}});
  for (size_t s = 0; s < in.servers.size(); ++s)
    // haproxy spreads the first checks over one interval; drawn from this instance's stream.
    schedule_check(in, s, in.rng.uniform(0, p_.inter.seconds));
  vrrp_.boot(in.index, as_master);
}

void VipBalancer::halt(Instance& in, bool graceful, const std::string& cause) {
  if (!in.running) return;
  vrrp_.halt(in.index, graceful, cause);
  in.running = false;
  ++in.epoch;
  for (auto& s : in.servers) {
    s.timer.cancel();
    for (auto [r, gen] : s.orphans)
      if (ctx_.flow.alive(*r, gen)) ctx_.flow.lose(*r);
    s.orphans.clear();
  }
}

void VipBalancer::schedule_check(Instance& in, size_t s, double delay) {
  in.servers[s].timer.arm(ctx_.sched, delay, [this, &in, s] { run_check(in, s); });
}

// One check: a TCP connect to the server and its answer, through the simulated network.
// A live server answers; a stopped one resets the connection (fast failure); a dead or
// unreachable one stays silent until the check timeout.
void VipBalancer::run_check(Instance& in, size_t s) {
  const NodeId server = backend_->nodes()[s];
  const double started = ctx_.sched.now();
  const double deadline = started + check_timeout();
  // No connection (dead or unreachable host): only the connect part of the timeout runs.
  const double connect_deadline =
      started + (p_.timeout_check.seconds > 0 ? std::min(p_.timeout_connect.seconds, p_.inter.seconds) : p_.inter.seconds);
  const uint64_t epoch = in.epoch;
  auto finish_at = [this, &in, s, epoch](double t, bool ok) {
    ctx_.sched.at(t, [this, &in, s, epoch, ok] {
      if (in.running && in.epoch == epoch) check_done(in, s, ok);
    });
  };
  auto there = ctx_.net.transit(in.node, server, p_.check_bytes.bytes);
  // Lost, or (links being shared) held behind other traffic past the connect deadline.
  if (!there || ctx_.sched.now() + *there > connect_deadline) return finish_at(connect_deadline, false);
  ctx_.sched.after(*there, [this, &in, s, server, deadline, connect_deadline, epoch, finish_at] {
    if (!in.running || in.epoch != epoch) return;
    if (!ctx_.platform.is_up(server)) return finish_at(connect_deadline, false);
    // tcp: the connect succeeds; an HTTP check (Patroni /primary) also needs a 200.
    bool answering = p_.health_check == "tcp" ? backend_->accepts(server) : backend_->health(server, p_.health_check);
    auto back = ctx_.net.transit(server, in.node, p_.check_bytes.bytes);
    if (!back || ctx_.sched.now() + *back > deadline) return finish_at(deadline, false);
    finish_at(ctx_.sched.now() + *back, answering);
  });
}

void VipBalancer::check_done(Instance& in, size_t s, bool ok) {
  Server& srv = in.servers[s];
  CheckChange change = srv.check.on_result(ok);
  if (change != CheckChange::kNone) {
    bool down = change == CheckChange::kMarkedDown;
    ctx_.events.emit(ctx_.sched.now(), down ? engine::EventKind::kBackendDown : engine::EventKind::kBackendUp,
                     {{"component", name()},
                      {"node", ctx_.platform.name_of(in.node)},
                      {"server", ctx_.platform.name_of(backend_->nodes()[s])}});
    if (down && p_.shutdown_sessions) {
      for (auto [r, gen] : srv.orphans)
        if (ctx_.flow.alive(*r, gen)) ctx_.flow.fail(*r, Outcome::kBackendDown);
      srv.orphans.clear();
    }
  }
  schedule_check(in, s, srv.check.next_interval());
}

int VipBalancer::pick_server(Instance& in, int avoid, uint64_t user) {
  const size_t n = in.servers.size();
  if (p_.balance == "user_hash") {
    // dovecot director / haproxy `balance hdr`-style: a user always lands on the same
    // server while it is up; otherwise on the next one up in order.
    for (size_t k = 0; k < n; ++k) {
      size_t i = (user + k) % n;
      if (in.servers[i].check.up() && static_cast<int>(i) != avoid) return static_cast<int>(i);
    }
    return -1;
  }
  int best = -1;
  for (size_t k = 0; k < n; ++k) {
    size_t i = (in.rr_next + k) % n;
    if (!in.servers[i].check.up() || static_cast<int>(i) == avoid) continue;
    if (p_.balance == "roundrobin") {
      in.rr_next = i + 1;
      return static_cast<int>(i);
    }
    if (best < 0 || in.servers[i].sessions < in.servers[static_cast<size_t>(best)].sessions) best = static_cast<int>(i);
  }
  if (best >= 0) in.rr_next = static_cast<size_t>(best) + 1;
  return best;
}

void VipBalancer::on_request(Request& r) {
  const int owner = vrrp_.gateway_target();
  if (owner < 0) return ctx_.flow.syn_unanswered(r);  // no VIP was ever announced
  ctx_.flow.hop(
      r, inst_[static_cast<size_t>(owner)].node, ctx_.flow.request_bytes(r),
      [this](Request& req) {
        Instance& in = inst_[static_cast<size_t>(instance_of(req.at))];
        // A node that no longer holds the VIP drops packets addressed to it.
        if (!in.running || !vrrp_.is_master(in.index)) return ctx_.flow.syn_unanswered(req);
        req.proxy = this;
        req.proxy_node = in.node;
        req.proxy_server = -1;
        req.attempts = 0;
        // A session's next command travels on its open connection: to the same server
        // through the same balancer. If the VIP moved, the new holder has no such
        // connection (RST); if haproxy marked the server down, it cut the session.
        if (auto pin = ctx_.features.sessions.pin(req); pin.server >= 0) {
          if (pin.node != in.node) return ctx_.flow.fail(req, Outcome::kRefused);
          if (!in.servers[static_cast<size_t>(pin.server)].check.up()) return ctx_.flow.fail(req, Outcome::kBackendDown);
          return send_on_session(in, req, pin.server);
        }
        int s = pick_server(in, -1, req.user);
        if (s < 0) return ctx_.flow.fail(req, Outcome::kNoBackend);
        connect(in, req, s);
      },
      [this](Request& req) { ctx_.flow.syn_unanswered(req); });
}

// The request reached `server` on a connection haproxy holds: from here on it is that
// server's (the session stays pinned to it, leastconn counts it), until the next step.
void VipBalancer::on_server(Instance& in, Request& req, int server) {
  req.target = req.at;
  req.proxy_server = server;
  ctx_.features.sessions.pin_session(req, in.node, server);
  ++in.servers[static_cast<size_t>(server)].sessions;
  ctx_.flow.next_step(req);
}

void VipBalancer::connect(Instance& in, Request& r, int server) {
  const int hops_before = r.hops;
  const NodeId target = backend_->nodes()[static_cast<size_t>(server)];
  const double bytes = ctx_.flow.step_request_bytes(r.service, r.step + 1);
  ctx_.flow.hop(
      r, target, bytes,
      [this, &in, server, hops_before](Request& req) {
        if (!backend_->accepts(req.at)) {  // RST: haproxy waits min(timeout connect, 1s)
          req.at = in.node;
          req.hops = hops_before;
          return retry(in, req, server, std::min(p_.timeout_connect.seconds, 1.0));
        }
        on_server(in, req, server);
      },
      [this, &in, server, hops_before](Request& req) {  // SYN unanswered
        req.at = in.node;
        req.hops = hops_before;
        retry(in, req, server, p_.timeout_connect.seconds);
      });
}

// A session's command goes over its established connection: haproxy learns nothing of the
// server until the packets get there. A crashed or cut-off server never answers, so the
// command waits and the client gives up at its timeout; a live host whose service has
// stopped answers with a reset, which closes the session.
void VipBalancer::send_on_session(Instance& in, Request& r, int server) {
  const NodeId target = backend_->nodes()[static_cast<size_t>(server)];
  const double bytes = ctx_.flow.step_request_bytes(r.service, r.step + 1);
  ctx_.flow.hop(
      r, target, bytes,
      [this, &in, server](Request& req) {
        if (!backend_->accepts(req.at)) return ctx_.flow.fail(req, Outcome::kRefused);  // RST from the host
        on_server(in, req, server);
      },
      [this](Request& req) { ctx_.flow.lose(req); });
}

void VipBalancer::retry(Instance& in, Request& r, int server, double after) {
  const uint32_t gen = r.gen;
  Request* rp = &r;
  ctx_.sched.after(after, [this, &in, rp, gen, server] {
    if (!ctx_.flow.alive(*rp, gen)) return;
    if (!in.running) return ctx_.flow.lose(*rp);
    if (++rp->attempts > p_.retries) return ctx_.flow.fail(*rp, Outcome::kConnectFailed);
    int next = server;
    if (p_.redispatch && rp->attempts == p_.retries)
      if (int other = pick_server(in, server, rp->user); other >= 0) next = other;
    connect(in, *rp, next);
  });
}

bool VipBalancer::on_orphan(Request& r) {
  int idx = instance_of(r.proxy_node);
  if (idx < 0 || r.proxy_server < 0) return false;
  Instance& in = inst_[static_cast<size_t>(idx)];
  if (!in.running) return false;
  Server& srv = in.servers[static_cast<size_t>(r.proxy_server)];
  srv.orphans.emplace_back(&r, r.gen);
  const uint32_t gen = r.gen;
  Request* rp = &r;
  ctx_.sched.after(p_.timeout_server.seconds, [this, rp, gen] {
    if (ctx_.flow.alive(*rp, gen)) ctx_.flow.fail(*rp, Outcome::kServerTimeout);
  });
  return true;
}

void VipBalancer::on_session_end(Request& r, Outcome) {
  int idx = instance_of(r.proxy_node);
  if (idx < 0 || r.proxy_server < 0) return;
  Server& srv = inst_[static_cast<size_t>(idx)].servers[static_cast<size_t>(r.proxy_server)];
  srv.sessions = std::max(0, srv.sessions - 1);
  auto& o = srv.orphans;
  o.erase(std::remove_if(o.begin(), o.end(), [&r](const auto& e) { return e.first == &r; }), o.end());
}

bool VipBalancer::accepts(NodeId n) const {
  int idx = instance_of(n);
  return idx >= 0 && inst_[static_cast<size_t>(idx)].running;
}

std::optional<NodeId> VipBalancer::resolve_role(const std::string& role) const {
  switch (vip_balancer_roles().at(role)) {
    case VipBalancerRole::kVipHolder: return vrrp_.vip_holder();
    case VipBalancerRole::kBackup: return vrrp_.backup();
  }
  return std::nullopt;
}

void VipBalancer::stop_instance(NodeId n) { halt(inst_[static_cast<size_t>(instance_of(n))], true, "stop"); }
void VipBalancer::start_instance(NodeId n) {
  Instance& in = inst_[static_cast<size_t>(instance_of(n))];
  if (!in.running) boot(in, false);
}
void VipBalancer::on_node_down(NodeId n) { halt(inst_[static_cast<size_t>(instance_of(n))], false, "crash"); }
void VipBalancer::on_node_up(NodeId n) { boot(inst_[static_cast<size_t>(instance_of(n))], false); }

nlohmann::json VipBalancer::resolved_params() const { return vip_balancer_params().resolved(p_); }

}  // namespace mailsim::models
