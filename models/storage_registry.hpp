#pragma once
// Registry entries of the storage and cache layer (nfs, memcached, storage_triple,
// replicated_service) and the check of the topology's disks. Kept apart from registry.cpp
// so that the one list of models stays short.
#include "models/registry.hpp"

namespace mailsim::models::storage {

// Every node's disks parse against their profile's table (file:line:col on bad input).
void validate_disks(const config::Topology& topo);

ModelInfo nfs_model();
ModelInfo memcached_model();
ModelInfo storage_triple_model();
ModelInfo replicated_service_model();

}  // namespace mailsim::models::storage
