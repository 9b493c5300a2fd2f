#pragma once
// Postfix's main.cf onto mail_node's params (docs/import.md, "Postfix"):
// default_process_limit is the worker pool of the ops postfix serves (smtp, deliver);
// queue_run_delay, minimal_backoff_time, maximal_backoff_time and maximal_queue_lifetime are
// the node's deferred queue. Every other parameter is listed as not modelled.
#include <vector>

#include "models/common/native_import.hpp"

namespace mailsim::models {

void import_postfix(const NativeFile& file, ImportSink& out);

std::vector<NativeKind> mail_node_native_kinds();

}  // namespace mailsim::models
