#pragma once
// One simulation in this process, from checked inputs to the run-result document (schema
// mailsim.run/1, docs/architecture.md): the engine runs the models from the registry, then
// the record becomes the document, the invariant checks and the expectations' verdicts are
// added. One per process: SimGrid's engine is global (DESIGN.md decision 1).
#include <nlohmann/json.hpp>

#include "app/inputs.hpp"
#include "engine/run.hpp"

namespace mailsim::app {

nlohmann::json run_one(const Inputs& in, uint64_t seed, engine::RunStats* stats = nullptr);

}  // namespace mailsim::app
