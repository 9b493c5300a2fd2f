#include "analysis/capacity_model.hpp"

#include <algorithm>
#include <map>

#include "analysis/capacity_disks.hpp"
#include "models/memcached/memcached_params.hpp"

namespace mailsim::analysis {

namespace {

// Models whose calls go to one instance at a time: the VIP holder (the highest keepalived
// priority, the first node on a tie), a database primary or leader (the first node), an
// NFS server.
bool one_instance(const config::ComponentSpec& spec) {
  return spec.model == "vip_balancer" || spec.model == "patroni_postgres" || spec.model == "mysql_orchestrator" ||
         spec.model == "tarantool" || spec.model == "nfs";
}

size_t active_index(const config::ComponentSpec& spec) {
  if (spec.model != "vip_balancer" || !spec.params || !spec.params["priority"] || !spec.params["priority"].IsSequence())
    return 0;
  const YAML::Node pr = spec.params["priority"];
  size_t best = 0;
  for (size_t i = 1; i < pr.size() && i < spec.nodes.size(); ++i)
    if (pr[i].as<double>() > pr[best].as<double>()) best = i;
  return best;
}

using Shares = std::map<std::string, double>;  // node -> share of a step's calls

// The share of lookups a fallback step answers, so that the steps it skips on a hit are
// visited by the misses only: memcached's hit_ratio (its params table's value or
// default); another model's fallback step counts as always missing (an upper bound).
double hit_ratio(const config::Topology& topo, const config::ComponentSpec& spec) {
  if (spec.model != "memcached") return 0;
  return models::memcached_params().parse(spec.params, topo.params_reader()).hit_ratio.value;
}

}  // namespace

std::vector<double> instance_shares(const config::ComponentSpec& spec) {
  std::vector<double> s(spec.nodes.size(), 0.0);
  if (s.empty()) return s;
  if (one_instance(spec)) s[active_index(spec)] = 1;
  else std::fill(s.begin(), s.end(), 1.0 / static_cast<double>(s.size()));
  return s;
}

nlohmann::json CapacityPrediction::to_json() const {
  nlohmann::json rs = nlohmann::json::array();
  for (const auto& r : resources)
    rs.push_back({{"name", r.name}, {"kind", r.kind}, {"node", r.node.empty() ? nlohmann::json() : nlohmann::json(r.node)},
                  {"capacity", r.capacity}, {"unit", r.unit}, {"demand", r.demand}, {"utilisation", r.utilisation}});
  return {{"resources", rs}, {"load_rps", load_rps}, {"saturation_factor", saturation_factor},
          {"bottleneck", bottleneck.empty() ? nlohmann::json() : nlohmann::json(bottleneck)}};
}

CapacityPrediction predict_capacity(const config::Topology& topo, const config::Scenario& scen) {
  std::map<std::string, double> cpu;  // node -> core-seconds per second
  std::map<std::string, double> nic_in, nic_out;  // node -> bytes per second (its NIC down, up)
  double up = 0, down = 0;  // the clients' links
  double backbone = 0;      // every hop between two endpoints crosses it
  struct DiskLoad {
    std::string node;
    core::DiskFigures figures;
    double busy = 0;  // device seconds per second
  };
  std::map<std::string, DiskLoad> disks;  // "NODE.DISK" -> its load
  CapacityPrediction p;
  const double duration = std::max(scen.duration.seconds, 1e-9);
  for (const auto& load : scen.load) {
    const config::ServiceSpec* svc = topo.find_service(load.service);
    if (!svc) continue;
    const double x = load.expected_requests(duration) / duration;  // requests per second
    p.load_rps += x;
    Shares prev;  // where the previous step ran; empty: the clients
    int skipped_on_hit = 0;  // the next steps a cache hit skips
    double miss = 1;         // the share of requests that reach them
    // The answer is every step's response together, and it retraces the request's path hop
    // by hop back to the clients (engine/flow.cpp Flow::answer).
    double reply = 0;
    for (const auto& step : svc->steps) reply += step.response_bytes.bytes;
    for (const auto& step : svc->steps) {
      const config::ComponentSpec* comp = topo.find_component(step.component);
      if (!comp) continue;
      const double visit = skipped_on_hit > 0 ? miss : 1.0;
      if (skipped_on_hit > 0) --skipped_on_hit;
      if (step.fallback) {
        skipped_on_hit = step.on_hit_skip;
        miss = 1 - hit_ratio(topo, *comp);
      }
      Shares here;
      if (step.local) {
        for (const auto& [node, share] : prev)
          if (std::count(comp->nodes.begin(), comp->nodes.end(), node)) here[node] += share;
      }
      if (here.empty()) {
        const auto shares = instance_shares(*comp);
        for (size_t i = 0; i < comp->nodes.size(); ++i)
          if (shares[i] > 0) here[comp->nodes[i]] += shares[i];
      }
      const double req = step.request_bytes.bytes;
      const double xv = x * visit;
      for (const auto& [node, share] : here) cpu[node] += xv * share * step.cpu.mean;
      // Disks: each node that pays the call's disk cost, `copies` of them per call (every
      // node when the copies cover the component: a Patroni replica, a Raft follower).
      for (const auto& node : comp->nodes) {
        double copies = 1;
        for (const auto& d : step_disk_demand(topo, *comp, step, node, &copies)) {
          const double share = here.count(node) ? here.at(node) : 0.0;
          const double visits = copies >= static_cast<double>(comp->nodes.size()) ? 1.0 : std::min(1.0, share * copies);
          DiskLoad& load = disks[node + "." + d.disk];
          load.node = node;
          load.figures = d.figures;
          load.busy += xv * visits * d.seconds;
        }
      }
      // The hop from where the previous step ran: the request one way, the answer back.
      // Requests whose two steps fall on the same node (a local step, or a balancer on the
      // backend's node) cross no link.
      if (prev.empty()) {
        up += xv * req;
        down += xv * reply;
        for (const auto& [node, share] : here) {
          nic_in[node] += xv * share * req;
          nic_out[node] += xv * share * reply;
        }
        backbone += xv * (req + reply);
      }
      if (!step.local)  // a local step runs where the previous one ran: no hop
        for (const auto& [from, from_share] : prev)
          for (const auto& [to, to_share] : here) {
            if (from == to) continue;
            const double rate = xv * from_share * to_share;
            nic_out[from] += rate * req;
            nic_in[to] += rate * req;
            nic_out[to] += rate * reply;
            nic_in[from] += rate * reply;
            backbone += rate * (req + reply);
          }
      prev = here;
    }
  }
  for (const auto& n : topo.nodes) {
    const double cores = n.cores;
    const double bw = n.nic.value_or(topo.network.nic_bandwidth).bytes_per_s;
    if (cpu[n.name] > 0) p.resources.push_back({n.name + ".cpu", "cpu", n.name, cores, "cores", cpu[n.name], cpu[n.name] / cores});
    // Named as the run's link resources (engine/network.cpp): a NIC's down side receives.
    if (nic_in[n.name] > 0) p.resources.push_back({n.name + ".nic.down", "link", n.name, bw, "B/s", nic_in[n.name], nic_in[n.name] / bw});
    if (nic_out[n.name] > 0) p.resources.push_back({n.name + ".nic.up", "link", n.name, bw, "B/s", nic_out[n.name], nic_out[n.name] / bw});
  }
  for (const auto& [name, d] : disks)
    if (d.busy > 0) p.resources.push_back({name, "disk", d.node, d.figures.write_iops, "IO/s", d.busy * d.figures.write_iops, d.busy});
  const double cbw = topo.network.client_bandwidth.bytes_per_s;
  if (up > 0) p.resources.push_back({"clients.link.up", "link", "", cbw, "B/s", up, up / cbw});
  if (down > 0) p.resources.push_back({"clients.link.down", "link", "", cbw, "B/s", down, down / cbw});
  const double bbw = topo.network.backbone_bandwidth.bytes_per_s;
  if (backbone > 0) p.resources.push_back({"backbone", "link", "", bbw, "B/s", backbone, backbone / bbw});
  std::stable_sort(p.resources.begin(), p.resources.end(), [](const auto& a, const auto& b) {
    return a.utilisation != b.utilisation ? a.utilisation > b.utilisation : a.name < b.name;
  });
  if (!p.resources.empty() && p.resources.front().utilisation > 0) {
    p.bottleneck = p.resources.front().name;
    p.saturation_factor = 1 / p.resources.front().utilisation;
  }
  return p;
}

nlohmann::json utilisation_side_by_side(const CapacityPrediction& p, const nlohmann::json& run) {
  const nlohmann::json sim = run.value("resources", nlohmann::json::array());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : p.resources) {
    nlohmann::json found;
    for (const auto& s : sim) {
      const bool same_name = s.value("name", std::string()) == r.name;
      const bool same_cpu = r.kind == "cpu" && s.value("kind", std::string()) == "cpu" && s["node"].is_string() &&
                            s["node"].get<std::string>() == r.node;
      if (same_name || same_cpu) {
        found = s;
        break;
      }
    }
    out.push_back({{"name", r.name},
                   {"kind", r.kind},
                   {"predicted", r.utilisation},
                   {"simulated", found.is_null() ? nlohmann::json() : found.value("utilisation", nlohmann::json())},
                   {"simulated_name", found.is_null() ? nlohmann::json() : found["name"]}});
  }
  return out;
}

}  // namespace mailsim::analysis
