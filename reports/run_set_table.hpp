#pragma once
// The text a run-set command prints for its finalized result (runset/merge.hpp), chosen
// by the set's kind: explore, sweep or reliability. `mailsim merge` prints the same text
// as the unsharded command.
#include <nlohmann/json.hpp>
#include <string>

namespace mailsim::reports {

std::string run_set_table(const nlohmann::json& set, const nlohmann::json& result);

}  // namespace mailsim::reports
