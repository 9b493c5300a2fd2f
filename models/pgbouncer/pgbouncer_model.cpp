// pgbouncer's entry in the registry: its checks, its availability rule and its factory.
#include "models/pgbouncer/pgbouncer_model.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "models/pgbouncer/pgbouncer.hpp"
#include "models/pgbouncer/pgbouncer_import.hpp"

namespace mailsim::models {

namespace {

constexpr const char* kSummary =
    "PgBouncer: pooled server connections (pool size, FIFO wait, query_wait_timeout, "
    "server_login_retry) in "
    "front of a patroni_postgres";

void check(const ComponentCheck& c) {
  PgBouncerParams p = c.params(pgbouncer_params());
  const config::ComponentSpec& db = c.referenced("database", p.database, "patroni_postgres");
  if (p.session_hold.seconds > 0 && p.pool_mode != "session")
    c.fail_param(
        "session_hold",
        fmt::format("session_hold applies to pool_mode session only, not {}", p.pool_mode));
  if (p.target == "local")
    for (const auto& n : c.spec().nodes)
      if (std::find(db.nodes.begin(), db.nodes.end(), n) == db.nodes.end())
        c.fail_param(
            "target",
            fmt::format(
                "target local needs the PostgreSQL of '{}' on every PgBouncer node; '{}' has "
                "none (use target: leader)",
                p.database, n));
  // The request path: PgBouncer hands each request to its database step, and stands in the
  // session (proxy) until the request ends.
  c.require_next_step("pgbouncer", "database", p.database);
  const config::ServiceSpec* seen_in = nullptr;
  for (const auto& call : c.calls()) {
    if (seen_in == &call.service)
      throw core::InputError(call.step.mark,
                             fmt::format("service '{}': pgbouncer '{}' is called twice",
                                         call.service.name, c.spec().name));
    seen_in = &call.service;
    for (size_t j = call.index + 1; j < call.service.steps.size(); ++j) {
      const auto& later = call.service.steps[j];
      const config::ComponentSpec* spec = c.topology().find_component(later.component);
      if (spec != nullptr && spec->model == "vip_balancer")
        throw core::InputError(
            later.mark, fmt::format("service '{}': a vip_balancer step after pgbouncer '{}' is not "
                                    "supported (both track the session)",
                                    call.service.name, c.spec().name));
    }
  }
}

AvailabilityRule availability(const config::ComponentSpec& c, const config::Topology& topo,
                              const std::string&) {
  using E = AvailabilityExpr;
  auto p = ComponentCheck(c, topo).params(pgbouncer_params());
  if (p.target == "local")
    // Each instance serves only the PostgreSQL on its own node: the primary must be on a
    // node that also runs PgBouncer (validation makes them a subset of the database's).
    return {E::all_of({E::component(p.database), E::k_of_nodes(1, c.nodes)}),
            fmt::format("PgBouncer in series with the PostgreSQL on the same node: the database "
                        "'{}' AND 1 of {} "
                        "PgBouncer nodes (the balancer picks the one whose Patroni is primary)",
                        p.database, c.nodes.size())};
  return {E::all_of({E::component(p.database), E::k_of_nodes(1, c.nodes)}),
          fmt::format(
              "PgBouncer forwarding to the leader: 1 of {} PgBouncer nodes AND the database '{}'",
              c.nodes.size(), p.database)};
}

}  // namespace

ModelInfo pgbouncer_model() {
  ModelInfo m = make_model<PgBouncer>("pgbouncer", kSummary, pgbouncer_params(), proxy_ops(),
                                      any_role().names(), check, availability);
  m.native = pgbouncer_native_kinds();
  return m;
}

}  // namespace mailsim::models
