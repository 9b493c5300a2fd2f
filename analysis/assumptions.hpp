#pragma once
// The assumptions behind a figure (issue 16: "the 112 lost mails are rate × an assumed
// lag"): for the components whose mechanisms produced it, the params of their model whose
// source is an assumption (the article is silent, mailsim chose), with the value the run
// used, and the topology's own `# assumption` comments on those components' lines.
#include <set>
#include <string>
#include <vector>

#include "config/topology.hpp"

namespace mailsim::analysis {

// "maildir.replica_sync_interval = 60s (assumption: the article does not say how RuPost
// replicates Maildir)", "topologies/rupost-13.yaml:29: assumption: ..." for each of
// `components` (names in the topology; unknown names are skipped), in topology order.
std::vector<std::string> assumptions_of(const config::Topology& topo, const std::string& topology_text,
                                        const std::set<std::string>& components);

}  // namespace mailsim::analysis
