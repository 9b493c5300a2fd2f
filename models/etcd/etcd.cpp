#include "models/etcd/etcd.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "engine/flow.hpp"

namespace mailsim::models {

using engine::NodeId;

Etcd::Etcd(const config::ComponentSpec& spec, EtcdParams params, engine::Context& ctx)
    : Component(spec.name, ctx.platform.ids_of(spec.nodes)),
      p_(std::move(params)),
      ctx_(ctx) {
  mem_.reserve(nodes().size());  // timers capture members by address: never reallocate
  for (size_t i = 0; i < nodes().size(); ++i) {
    Member m;
    m.node = nodes()[i];
    m.index = static_cast<int>(i);
    m.rng = core::RngStream(ctx.seed, name() + "@" + ctx.platform.name_of(m.node));
    mem_.push_back(std::move(m));
  }
}

void Etcd::start() {
  for (auto& m : mem_) boot(m, true);
}

void Etcd::boot(Member& m, bool first) {
  m.running = true;
  ++m.epoch;
  if (!m.raft) {
    core::RngStream* rng = &m.rng;
    m.raft = std::make_unique<raft::RaftLogic>(etcd_raft_config(p_, m.index, static_cast<int>(mem_.size())),
                                               [rng] { return rng->uniform(); });
  }
  m.store.clear();
  // Steady state at t = 0: member 0 leads term 1 (the run does not begin with an election).
  apply(m, first ? m.raft->start(ctx_.sched.now(), 0) : m.raft->restart(ctx_.sched.now()));
}

void Etcd::halt(Member& m, const std::string& cause) {
  if (!m.running) return;
  const bool was_leader = m.was_leader;
  m.running = false;
  ++m.epoch;
  m.election.cancel();
  m.heartbeat.cancel();
  m.lessor.cancel();
  m.stopping.cancel();
  m.raft->crash();
  m.proposals.clear();  // their clients time out: nobody answers for a dead member
  m.reads.clear();
  m.watches.clear();
  m.store.clear();
  m.was_leader = false;
  if (!was_leader) return;
  ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kRaftLeaderSteppedDown,
                   {{"component", name()}, {"node", ctx_.platform.name_of(m.node)}, {"term", m.raft->term()}, {"cause", cause}});
  if (leader_lost_ < 0) open_failover(m, cause);
}

void Etcd::open_failover(Member& m, const std::string& cause) {
  leader_lost_ = m.index;
  lost_term_ = m.led_term;
  ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kFailoverStarted,
                   {{"component", name()}, {"from", ctx_.platform.name_of(m.node)}, {"cause", cause}});
}

void Etcd::apply(Member& m, raft::RaftActions a) {
  const uint64_t epoch = m.epoch;
  for (const auto& t : a.timers) {
    engine::Timer& timer = t.kind == raft::TimerKind::kElection ? m.election : m.heartbeat;
    if (t.delay < 0) {
      timer.cancel();
      continue;
    }
    const raft::TimerKind kind = t.kind;
    timer.arm(ctx_.sched, t.delay, [this, &m, kind] { apply(m, m.raft->on_timer(ctx_.sched.now(), kind)); });
  }
  for (const auto& msg : a.send) send(m, msg);
  if (a.state_changed) {
    const bool leader = m.raft->is_leader();
    const std::string& node = ctx_.platform.name_of(m.node);
    if (leader && !m.was_leader) {
      m.was_leader = true;
      m.led_term = m.raft->term();
      ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kRaftLeaderElected, {{"component", name()}, {"node", node}, {"term", m.raft->term()}});
      if (leader_lost_ >= 0) {
        // elections: the terms the gap took (1 = the first vote succeeded; more = split votes).
        ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kFailoverCompleted,
                         {{"component", name()}, {"from", ctx_.platform.name_of(mem_[static_cast<size_t>(leader_lost_)].node)},
                          {"to", node}, {"elections", m.raft->term() - lost_term_}});
        leader_lost_ = -1;
      }
    } else if (!leader && m.was_leader) {
      m.was_leader = false;
      // etcd-io/raft: check-quorum steps down in the leader's own term; any message with a
      // higher term (a vote, a response) moves it to that term, leader known or not.
      const std::string cause = m.stopping.armed()            ? "leadership_transfer"
                                : m.raft->term() > m.led_term ? "higher_term"
                                                              : "check_quorum";
      ctx_.events.emit(ctx_.sched.now(), engine::EventKind::kRaftLeaderSteppedDown,
                       {{"component", name()}, {"node", node}, {"term", m.raft->term()}, {"cause", cause}});
      m.store.demote();
      m.lessor.cancel();
      fail_pending(m, "leader changed");
      bool another = false;
      for (const auto& o : mem_) another = another || (&o != &m && o.running && o.was_leader);
      if (leader_lost_ < 0 && !another) open_failover(m, cause);
    }
  }
  for (const auto& c : a.committed) {
    if (!m.running || m.epoch != epoch) return;
    on_committed(m, c);
  }
  for (uint64_t rid : a.reads_ready) {
    auto it = m.reads.find(rid);
    if (it == m.reads.end()) continue;
    const uint64_t call = it->second;
    m.reads.erase(it);
    auto pit = pending_.find(call);
    if (pit == pending_.end()) continue;
    EtcdReply rep;
    rep.ok = true;
    rep.succeeded = true;
    rep.kvs = m.store.range(pit->second->prefix);
    reply(m, mem_[static_cast<size_t>(pit->second->member)], call, std::move(rep));
  }
  for (uint64_t rid : a.reads_failed) {
    auto it = m.reads.find(rid);
    if (it == m.reads.end()) continue;
    const uint64_t call = it->second;
    m.reads.erase(it);
    if (auto pit = pending_.find(call); pit != pending_.end())
      reply(m, mem_[static_cast<size_t>(pit->second->member)], call, {false, "leader changed", false, {}, 0});
  }
}

