#pragma once
// The durability ledger of a run result (`durability`, engine/durability_ledger.hpp) as rows
// for the terminal summary and the HTML page: one per store that acknowledged anything, with
// its cells already formatted, so both show the same figures.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mailsim::reports {

struct DurabilityRow {
  std::string store;         // a component, or S.queue
  std::string holds;         // "messages" or "commits"
  uint64_t acknowledged = 0;
  uint64_t lost = 0;
  std::string lost_window;   // "12.345–60.500 s" (when the lost items were acknowledged), "-" when none
  uint64_t duplicated = 0;
  uint64_t queued = 0;
};

std::vector<DurabilityRow> durability_rows(const nlohmann::json& run);

}  // namespace mailsim::reports
