#pragma once
// Registry entries of the database HA layer (etcd, patroni_postgres). Kept apart from
// registry.cpp so that the one list of models stays short.
#include "models/registry.hpp"

namespace mailsim::models::db {

ModelInfo etcd_model();
ModelInfo cockroachdb_model();
ModelInfo patroni_postgres_model();
ModelInfo pgbouncer_model();

}  // namespace mailsim::models::db