void Etcd::fail_pending(Member& m, const std::string& why) {
  auto proposals = std::move(m.proposals);
  m.proposals.clear();
  for (const auto& [idx, call] : proposals)
    if (auto pit = pending_.find(call); pit != pending_.end())
      reply(m, mem_[static_cast<size_t>(pit->second->member)], call, {false, why, false, {}, 0});
}

void Etcd::send(Member& from, const raft::Message& msg) {
  Member& to = mem_[static_cast<size_t>(msg.to)];
  auto d = ctx_.net.transit(from.node, to.node, msg.bytes() + p_.request_bytes.bytes);
  if (!d) return;
  const uint64_t epoch = to.epoch;
  Member* tp = &to;
  ctx_.sched.after(*d, [this, tp, epoch, msg] {
    if (!tp->running || tp->epoch != epoch || !ctx_.platform.is_up(tp->node)) return;
    apply(*tp, tp->raft->on_message(ctx_.sched.now(), msg));
  });
}

void Etcd::on_committed(Member& m, const raft::Committed& c) {
  const double now = ctx_.sched.now();
  if (c.entry.data == 0) {
    // The new leader's empty entry committed: it has applied every earlier entry, and its
    // lessor takes over with every lease extended by one election timeout (etcd
    // server.go applyEntryNormal -> lessor.Promote(ElectionTimeout)).
    if (m.raft->is_leader() && c.entry.term == m.raft->term() && !m.store.primary()) {
      m.store.promote(now, p_.election_timeout.seconds);
      m.lessor.arm(ctx_.sched, p_.lease_check_interval.seconds, [this, &m] { lessor_tick(m); });
    }
    return;
  }
  const EtcdCommand& cmd = commands_[c.entry.data - 1];
  EtcdApplied res = m.store.apply(now, cmd);
  if (cmd.kind == EtcdCommand::Kind::kLeaseRevoke && m.raft->is_leader() && !res.changed_keys.empty())
    ctx_.events.emit(now, engine::EventKind::kEtcdLeaseRevoked,
                     {{"component", name()}, {"node", ctx_.platform.name_of(m.node)}, {"lease", cmd.lease}, {"keys", res.changed_keys}});
  // Watch streams stay open: every change under their prefix is sent to the client.
  for (const auto& w : m.watches) {
    bool hit = false;
    for (const auto& k : res.changed_keys) hit = hit || k.compare(0, w.prefix.size(), w.prefix) == 0;
    if (!hit) continue;
    if (auto d = ctx_.net.transit(m.node, w.client, p_.request_bytes.bytes)) ctx_.sched.after(*d, w.changed);
  }
  auto it = m.proposals.find(c.index);
  if (it == m.proposals.end()) return;
  const uint64_t call = it->second;
  m.proposals.erase(it);
  auto pit = pending_.find(call);
  if (pit == pending_.end()) return;
  EtcdReply rep;
  rep.ok = true;
  rep.succeeded = res.succeeded;
  rep.lease = cmd.kind == EtcdCommand::Kind::kLeaseGrant ? cmd.lease : 0;
  reply(m, mem_[static_cast<size_t>(pit->second->member)], call, std::move(rep));
}

void Etcd::lessor_tick(Member& m) {
  if (!m.running || !m.raft->is_leader()) return;
  for (int64_t id : m.store.take_expired(ctx_.sched.now())) {
    EtcdCommand cmd;
    cmd.kind = EtcdCommand::Kind::kLeaseRevoke;
    cmd.lease = id;
    commands_.push_back(cmd);
    raft::RaftActions a;
    m.raft->propose(ctx_.sched.now(), commands_.size(), a);
    apply(m, std::move(a));
    if (!m.running || !m.raft->is_leader()) return;
  }
  m.lessor.arm(ctx_.sched, p_.lease_check_interval.seconds, [this, &m] { lessor_tick(m); });
}

