#pragma once
// etcd's configuration file (the YAML of `etcd --config-file`, etcd.conf.yml.sample) onto
// the etcd model's params (docs/import.md, "etcd"): heartbeat-interval, election-timeout and
// pre-vote. One file per member or one for all; the timing values must agree.
#include <vector>

#include "models/common/native_import.hpp"

namespace mailsim::models {

void import_etcd(const NativeFile& file, ImportSink& out);

std::vector<NativeKind> etcd_native_kinds();

}  // namespace mailsim::models
