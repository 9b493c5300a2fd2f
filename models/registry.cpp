#include "models/registry.hpp"

#include "models/cockroachdb/cockroachdb_model.hpp"
#include "models/etcd/etcd_model.hpp"
#include "models/mail_node/mail_node_model.hpp"
#include "models/memcached/memcached_model.hpp"
#include "models/mysql_orchestrator/mysql_orchestrator_model.hpp"
#include "models/nfs/nfs_model.hpp"
#include "models/patroni_postgres/patroni_postgres_model.hpp"
#include "models/pgbouncer/pgbouncer_model.hpp"
#include "models/scylla/scylla_model.hpp"
#include "models/storage_triple/storage_triple_model.hpp"
#include "models/tarantool/tarantool_model.hpp"
#include "models/vip_balancer/vip_balancer_model.hpp"

namespace mailsim::models {

const std::vector<ModelInfo>& all_models() {
  // One line per model, in the order `mailsim describe` lists them.
  static const std::vector<ModelInfo> models = {
      vip_balancer_model(), mail_node_model(),          nfs_model(),
      memcached_model(),    storage_triple_model(),     
      etcd_model(),         cockroachdb_model(),        patroni_postgres_model(),
      pgbouncer_model(),    mysql_orchestrator_model(), scylla_model(),
      tarantool_model(),
  };
  return models;
}

const ModelInfo* find_model(const std::string& name) {
  for (const auto& m : all_models())
    if (m.name == name) return &m;
  return nullptr;
}

std::vector<std::string> model_names() {
  std::vector<std::string> names;
  for (const auto& m : all_models()) names.push_back(m.name);
  return names;
}

std::unique_ptr<engine::Component> create_component(const config::ComponentSpec& spec,
                                                    const config::Topology& topo,
                                                    engine::Context& ctx) {
  const ModelInfo* m = find_model(spec.model);
  if (!m) throw core::InternalError("create_component: unknown model " + spec.model);
  return m->create(spec, topo, ctx);
}

}  // namespace mailsim::models
