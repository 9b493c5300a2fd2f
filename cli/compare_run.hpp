#pragma once
// `mailsim compare`'s work, shared with `mailsim demo`: the runs of runset/compare_runs.hpp,
// then the side-by-side table on stdout and the requested files.
#include <string>

#include "cli/runset_common.hpp"
#include "runset/compare_runs.hpp"

namespace mailsim::cli {

struct CompareOptions {
  runset::CompareRequest compare;
  std::string markdown;  // file, or ""
  std::string html;      // file, or ""
  RunSetOptions rs;      // jobs, cache, progress, --json
};

// Returns the exit code: 0, or 3 when a run failed (the table still shows the others).
int run_compare(CompareOptions o);

}  // namespace mailsim::cli
