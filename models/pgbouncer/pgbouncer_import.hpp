#pragma once
// pgbouncer.ini onto pgbouncer's params (docs/import.md, "PgBouncer"): the [pgbouncer]
// section's pool_mode, pool sizes and timeouts. [databases] and [users] entries are listed
// as not modelled (the database is the component params.database names).
#include <vector>

#include "models/common/native_import.hpp"

namespace mailsim::models {

void import_pgbouncer(const NativeFile& file, ImportSink& out);

std::vector<NativeKind> pgbouncer_native_kinds();

}  // namespace mailsim::models
