#pragma once
// One simulation in this process, from checked inputs to the run-result document (schema
// mailsim.run/1, docs/architecture.md): the engine runs the models from the registry, then
// the record becomes the document, the invariant checks and the expectations' verdicts are
// added. One per process: SimGrid's engine is global (DESIGN.md decision 1).
#include <nlohmann/json.hpp>

#include "app/inputs.hpp"
#include "app/run_bounds.hpp"
#include "engine/run.hpp"

namespace mailsim::app {

// With bounds, a run that passes one stops early: its result carries `partial`.
nlohmann::json run_one(const Inputs& in, uint64_t seed, engine::RunStats* stats = nullptr,
                       const RunBounds& bounds = {});

}  // namespace mailsim::app
