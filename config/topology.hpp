#pragma once
// The typed form of a topology file (docs/formats.md): nodes, components placed on them,
// and the services (request flows) clients drive through the components.
#include <yaml-cpp/yaml.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config_files.hpp"
#include "config/yaml_reader.hpp"
#include "core/distribution.hpp"
#include "core/error.hpp"
#include "core/units.hpp"

namespace mailsim::config {

// How a link shares its bandwidth among the messages on it (docs/architecture.md#network).
enum class LinkSharing { kFifo, kProcessorSharing };

struct NetworkSpec {
  core::Duration nic_latency;        // one way, node NIC <-> switch
  core::Bandwidth nic_bandwidth;
  core::Duration backbone_latency;   // one way, across the switch fabric
  core::Bandwidth backbone_bandwidth;
  core::Duration client_latency;     // one way, clients <-> the cluster's edge
  core::Bandwidth client_bandwidth;
  LinkSharing sharing = LinkSharing::kFifo;  // `sharing: fifo` or `ps`
};

// A disk of a node: its name and the rest of its map (profile and overrides), parsed and
// checked by the disk params tables in models/ (models/disk/disk_params.cpp).
struct DiskSpec {
  std::string name;
  YAML::Node params;  // the whole entry, `name` included
  core::SourceMark mark;
};

struct NodeSpec {
  std::string name;
  int cores = 1;
  core::Speed speed;
  std::string zone;  // failure domain; "" when not given
  std::optional<core::Bandwidth> nic;  // its own NIC bandwidth; the network's nic_bandwidth when not given
  std::vector<DiskSpec> disks;  // optional; storage models (nfs, storage_triple) use them
  core::SourceMark mark;
};

struct ComponentSpec {
  std::string name;
  std::string model;
  std::vector<std::string> nodes;
  YAML::Node params;  // parsed by the model's params table (models/registry)
  // Operators' files the params are read from (`config:`); models::import_configs merges
  // what they set into `params`, where the topology's own values win.
  std::vector<ConfigRef> config;
  core::SourceMark mark;
  core::SourceMark model_mark;
};

struct StepSpec {
  std::string component;
  std::string op;               // the operation the component performs ("" for proxies)
  core::Distribution cpu;       // CPU time on one core of the serving node
  core::Bytes request_bytes;
  core::Bytes response_bytes;
  // The previous step's worker stays busy until the request ends (a process blocked on
  // this call, e.g. dovecot on an NFS read, keeps its worker: docs/models/nfs.md).
  bool hold_worker = false;
  // A cache step: on a hit the request skips the next step; on a miss or a dead cache it
  // goes on to the next step (docs/models/memcached.md).
  bool fallback = false;
  int on_hit_skip = 1;  // a fallback step's hit skips this many next steps (a balancer and its database: 2)
  // The caller talks to this component's instance on its own node (SOGo's SOGoIMAPServer or
  // Roundcube's imap_host = localhost), not to any instance: the nearest earlier node of the
  // request's path that runs the component.
  bool local = false;
  core::SourceMark mark;
  core::SourceMark op_mark;  // the `op:` value (the step's mark when it has none)
};

struct ServiceSpec {
  std::string name;
  // The acceptance steps, then the delivery steps (if any): the first accept_steps() answer
  // the client; the last delivery_steps run afterwards, asynchronously (`delivery:`).
  std::vector<StepSpec> steps;
  size_t delivery_steps = 0;
  // With a delivery phase: the component whose step makes a message durable (the queue);
  // the client's 250 follows that step, which must end the acceptance steps.
  std::string queue;
  core::SourceMark mark;

  bool has_delivery() const { return delivery_steps > 0; }
  size_t accept_steps() const { return steps.size() - delivery_steps; }
};

struct Topology {
  std::string file;
  std::string name;
  std::string description;
  NetworkSpec network;
  std::vector<NodeSpec> nodes;
  std::vector<ComponentSpec> components;
  std::vector<ServiceSpec> services;
  // After models::import_configs: what each file under a component's `config:` gave, and
  // where each imported param node came from (shared by copies of the topology).
  std::vector<ConfigRecord> configs;
  std::shared_ptr<NodeOrigins> param_origins = std::make_shared<NodeOrigins>();

  // A reader for the components' params: errors point at the topology, or, for an
  // imported value, at its directive in the operator's file.
  YamlReader params_reader() const { return YamlReader(file, param_origins); }

  const NodeSpec* find_node(const std::string& name) const;
  const ComponentSpec* find_component(const std::string& name) const;
  const ServiceSpec* find_service(const std::string& name) const;
  int node_index(const std::string& name) const;  // -1 when absent
  std::vector<std::string> node_names() const;
  std::vector<std::string> component_names() const;
  std::vector<std::string> service_names() const;
};

// Parses and checks structure and references (not model params: see models/registry).
Topology load_topology(const std::string& file);
Topology parse_topology(const std::string& text, const std::string& file);
// The same from a document already loaded with `r` (r.load_string), so a file is parsed once.
Topology parse_topology(const YAML::Node& root, const YamlReader& r);

}  // namespace mailsim::config
