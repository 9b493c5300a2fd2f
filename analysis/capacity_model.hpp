#pragma once
// The analytic side of capacity planning (issue 15 item 7, docs/capacity.md): operational
// laws on the same topology and scenario a run reads, without simulating.
// - Visits: each step of each service calls one instance of its component; which one is
//   the model's rule for sharing requests (instance_shares): one instance (the VIP holder,
//   a primary, an active/passive pair's active) or an even spread (a balanced backend, a
//   quorum, a cache), and a `local: true` step runs where the previous one ran.
// - Demands: a step's CPU is its `cpu` mean on one core of that node; its request crosses
//   the hop from the previous step's node (the clients' link for the first step), the NICs
//   of both ends and the backbone, at their bandwidth; the answer (every step's response
//   together) retraces each hop back to the clients, as engine/flow.cpp sends it.
// - The utilisation law U = X * D per resource, X the scenario's mean request rate per
//   service (population or load: LoadSpec::expected_requests over the duration).
// - Saturation: the load scales as a whole (the same mix), and the resource with the
//   largest demand D_max per unit of load saturates first: the largest load multiple is
//   1 / U_max, i.e. X_max = X / U_max = 1 / D_max.
// - Disks: what each call of a step asks of its node's disk, as the model's shell submits it
//   (capacity_disks.hpp), as a busy fraction of the device (docs/architecture.md "Disks").
// What it leaves out, and therefore where the simulation should be trusted instead: CPU a
// model spends by itself (health checks, replication, elections), disk writes a model makes
// by itself (rsync copies, resyncs, Raft heartbeats of the liveness range), group commit
// (one flush per commit is an upper bound), worker pools and
// connection pools (holding times depend on queueing), faults. A fallback cache's hits
// skip the next steps (memcached's hit_ratio; another model's fallback step never hits).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/scenario.hpp"
#include "config/topology.hpp"

namespace mailsim::analysis {

struct ResourcePrediction {
  std::string name;      // as the run's resources: "NODE.cpu", "NODE.nic.down" (in), "NODE.nic.up" (out), "NODE.DISK", "clients.link.up", "clients.link.down", "backbone"
  std::string kind;      // cpu | link | disk
  std::string node;      // "" for the clients' links
  double capacity = 0;   // cores, bytes/s, or a disk's write IOPS
  std::string unit;      // "cores" | "B/s" | "IO/s"
  double demand = 0;     // capacity-units x seconds per second of the scenario's load (U x capacity)
  double utilisation = 0;  // at the scenario's load: demand / capacity
};

struct CapacityPrediction {
  std::vector<ResourcePrediction> resources;  // most loaded first, then by name
  double load_rps = 0;            // the scenario's mean client request rate, all services
  double saturation_factor = 0;   // 1 / U_max: how many times the load the most loaded resource can take
  std::string bottleneck;         // its name ("" when nothing is loaded)
  nlohmann::json to_json() const;
};

// Which share of a component's calls each of its nodes serves (same order as spec.nodes;
// the shares sum to 1).
std::vector<double> instance_shares(const config::ComponentSpec& spec);

CapacityPrediction predict_capacity(const config::Topology& topo, const config::Scenario& scen);

// Predicted next to simulated: for each predicted resource, the run result's resource of
// the same name (its `resources` list, schema mailsim.run/1), or for a CPU the run's cpu
// resource of the same node; `simulated` is null where the run has none.
nlohmann::json utilisation_side_by_side(const CapacityPrediction& p, const nlohmann::json& run);

}  // namespace mailsim::analysis
