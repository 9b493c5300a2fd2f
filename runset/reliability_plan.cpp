#include "runset/reliability_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "analysis/analysis.hpp"
#include "app/inputs.hpp"
#include "config/yaml_reader.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "models/registry.hpp"
#include "runset/explore_plan.hpp"
#include "core/sha256.hpp"

namespace mailsim::runset {

namespace {

// Largest structural cut set taken from analyze: a majority of 5 (3 nodes) is the largest
// quorum loss the seed clusters have.
constexpr int kStructuralCutSize = 3;

void apply_overrides(const std::vector<std::string>& args, const std::vector<std::string>& names,
                     std::vector<Lifetime>* out, const std::string& origin) {
  for (const auto& a : args) {
    size_t eq = a.find('=');
    if (eq == std::string::npos) throw core::InputError({origin, 0, 0}, "'" + a + "': write NAME=DISTRIBUTION");
    std::string name = a.substr(0, eq);
    auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end())
      throw core::InputError({origin, 0, 0}, "unknown name '" + name + "'" + core::did_you_mean(name, names));
    (*out)[static_cast<size_t>(it - names.begin())] = parse_lifetime(a.substr(eq + 1), origin);
  }
}

// The nodes, their zones and every lifetime, overrides applied.
ReliabilityModel failure_model(const ReliabilityRequest& r, const config::Topology& topo) {
  ReliabilityModel m;
  m.nodes = topo.node_names();
  for (const auto& n : topo.nodes)
    if (!n.zone.empty() && std::find(m.zones.begin(), m.zones.end(), n.zone) == m.zones.end()) m.zones.push_back(n.zone);
  for (const auto& n : topo.nodes)
    m.node_zone.push_back(n.zone.empty() ? -1 : static_cast<int>(std::find(m.zones.begin(), m.zones.end(), n.zone) - m.zones.begin()));
  m.ttf.assign(m.nodes.size(), parse_lifetime(r.ttf, "--ttf"));
  m.ttr.assign(m.nodes.size(), parse_lifetime(r.ttr, "--ttr"));
  apply_overrides(r.node_ttf, m.nodes, &m.ttf, "--node-ttf");
  apply_overrides(r.node_ttr, m.nodes, &m.ttr, "--node-ttr");
  m.zone_ttf.assign(m.zones.size(), parse_lifetime(r.zone_ttf, "--zone-ttf"));
  m.zone_ttr.assign(m.zones.size(), parse_lifetime(r.zone_ttr, "--zone-ttr"));
  apply_overrides(r.zone_ttf_of, m.zones, &m.zone_ttf, "--zone-ttf-of");
  apply_overrides(r.zone_ttr_of, m.zones, &m.zone_ttr, "--zone-ttr-of");
  for (size_t i = 0; i < m.nodes.size(); ++i)
    if (m.ttr[i].kind == Lifetime::Kind::kNone && m.ttf[i].kind != Lifetime::Kind::kNone)
      throw core::InputError({"--ttr", 0, 0}, "node '" + m.nodes[i] + "' fails but is never repaired");
  return m;
}

// "10y" (365-day years) or a mailsim duration, in seconds.
double horizon_seconds(const std::string& h) {
  double s = 0;
  try {
    s = !h.empty() && h.back() == 'y' ? std::stod(h.substr(0, h.size() - 1)) * kYear : core::parse_duration(h).seconds;
  } catch (...) {
    s = 0;
  }
  if (!(s > 0)) throw core::InputError({"--horizon", 0, 0}, "'" + h + "' is not a duration (e.g. 10y, 30d)");
  return s;
}

ReliabilitySettings settings_of(const ReliabilityRequest& r) {
  ReliabilitySettings st;
  st.seed = r.seed;
  st.reps = r.reps;
  st.horizon_s = horizon_seconds(r.horizon);
  const double batch_years = st.reps * st.horizon_s / kYear;
  st.min_batches = std::max(2, static_cast<int>(std::ceil(r.min_years / batch_years - 1e-9)));
  st.max_batches = std::max(st.min_batches, static_cast<int>(std::ceil(r.max_years / batch_years - 1e-9)));
  st.chunk_batches = r.chunk;
  st.precision = r.precision;
  return st;
}

// The sets of nodes whose loss stops `service`: the singles and pairs measured down, and
// analyze's minimal cut sets up to size 3 (from each model's availability rule, so a
// quorum group counts as lost with a majority down, not only with every member down);
// minimal ones only, by size then order.
std::vector<std::vector<int>> cut_sets(const config::Topology& topo, const analysis::TopologyAnalysis& structure,
                                       const std::string& service,
                                       const std::map<std::vector<int>, nlohmann::json>& profile) {
  std::vector<std::vector<int>> cuts;
  for (const auto& [set, p] : profile)
    if (set.size() <= 2 && p.at(service).at("down").get<bool>()) cuts.push_back(set);
  for (const auto& s : structure.services) {
    if (s.name != service) continue;
    for (const auto& names : s.min_cut_sets) {
      std::vector<int> set;
      for (const auto& n : names) set.push_back(topo.node_index(n));
      std::sort(set.begin(), set.end());
      cuts.push_back(set);
    }
  }
  std::sort(cuts.begin(), cuts.end(), [](const auto& a, const auto& b) { return a.size() != b.size() ? a.size() < b.size() : a < b; });
  std::vector<std::vector<int>> minimal;
  for (const auto& c : cuts)
    if (std::none_of(minimal.begin(), minimal.end(),
                     [&](const auto& d) { return std::includes(c.begin(), c.end(), d.begin(), d.end()); }))
      minimal.push_back(c);
  return minimal;
}

}  // namespace

