#include "models/db_registry.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "models/cockroachdb/cockroachdb.hpp"
#include "models/etcd/etcd.hpp"
#include "models/patroni_postgres/patroni_postgres.hpp"
#include "models/pgbouncer/pgbouncer.hpp"

namespace mailsim::models::db {

namespace {

config::YamlReader reader_for(const config::Topology& topo) { return config::YamlReader(topo.file); }

core::SourceMark param_mark(const config::ComponentSpec& c, const config::Topology& topo, const std::string& key) {
  if (c.params.IsMap() && c.params[key]) return reader_for(topo).mark(c.params[key]);
  return c.mark;
}

[[noreturn]] void fail_param(const config::ComponentSpec& c, const config::Topology& topo, const std::string& key,
                             const std::string& msg) {
  throw core::InputError(param_mark(c, topo, key), fmt::format("component '{}': {}", c.name, msg));
}

void validate_etcd(const config::ComponentSpec& c, const config::Topology& topo, const config::YamlReader& r) {
  EtcdParams p = etcd_params().parse(c.params, r);
  if (p.heartbeat_interval.seconds <= 0) fail_param(c, topo, "heartbeat_interval", "heartbeat_interval must be positive");
  // etcd refuses to start otherwise (server/embed/config.go: election timeout >= 5 x heartbeat).
  if (p.election_timeout.seconds < 5 * p.heartbeat_interval.seconds)
    fail_param(c, topo, "election_timeout", "election_timeout must be at least 5 x heartbeat_interval (etcd's own check)");
  if (p.lease_check_interval.seconds <= 0) fail_param(c, topo, "lease_check_interval", "lease_check_interval must be positive");
  for (const auto& s : topo.services)
    for (const auto& st : s.steps)
      if (st.component == c.name)
        throw core::InputError(st.mark, fmt::format("service '{}': etcd '{}' is not on the request path; components "
                                                    "such as patroni_postgres use it as their DCS",
                                                    s.name, c.name));
}

void validate_patroni(const config::ComponentSpec& c, const config::Topology& topo, const config::YamlReader& r) {
  PatroniPostgresParams p = patroni_postgres_params().parse(c.params, r);
  if (p.dcs.empty()) throw core::InputError(c.mark, fmt::format("component '{}': params.dcs is required", c.name));
  const config::ComponentSpec* dcs = topo.find_component(p.dcs);
  if (!dcs)
    fail_param(c, topo, "dcs", fmt::format("dcs '{}' is not a component{}", p.dcs, core::did_you_mean(p.dcs, topo.component_names())));
  if (dcs->model != "etcd") fail_param(c, topo, "dcs", fmt::format("dcs '{}' is a {}, not an etcd", p.dcs, dcs->model));
  // Minimums from Patroni's dynamic_configuration.rst.
  if (p.ttl.seconds < 20) fail_param(c, topo, "ttl", "ttl must be at least 20s (Patroni's minimum)");
  if (p.loop_wait.seconds < 1) fail_param(c, topo, "loop_wait", "loop_wait must be at least 1s (Patroni's minimum)");
  if (p.retry_timeout.seconds < 3) fail_param(c, topo, "retry_timeout", "retry_timeout must be at least 3s (Patroni's minimum)");
  PatroniConfig cfg;
  cfg.ttl = p.ttl.seconds;
  cfg.loop_wait = p.loop_wait.seconds;
  cfg.retry_timeout = p.retry_timeout.seconds;
  // Point at the value the user wrote (retry_timeout, loop_wait or ttl), if any.
  std::string culprit = "ttl";
  for (const char* k : {"retry_timeout", "loop_wait", "ttl"})
    if (c.params.IsMap() && c.params[k]) {
      culprit = k;
      break;
    }
  if (!patroni_timing_valid(cfg))
    fail_param(c, topo, culprit,
               fmt::format("Patroni requires loop_wait + 2 x retry_timeout <= ttl ({} + 2 x {} > {})",
                           core::format_duration(p.loop_wait), core::format_duration(p.retry_timeout), core::format_duration(p.ttl)));
  if (p.synchronous_mode_strict && !p.synchronous_mode)
    fail_param(c, topo, "synchronous_mode_strict", "synchronous_mode_strict needs synchronous_mode: true");
  const std::vector<std::string> ops = {"read", "write"};
  for (const auto& s : topo.services)
    for (const auto& st : s.steps) {
      if (st.component != c.name) continue;
      if (st.op != "read" && st.op != "write")
        throw core::InputError(st.mark, fmt::format("service '{}': patroni_postgres '{}' has no op '{}'{}; ops: read, write",
                                                    s.name, c.name, st.op, core::did_you_mean(st.op, ops)));
    }
}

void validate_pgbouncer(const config::ComponentSpec& c, const config::Topology& topo, const config::YamlReader& r) {
  PgBouncerParams p = pgbouncer_params().parse(c.params, r);
  if (p.database.empty()) throw core::InputError(c.mark, fmt::format("component '{}': params.database is required", c.name));
  const config::ComponentSpec* db = topo.find_component(p.database);
  if (!db)
    fail_param(c, topo, "database",
               fmt::format("database '{}' is not a component{}", p.database, core::did_you_mean(p.database, topo.component_names())));
  if (db->model != "patroni_postgres")
    fail_param(c, topo, "database", fmt::format("database '{}' is a {}, not a patroni_postgres", p.database, db->model));
  if (p.default_pool_size < 1) fail_param(c, topo, "default_pool_size", "default_pool_size must be at least 1");
  if (p.max_client_conn < 1) fail_param(c, topo, "max_client_conn", "max_client_conn must be at least 1");
  if (p.server_connect_timeout.seconds <= 0)
    fail_param(c, topo, "server_connect_timeout", "server_connect_timeout must be positive");
  if (p.session_hold.seconds > 0 && p.pool_mode != "session")
    fail_param(c, topo, "session_hold", fmt::format("session_hold applies to pool_mode session only, not {}", p.pool_mode));
  if (p.target == "local")
    for (const auto& n : c.nodes)
      if (std::find(db->nodes.begin(), db->nodes.end(), n) == db->nodes.end())
        fail_param(c, topo, "target",
                   fmt::format("target local needs the PostgreSQL of '{}' on every PgBouncer node; '{}' has none "
                               "(use target: leader)",
                               p.database, n));
  // The request path: PgBouncer hands each request to its database step, and stands in the
  // session (proxy) until the request ends.
  for (const auto& s : topo.services) {
    int seen = 0;
    for (size_t i = 0; i < s.steps.size(); ++i) {
      if (s.steps[i].component != c.name) continue;
      if (++seen > 1)
        throw core::InputError(s.steps[i].mark, fmt::format("service '{}': pgbouncer '{}' is called twice", s.name, c.name));
      if (i + 1 >= s.steps.size() || s.steps[i + 1].component != p.database)
        throw core::InputError(s.steps[i].mark, fmt::format("service '{}': the step after pgbouncer '{}' must call its "
                                                            "database '{}'",
                                                            s.name, c.name, p.database));
      for (size_t j = i + 1; j < s.steps.size(); ++j) {
        const config::ComponentSpec* later = topo.find_component(s.steps[j].component);
        if (later != nullptr && later->model == "vip_balancer")
          throw core::InputError(s.steps[j].mark, fmt::format("service '{}': a vip_balancer step after pgbouncer '{}' is "
                                                              "not supported (both track the session)",
                                                              s.name, c.name));
      }
    }
  }
}

template <class Model, class Params>
std::function<std::unique_ptr<engine::Component>(const config::ComponentSpec&, const config::Topology&, engine::Context&)>
factory(const config::ParamTable<Params>& table) {
  return [&table](const config::ComponentSpec& spec, const config::Topology& topo, engine::Context& ctx) {
    return std::make_unique<Model>(spec, table.parse(spec.params, reader_for(topo)), ctx);
  };
}

}  // namespace

ModelInfo etcd_model() {
  return {"etcd", "etcd: Raft (pre-vote, check-quorum, randomized election timeout) with a key space and TTL leases",
          etcd_params().docs(), {"leader", "follower"}, validate_etcd, factory<Etcd>(etcd_params())};
}

ModelInfo patroni_postgres_model() {
  return {"patroni_postgres",
          "PostgreSQL + Patroni: leader key in etcd, HA loop, failover race, demotion without DCS, async/sync replication",
          patroni_postgres_params().docs(), {"primary", "replica"}, validate_patroni,
          factory<PatroniPostgres>(patroni_postgres_params())};
}

ModelInfo pgbouncer_model() {
  return {"pgbouncer",
          "PgBouncer: pooled server connections (pool size, FIFO wait, query_wait_timeout, server_login_retry) in "
          "front of a patroni_postgres",
          pgbouncer_params().docs(), {"any"}, validate_pgbouncer, factory<PgBouncer>(pgbouncer_params())};
}

// ---- cockroachdb (kept in one block) ----------------------------------------------------

namespace {

void validate_cockroachdb(const config::ComponentSpec& c, const config::Topology& topo, const config::YamlReader& r) {
  CockroachDbParams p = cockroachdb_params().parse(c.params, r);
  const int n = static_cast<int>(c.nodes.size());
  // CockroachDB's own guidance (recommended-production-settings): at least 3 nodes, so a
  // range of 3 replicas survives one node.
  if (n < 3)
    throw core::InputError(c.mark, fmt::format("component '{}': cockroachdb needs at least 3 nodes (has {})", c.name, n));
  if (p.replication_factor < 1) fail_param(c, topo, "replication_factor", "replication_factor must be at least 1");
  if (p.replication_factor > n)
    fail_param(c, topo, "replication_factor",
               fmt::format("replication_factor {} is more than the {} nodes: replicas of a range need distinct nodes",
                           p.replication_factor, n));
  if (p.ranges < 1) fail_param(c, topo, "ranges", "ranges must be at least 1");
  if (p.raft_tick_interval.seconds <= 0) fail_param(c, topo, "raft_tick_interval", "raft_tick_interval must be positive");
  if (p.raft_heartbeat_interval_ticks < 1)
    fail_param(c, topo, "raft_heartbeat_interval_ticks", "raft_heartbeat_interval_ticks must be at least 1");
  // etcd-io/raft Config.validate: "election tick must be greater than heartbeat tick".
  if (p.raft_election_timeout_ticks <= p.raft_heartbeat_interval_ticks)
    fail_param(c, topo, "raft_election_timeout_ticks",
               "raft_election_timeout_ticks must be greater than raft_heartbeat_interval_ticks (etcd-io/raft's check)");
  if (p.liveness_heartbeat_interval.seconds <= 0 || p.liveness_heartbeat_interval.seconds >= p.liveness_ttl.seconds)
    fail_param(c, topo, "liveness_heartbeat_interval",
               "liveness_heartbeat_interval must be positive and shorter than liveness_ttl (a live node must renew "
               "its record before it expires)");
  if (p.liveness_retry_interval.seconds <= 0)
    fail_param(c, topo, "liveness_retry_interval", "liveness_retry_interval must be positive");
  if (p.unavailable_timeout.seconds <= 0) fail_param(c, topo, "unavailable_timeout", "unavailable_timeout must be positive");
  const std::vector<std::string> ops = {"read", "write"};
  for (const auto& s : topo.services)
    for (const auto& st : s.steps) {
      if (st.component != c.name) continue;
      if (st.op != "read" && st.op != "write")
        throw core::InputError(st.mark, fmt::format("service '{}': cockroachdb '{}' has no op '{}'{}; ops: read, write",
                                                    s.name, c.name, st.op, core::did_you_mean(st.op, ops)));
    }
}

}  // namespace

ModelInfo cockroachdb_model() {
  return {"cockroachdb",
          "CockroachDB: ranges as Raft groups (pre-vote, check-quorum), epoch-based leases tied to node liveness, "
          "requests forwarded to the leaseholder",
          cockroachdb_params().docs(), {"leaseholder", "liveness_leader"}, validate_cockroachdb,
          factory<CockroachDb>(cockroachdb_params())};
}

}  // namespace mailsim::models::db