int Etcd::endpoint(NodeId client) {
  auto it = endpoint_.find(client);
  if (it != endpoint_.end()) return it->second;
  // Clients start on the member of their own node if any, else on the first member.
  const int own = instance_of(client);
  endpoint_[client] = own >= 0 ? own : 0;
  return endpoint_[client];
}

void Etcd::rotate(NodeId client) { endpoint_[client] = (endpoint(client) + 1) % static_cast<int>(mem_.size()); }

void Etcd::call(NodeId client, EtcdRequest req, double timeout, Callback done) {
  const uint64_t id = next_call_++;
  const int mi = endpoint(client);
  auto p = std::make_unique<Pending>();
  p->client = client;
  p->member = mi;
  p->done = std::move(done);
  p->prefix = req.key;
  pending_[id] = std::move(p);
  ctx_.sched.after(timeout, [this, id] { finish(id, {false, "timeout", false, {}, 0}); });
  Member& m = mem_[static_cast<size_t>(mi)];
  auto d = ctx_.net.transit(client, m.node, p_.request_bytes.bytes);
  if (!d) return;
  Member* mp = &m;
  ctx_.sched.after(*d, [this, mp, id, req = std::move(req)] { receive(*mp, id, req); });
}

void Etcd::receive(Member& m, uint64_t id, const EtcdRequest& req) {
  if (!pending_.count(id) || !ctx_.platform.is_up(m.node)) return;
  if (!m.running) return reply(m, m, id, {false, "connection refused", false, {}, 0});
  if (m.raft->is_leader()) return handle_at_leader(m, m, id, req);
  const int lead = m.raft->leader();
  if (lead < 0) return reply(m, m, id, {false, "no leader", false, {}, 0});
  // A follower forwards to the leader it knows (etcd proxies proposals through Raft).
  Member& l = mem_[static_cast<size_t>(lead)];
  auto d = ctx_.net.transit(m.node, l.node, p_.request_bytes.bytes);
  if (!d) return;
  Member* lp = &l;
  Member* ep = &m;
  ctx_.sched.after(*d, [this, lp, ep, id, req] {
    if (!pending_.count(id) || !lp->running) return;
    if (!lp->raft->is_leader()) return reply(*lp, *ep, id, {false, "leader changed", false, {}, 0});
    handle_at_leader(*lp, *ep, id, req);
  });
}

void Etcd::handle_at_leader(Member& l, Member& entry, uint64_t id, const EtcdRequest& req) {
  (void)entry;
  const double now = ctx_.sched.now();
  using K = EtcdRequest::Kind;
  raft::RaftActions a;
  if (req.kind == K::kRange) {
    // Linearizable read (etcd's default): ReadIndex confirms leadership with a quorum.
    const uint64_t rid = id;
    if (!l.raft->read_index(now, rid, a)) return reply(l, entry, id, {false, "leader changed", false, {}, 0});
    l.reads[rid] = id;
    return apply(l, std::move(a));
  }
  if (req.kind == K::kLeaseKeepAlive) {
    EtcdReply rep;
    rep.ok = true;
    rep.succeeded = l.store.keepalive(now, req.lease);  // false: lease not found (TTL -1)
    rep.lease = req.lease;
    return reply(l, entry, id, std::move(rep));
  }
  EtcdCommand cmd;
  cmd.key = req.key;
  cmd.value = req.value;
  cmd.expect_absent = req.expect_absent;
  cmd.expect_value = req.expect_value;
  cmd.lease = req.lease;
  switch (req.kind) {
    case K::kPut: cmd.kind = EtcdCommand::Kind::kPut; break;
    case K::kCas: cmd.kind = EtcdCommand::Kind::kCas; break;
    case K::kDelete: cmd.kind = EtcdCommand::Kind::kDelete; break;
    case K::kLeaseGrant:
      cmd.kind = EtcdCommand::Kind::kLeaseGrant;
      cmd.lease = next_lease_++;
      cmd.ttl = std::max(req.ttl, EtcdStore::min_ttl(p_.election_timeout.seconds));
      break;
    default: break;
  }
  commands_.push_back(cmd);
  const uint64_t idx = l.raft->propose(now, commands_.size(), a);
  if (idx == 0) return reply(l, entry, id, {false, "leader changed", false, {}, 0});
  l.proposals[idx] = id;
  apply(l, std::move(a));
}

