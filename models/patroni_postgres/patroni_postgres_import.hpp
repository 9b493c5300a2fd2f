#pragma once
// patroni.yml onto patroni_postgres's params (docs/import.md, "Patroni"): the dynamic
// configuration Patroni writes to the DCS at bootstrap (`bootstrap.dcs`: ttl, loop_wait,
// retry_timeout, maximum_lag_on_failover, synchronous_mode, failsafe_mode, ...), or the
// same keys at the top of what `patronictl show-config` prints. Every other key is listed
// as not modelled. One file per node or one for all; the values must agree.
#include <vector>

#include "models/common/native_import.hpp"

namespace mailsim::models {

void import_patroni(const NativeFile& file, ImportSink& out);

std::vector<NativeKind> patroni_postgres_native_kinds();

}  // namespace mailsim::models