OutageRuns plan_outage_runs(const ReliabilityRequest& r) {
  OutageRuns plan;
  plan.topology = models::load_topology(r.topology_file);
  plan.topology_text = config::read_text_file(r.topology_file);
  plan.model = failure_model(r, plan.topology);
  settings_of(r);  // a bad --horizon is bad input before anything runs
  ExploreSpec& ex = plan.spec;
  ex.nodes = plan.model.nodes;
  ex.services = plan.topology.service_names();
  ex.at_s = r.at;
  ex.for_s = r.down_for;
  const double duration = r.at + r.down_for + r.after;
  std::string base_file = r.scenario_file;
  if (base_file.empty()) {
    ex.base_text = standard_scenario(ex.services, r.rate, duration);
    base_file = write_input(r.cache, ex.base_text, "reliability-standard");
  } else {
    ex.base_text = config::read_text_file(base_file);
  }
  auto base = app::load_inputs(r.topology_file, base_file);
  ex.base_name = base.scenario.name;
  ex.seed = base.scenario.seed;
  if (base.scenario.duration.seconds < duration)
    throw core::InputError({base_file, 0, 0}, fmt::format("the outage runs need a scenario of at least {} s "
                                                          "(crash at {} s, down {} s, then {} s)",
                                                          duration, r.at, r.down_for, r.after));
  plan.pairs = r.pairs == "yes" || (r.pairs == "auto" && plan.model.nodes.size() <= 8);
  plan.sets = fault_sets(static_cast<int>(plan.model.nodes.size()), plan.pairs ? 2 : 1);
  for (const auto& set : plan.sets) {
    std::vector<std::string> nodes;
    for (int i : set) nodes.push_back(plan.model.nodes[static_cast<size_t>(i)]);
    plan.specs.push_back(crash_run(ex, nodes, r.topology_file, plan.topology_text, r.cache, "reliability"));
  }
  return plan;
}

nlohmann::json set_from_outages(const ReliabilityRequest& r, const OutageRuns& plan,
                                const std::vector<nlohmann::json>& runs) {
  ReliabilityModel m = plan.model;
  const auto& nodes = m.nodes;
  nlohmann::json outages = nlohmann::json::object();
  const double tail = std::min(r.tail, r.down_for / 2);
  std::map<std::vector<int>, nlohmann::json> profile;
  analysis::AnalysisOptions structure_options;
  structure_options.max_cut_size = kStructuralCutSize;
  structure_options.max_exact_nodes = 0;  // cut sets only: no availability enumeration
  const auto structure = analysis::analyze(plan.topology, structure_options);
  for (size_t k = 1; k < plan.sets.size(); ++k)
    profile[plan.sets[k]] = outage_profile(runs[k], runs[0], plan.spec.services, r.at, r.down_for, tail);
  for (const auto& name : plan.spec.services) {
    ReliabilityModel::Service svc;
    svc.name = name;
    for (size_t i = 0; i < nodes.size(); ++i) {
      const auto& p = profile[{static_cast<int>(i)}][name];
      svc.crash_loss_s.push_back(p["crash_loss_s"]);
      svc.repair_loss_s.push_back(p["repair_loss_s"]);
      svc.degraded_fraction.push_back(p["degraded_fraction"]);
      outages[name][nodes[i]] = p;
    }
    svc.cut_sets = cut_sets(plan.topology, structure, name, profile);
    m.services.push_back(std::move(svc));
  }
  nlohmann::json extra = {
      {"topology", plan.topology.name},
      {"outage_runs", {{"scenario", plan.spec.base_name}, {"at_s", r.at}, {"down_for_s", r.down_for}, {"pairs", plan.pairs}}},
      {"outages", outages},
      {"inputs", core::Sha256().field(plan.topology_text).field(plan.spec.base_text).hex()}};
  return reliability_set(m, settings_of(r), extra);
}

std::vector<nlohmann::json> run_chunks(const nlohmann::json& set, const Shard& shard, const RunnerOptions& o,
                                       int width) {
  const size_t total = set["total"];
  const int chunk_batches = set["chunk_batches"];
  const std::string set_hash = core::Sha256().field(set.dump()).hex();
  auto chunk_job = [&](size_t c) {
    Job j;
    j.key = core::Sha256().field("reliability.chunk").field(MAILSIM_VERSION).field(build_identity()).field(set_hash).field(std::to_string(c)).hex();
    j.label = fmt::format("batches {}-{}", c * chunk_batches, (c + 1) * chunk_batches - 1);
    j.command = "(a Monte Carlo chunk: rerun the same mailsim reliability command)";
    j.body = [&set, c] { return reliability_item(set, c).dump(); };
    return j;
  };
  std::vector<nlohmann::json> items;
  size_t next = 0;
  while (next < total) {
    std::vector<Job> jobs;
    // Sharded: every owned chunk (merge applies the stopping rule). Whole: rounds of
    // 2 x width chunks until the rule is met.
    size_t round = shard.whole() ? static_cast<size_t>(2 * width) : total;
    for (; next < total && jobs.size() < round; ++next)
      if (shard.owns(next)) jobs.push_back(chunk_job(next));
    auto res = run_jobs(jobs, o);
    for (size_t q = 0; q < res.size(); ++q) {
      if (!res[q].ok()) throw std::runtime_error(res[q].describe(jobs[q]));
      items.push_back(nlohmann::json::parse(res[q].output));
    }
    if (shard.whole()) {
      bool complete = false;
      reliability_finalize(set, items, &complete);
      if (complete) break;
    }
  }
  return items;
}

}  // namespace mailsim::runset
