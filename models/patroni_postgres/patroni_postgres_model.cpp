// patroni_postgres's entry in the registry: its checks, its availability rule and its factory.
#include "models/patroni_postgres/patroni_postgres_model.hpp"

#include <fmt/format.h>

#include "models/patroni_postgres/patroni_postgres.hpp"
#include "models/patroni_postgres/patroni_postgres_import.hpp"

namespace mailsim::models {

namespace {

constexpr const char* kSummary =
    "PostgreSQL + Patroni: leader key in etcd, HA loop, failover race, demotion without DCS, "
    "async/sync replication";

void check(const ComponentCheck& c) {
  PatroniPostgresParams p = c.params(patroni_postgres_params());
  c.referenced("dcs", p.dcs, "etcd");
  if (!patroni_timing_valid(patroni_config(p))) {
    // Point at the value the user wrote (retry_timeout, loop_wait or ttl), if any.
    std::string culprit = "ttl";
    for (const char* k : {"retry_timeout", "loop_wait", "ttl"})
      if (c.user_gave(k)) {
        culprit = k;
        break;
      }
    c.fail_param(
        culprit,
        fmt::format("Patroni requires loop_wait + 2 x retry_timeout <= ttl ({} + 2 x {} > {})",
                    core::format_duration(p.loop_wait), core::format_duration(p.retry_timeout),
                    core::format_duration(p.ttl)));
  }
  if (p.disk_write_rate.bytes_per_s <= 0) c.fail_param("disk_write_rate", "disk_write_rate must be positive");
  if (p.synchronous_mode_strict && !p.synchronous_mode)
    c.fail_param("synchronous_mode_strict", "synchronous_mode_strict needs synchronous_mode: true");
}

AvailabilityRule availability(const config::ComponentSpec& c, const config::Topology& topo,
                              const std::string&) {
  using E = AvailabilityExpr;
  auto p = ComponentCheck(c, topo).params(patroni_postgres_params());
  E base = E::all_of({E::component(p.dcs), E::k_of_nodes(1, c.nodes)});
  if (!p.failsafe_mode)
    return {
        base,
        fmt::format(
            "Patroni: the DCS '{}' for the leader key AND 1 of {} PostgreSQL nodes (the primary "
            "demotes itself when it cannot renew the key)",
            p.dcs, c.nodes.size())};
  // failsafe_mode: without the DCS the primary keeps running while every member answers.
  return {E::any_of({base, E::k_of_nodes(static_cast<int>(c.nodes.size()), c.nodes)}),
          fmt::format("Patroni failsafe_mode: (DCS '{}' AND 1 of {} nodes) OR all {} members up",
                      p.dcs, c.nodes.size(), c.nodes.size())};
}

}  // namespace

ModelInfo patroni_postgres_model() {
  ModelInfo m = make_model<PatroniPostgres>("patroni_postgres", kSummary, patroni_postgres_params(),
                                            data_ops().names(), patroni_postgres_roles().names(), check,
                                            availability);
  m.native = patroni_postgres_native_kinds();
  m.switchover = true;  // patronictl switchover
  return m;
}

}  // namespace mailsim::models
