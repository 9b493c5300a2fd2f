#pragma once
// `mailsim analyze`'s outputs (docs/analysis.md) rendered from the analysis
// (analysis/analysis.hpp): the terminal table and the JSON document (mailsim.analysis/1).
// The dependency graph as DOT is reports/analysis_dot.hpp.
#include <string>

#include "analysis/analysis.hpp"

namespace mailsim::reports {

std::string analysis_text(const analysis::TopologyAnalysis& a);
std::string analysis_json(const analysis::TopologyAnalysis& a);

}  // namespace mailsim::reports