void Etcd::reply(Member& from, Member& entry, uint64_t id, EtcdReply rep) {
  auto pit = pending_.find(id);
  if (pit == pending_.end()) return;
  const NodeId client = pit->second->client;
  double delay = 0;
  if (from.node != entry.node) {
    auto d = ctx_.net.transit(from.node, entry.node, p_.request_bytes.bytes);
    if (!d) return;
    delay += *d;
  }
  auto d = ctx_.net.transit(entry.node, client, p_.request_bytes.bytes);
  if (!d) return;
  delay += *d;
  ctx_.sched.after(delay, [this, id, rep = std::move(rep)] { finish(id, rep); });
}

void Etcd::finish(uint64_t id, const EtcdReply& rep) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return;
  std::unique_ptr<Pending> p = std::move(it->second);
  pending_.erase(it);
  if (!rep.ok) rotate(p->client);  // clientv3 moves to the next endpoint after an error
  p->done(rep);
}

int Etcd::watch(NodeId client, const std::string& prefix, std::function<void()> changed) {
  auto same = [&](const Member::Watch& x) { return x.client == client && x.prefix == prefix; };
  for (auto& other : mem_) other.watches.erase(std::remove_if(other.watches.begin(), other.watches.end(), same), other.watches.end());
  const int at = endpoint(client);
  Member& m = mem_[static_cast<size_t>(at)];
  auto d = ctx_.net.transit(client, m.node, p_.request_bytes.bytes);
  if (!d) return at;
  Member* mp = &m;
  const uint64_t epoch = m.epoch;
  ctx_.sched.after(*d, [mp, epoch, client, prefix, changed = std::move(changed)]() mutable {
    if (mp->running && mp->epoch == epoch) mp->watches.push_back({client, prefix, std::move(changed)});
  });
  return at;
}

std::optional<NodeId> Etcd::resolve_role(const std::string& role) const {
  switch (etcd_roles().at(role)) {
    case EtcdRole::kLeader: {
      const Member* best = nullptr;
      for (const auto& m : mem_)
        if (m.running && m.raft->is_leader() && (!best || m.raft->term() > best->raft->term())) best = &m;
      if (best) return best->node;
      break;
    }
    case EtcdRole::kFollower:
      for (const auto& m : mem_)
        if (m.running && !m.raft->is_leader()) return m.node;
      break;
  }
  return std::nullopt;
}

void Etcd::on_request(engine::Request& r) { ctx_.flow.fail(r, engine::Outcome::kRefused); }
bool Etcd::accepts(NodeId n) const {
  const int i = instance_of(n);
  return i >= 0 && mem_[static_cast<size_t>(i)].running;
}
void Etcd::on_node_down(NodeId n) { halt(mem_[static_cast<size_t>(instance_of(n))], "crash"); }
void Etcd::on_node_up(NodeId n) { boot(mem_[static_cast<size_t>(instance_of(n))], false); }
// etcd server.go Stop(): a leader of a multi-member cluster first moves its leadership to the
// longest-connected voting member (here the first other member it reaches), then stops.
void Etcd::stop_instance(NodeId n) {
  Member& m = mem_[static_cast<size_t>(instance_of(n))];
  if (!m.running || m.stopping.armed()) return;
  int to = -1;
  if (m.raft->is_leader())
    for (const auto& o : mem_)
      if (&o != &m && o.running && ctx_.net.transit(m.node, o.node, p_.request_bytes.bytes)) {
        to = o.index;
        break;
      }
  if (to < 0) return halt(m, "stop");
  // ServerConfig.ReqTimeout(): 5 s + 2 x the election timeout bounds MoveLeader.
  constexpr double kReqTimeoutBase = 5.0;  // etcd server/config/config.go ReqTimeout
  const double deadline = ctx_.sched.now() + kReqTimeoutBase + 2 * p_.election_timeout.seconds;
  stop_after_transfer(m, to, deadline);
  apply(m, m.raft->transfer_leadership(ctx_.sched.now(), to));
}

// MoveLeader waits, polling every tick (the heartbeat interval), until the member sees the
// transferee lead; past the deadline etcd stops anyway.
void Etcd::stop_after_transfer(Member& m, int to, double deadline) {
  m.stopping.arm(ctx_.sched, p_.heartbeat_interval.seconds, [this, &m, to, deadline] {
    if (!m.running) return;
    if (m.raft->leader() == to || ctx_.sched.now() >= deadline - 1e-9) return halt(m, "stop");
    stop_after_transfer(m, to, deadline);
  });
}
void Etcd::start_instance(NodeId n) {
  Member& m = mem_[static_cast<size_t>(instance_of(n))];
  if (!m.running) boot(m, false);
}
nlohmann::json Etcd::resolved_params() const { return etcd_params().resolved(p_); }

}  // namespace mailsim::models
