#include "models/db_registry.hpp"

#include <fmt/format.h>

#include "models/etcd/etcd.hpp"
#include "models/patroni_postgres/patroni_postgres.hpp"

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

}  // namespace mailsim::models::db
