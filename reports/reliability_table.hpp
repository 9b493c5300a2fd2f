#pragma once
// A reliability result (schema mailsim.reliability/1, runset/reliability.hpp) as the
// table `mailsim reliability` prints: the batches run, then per service the availability,
// its 95% interval, downtime per year, the structural availability and the failover tax.
#include <nlohmann/json.hpp>
#include <string>

namespace mailsim::reports {

std::string reliability_table(const nlohmann::json& result);

}  // namespace mailsim::reports
