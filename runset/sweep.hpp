#pragma once
// `mailsim sweep`: a grid over YAML paths of the topology and the scenario, with
// replications per point, a results table and CSV, and knee detection: along the knee
// axis (the first --set unless told otherwise), the highest value before the first point
// where the SLO fails, for every combination of the other axes (e.g. per topology
// variant). The SLO is a list of expectations (config/expectation.hpp). A Latin
// hypercube (lhs_design) samples range axes instead of listing values; its knee is the
// safe limit along one range axis with the others free (docs/runsets.md).
// Engine-free: the CLI runs the generated inputs through the runner.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/expectation.hpp"

namespace mailsim::runset {

struct SweepAxis {
  std::string path;      // without the topology./scenario. prefix
  bool topology = false;  // which document it edits
  std::vector<std::string> values;
};

// "PATH=v1,v2,..." or "PATH=A..B*F" (geometric) or "PATH=A..B+S" (arithmetic), where A,
// B and S share a unit suffix ("50/s..800/s*2" = 50/s,100/s,200/s,400/s,800/s). PATH
// starts with topology. or scenario., or with a key that only one of them has (load,
// faults, client, metrics, duration, seed -> scenario; network, nodes, components,
// services -> topology). Bad input is core::InputError at `origin`.
SweepAxis parse_axis(const std::string& arg, const std::string& origin);

// Points of the grid: the first axis outermost.
std::vector<std::vector<size_t>> grid_points(const std::vector<SweepAxis>& axes);

// A range axis of a Latin hypercube design: "PATH=LO..HI" or "PATH=LO..HI:log", LO and HI
// numbers with the same optional unit ("50/s..800/s", "10s..30s", "2..8"). Both bounds
// written as integers without a unit make an integer axis (a node count, workers); `log`
// stratifies log(value) instead of the value (LO > 0; not on an integer axis).
struct RangeAxis {
  std::string path;
  bool topology = false;
  double lo = 0, hi = 0;
  std::string unit;
  bool integer = false;
  bool log = false;
};
RangeAxis parse_range(const std::string& arg, const std::string& origin);

// A Latin hypercube of n points over the range axes, seeded: per axis, the range is cut
// into n equal strata (of the value, or of its log) and a seeded permutation gives point
// i its stratum, so every stratum of every axis holds exactly one point. Within its
// stratum a point is drawn uniformly, then written with the fewest significant digits
// (4 at least) that keep it inside the stratum. An integer axis with at least n integers
// draws an integer inside the stratum; with fewer (c < n) its n strata are shared out so
// that every integer gets floor(n/c) or ceil(n/c) points. Streams: (seed,
// "sweep.lhs.AXIS"), so the design does not depend on the standard library.
// Result: values[i][a], the text of point i on axis a, unit included.
std::vector<std::vector<std::string>> lhs_design(const std::vector<RangeAxis>& axes, size_t n, uint64_t seed);
// The stratum (0..n-1) of a value of a continuous axis, for tests and checks.
size_t lhs_stratum(const RangeAxis& axis, double value, size_t n);
// The number of a value's text ("61.25/s" -> 61.25); false when it has none.
bool value_number(const std::string& text, double* value, std::string* unit);

// The set's axes as stored in the set and the result: grid axes {path, document, kind:
// "grid", values}, then range axes {path, document, kind: "lhs", lo, hi, unit, integer, log}.
nlohmann::json axes_json(const std::vector<SweepAxis>& grid, const std::vector<RangeAxis>& ranges);

// One (point, replication) item: the run's figures per service and whether it meets the
// SLO (expectations, judged by app/verdicts.hpp; none: the run's own verdicts).
nlohmann::json sweep_item(size_t index, const std::vector<std::string>& point, int rep, uint64_t seed,
                          const nlohmann::json* run, const std::vector<config::Expectation>& slo,
                          const std::string& error);
// The result document (schema mailsim.sweep/1; rendered by reports/sweep_table.hpp and
// reports/sweep_html.hpp) from the set and all its items in order.
nlohmann::json sweep_finalize(const nlohmann::json& set, const std::vector<nlohmann::json>& items);

}  // namespace mailsim::runset
