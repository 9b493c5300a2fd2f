#pragma once
// Which operators' files a failed expectation depends on (docs/import.md, "The CI recipe"):
// from a run result's manifest (`configs`, issue 18), the directives that set the params of
// the components the expectation is about: its component (failover_time(front_lb)), or
// every component on its service's path (outage_max(imap)), or every component when it
// names neither. So a failing check points at the line of keepalived.conf or haproxy.cfg
// that produced the failing value.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mailsim::reports {

// "PATH:LINE:COL `DIRECTIVE` (COMPONENT.PARAM)", one per imported value, in the manifest's
// order (PATH as the topology names it); empty when the run read no such file.
std::vector<std::string> config_sources(const nlohmann::json& result, const nlohmann::json& verdict);

}  // namespace mailsim::reports
