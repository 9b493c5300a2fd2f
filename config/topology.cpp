#include "config/topology.hpp"

#include <algorithm>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "config/domain.hpp"
#include "config/yaml_reader.hpp"

namespace mailsim::config {

namespace {

// The domains of a topology's numbers (docs/formats.md, "Domains"): far beyond a real
// cluster, and small enough that no sum of them overflows a timer.
struct TopologyDomains {
  CheckedDomain latency = parse_domain<core::Duration>(range("0s", "10s"), "a latency");
  CheckedDomain bandwidth = parse_domain<core::Bandwidth>(range("1Kbps", "10000Gbps"), "a bandwidth");
  CheckedDomain speed = parse_domain<core::Speed>(range("1kf", "1000Tf"), "a CPU speed");
  CheckedDomain message = parse_domain<core::Bytes>(range("0B", "1GiB"), "a message size");
  CheckedDomain cpu_demand = parse_domain<core::Duration>(range("0s", "1h"), "a CPU demand");
};
const TopologyDomains& domains() {
  static const TopologyDomains d;
  return d;
}

NetworkSpec read_network(const YamlReader& r, const YAML::Node& n) {
  r.require_map(n, "network");
  r.check_keys(n, {"nic_latency", "nic_bandwidth", "backbone_latency", "backbone_bandwidth", "client_latency",
                   "client_bandwidth", "sharing"},
               "network");
  auto latency = [&](const char* key) {
    return read_in<core::Duration>(r, r.required(n, key, "network"), domains().latency, key);
  };
  auto bandwidth = [&](const char* key) {
    return read_in<core::Bandwidth>(r, r.required(n, key, "network"), domains().bandwidth, key);
  };
  NetworkSpec s;
  s.nic_latency = latency("nic_latency");
  s.nic_bandwidth = bandwidth("nic_bandwidth");
  s.backbone_latency = latency("backbone_latency");
  s.backbone_bandwidth = bandwidth("backbone_bandwidth");
  s.client_latency = latency("client_latency");
  s.client_bandwidth = bandwidth("client_bandwidth");
  if (n["sharing"])
    s.sharing = r.as_choice(n["sharing"], {"fifo", "ps"}) == "ps" ? LinkSharing::kProcessorSharing : LinkSharing::kFifo;
  return s;
}

NodeSpec read_node(const YamlReader& r, const YAML::Node& n) {
  r.require_map(n, "a node");
  r.check_keys(n, {"name", "cores", "speed", "zone", "nic", "disks"}, "a node");
  NodeSpec s;
  s.mark = r.mark(n);
  s.name = r.as_name(r.required(n, "name", "a node"));
  s.cores = static_cast<int>(r.as_int(r.required(n, "cores", "node " + s.name), 1, 4096));
  s.speed = read_in<core::Speed>(r, r.required(n, "speed", "node " + s.name), domains().speed, "speed");
  if (n["zone"]) s.zone = r.as_name(n["zone"]);
  if (n["nic"]) s.nic = read_in<core::Bandwidth>(r, n["nic"], domains().bandwidth, "nic");
  if (n["disks"]) {
    r.require_sequence(n["disks"], "disks");
    std::set<std::string> seen;
    for (const auto& d : n["disks"]) {
      r.require_map(d, "a disk");
      DiskSpec disk{r.as_name(r.required(d, "name", "a disk")), d, r.mark(d)};
      if (!seen.insert(disk.name).second) r.fail(d["name"], fmt::format("duplicate disk name '{}' on node '{}'", disk.name, s.name));
      s.disks.push_back(std::move(disk));
    }
  }
  return s;
}

// The folder `config:` paths are relative to: the topology's, or its `config_folder` (relative
// to the topology's folder, or absolute). A rewritten copy of a topology in another folder
// (mailsim sweep's, under CACHE/inputs) names its original's folder there, so its paths,
// as written and as the manifest records them, keep their meaning.
std::filesystem::path config_folder(const YamlReader& r, const YAML::Node& root) {
  const std::filesystem::path own =
      r.file() == "-" ? std::filesystem::path() : std::filesystem::path(r.file()).parent_path();
  if (!root["config_folder"]) return own;
  const std::string folder = r.as_string(root["config_folder"]);
  if (folder.empty()) r.fail(root["config_folder"], "config_folder must not be empty");
  return (own / folder).lexically_normal();
}

// One file of `config:`: PATH or {file: PATH, section: NAME}. The path is relative to the
// config folder (the topology's), so the run manifest records it the same on every machine.
ConfigRef read_config_file(const YamlReader& r, const YAML::Node& n, const std::string& kind, const std::string& node,
                           const std::filesystem::path& folder) {
  ConfigRef ref;
  ref.kind = kind;
  ref.node = node;
  if (n.IsMap()) {
    r.check_keys(n, {"file", "section"}, "a config file");
    // A section is a block's name (vrrp_instance, haproxy backend) or a mount point (/var/vmail).
    if (n["section"]) ref.section = r.as_string(n["section"]);
    if (n["section"] && ref.section.empty()) r.fail(n["section"], "a config file's section must not be empty");
  }
  // (A YAML::Node is a reference: assigning to a copy of `n` would rewrite the document.)
  const YAML::Node path = n.IsMap() ? r.required(n, "file", "a config file") : n;
  ref.path = r.as_string(path);
  ref.mark = r.mark(path);
  if (ref.path.empty()) r.fail(path, "a config file path must not be empty");
  const std::filesystem::path p(ref.path);
  if (p.is_absolute())
    r.fail(path, fmt::format("config file '{}' must be relative to the topology's folder (the run manifest records it "
                             "as written, the same on every machine)",
                             ref.path));
  ref.file = (folder / p).lexically_normal().string();
  return ref;
}

// `config:` of a component: KIND: FILE for every node, or KIND: {NODE: FILE, ...} with one
// file per node of the component (keepalived's priorities differ per node). The kinds are
// the model's to check (models::import_configs).
std::vector<ConfigRef> read_config(const YamlReader& r, const YAML::Node& n, const ComponentSpec& c,
                                   const std::filesystem::path& folder) {
  r.require_map(n, "config (a map from a file kind to its file)");
  std::vector<ConfigRef> out;
  for (auto it = n.begin(); it != n.end(); ++it) {
    const std::string kind = r.as_name(it->first);
    const YAML::Node v = it->second;
    if (!v.IsMap() || v["file"]) {
      out.push_back(read_config_file(r, v, kind, "", folder));
      continue;
    }
    std::set<std::string> given;
    for (auto f = v.begin(); f != v.end(); ++f) {
      const std::string node = r.as_name(f->first);
      if (std::find(c.nodes.begin(), c.nodes.end(), node) == c.nodes.end())
        r.fail(f->first, fmt::format("config.{}: component '{}' does not run on node '{}'{}", kind, c.name, node,
                                     core::did_you_mean(node, c.nodes)));
      given.insert(node);
      out.push_back(read_config_file(r, f->second, kind, node, folder));
    }
    for (const auto& node : c.nodes)
      if (!given.count(node))
        r.fail(v, fmt::format("config.{}: no file for node '{}' of component '{}': give one file per node, or one "
                              "file for every node",
                              kind, node, c.name));
  }
  return out;
}

ComponentSpec read_component(const YamlReader& r, const YAML::Node& n, const std::filesystem::path& config_folder) {
  r.require_map(n, "a component");
  r.check_keys(n, {"name", "model", "nodes", "params", "config"}, "a component");
  ComponentSpec s;
  s.mark = r.mark(n);
  s.name = r.as_name(r.required(n, "name", "a component"));
  YAML::Node model = r.required(n, "model", "component " + s.name);
  s.model = r.as_name(model);
  s.model_mark = r.mark(model);
  YAML::Node nodes = r.required(n, "nodes", "component " + s.name);
  s.nodes = r.as_name_list(nodes);
  if (s.nodes.empty()) r.fail(nodes, fmt::format("component '{}' must be placed on at least one node", s.name));
  if (n["params"]) s.params = n["params"];
  if (n["config"]) s.config = read_config(r, n["config"], s, config_folder);
  return s;
}

StepSpec read_step(const YamlReader& r, const YAML::Node& n) {
  r.require_map(n, "a service step");
  r.check_keys(n, {"component", "op", "cpu", "request", "response", "hold_worker", "fallback", "on_hit_skip",
                  "local"},
               "a service step");
  StepSpec s;
  s.mark = r.mark(n);
  s.component = r.as_name(r.required(n, "component", "a service step"));
  s.op_mark = s.mark;
  if (n["op"]) {
    s.op = r.as_name(n["op"]);
    s.op_mark = r.mark(n["op"]);
  }
  if (n["cpu"]) s.cpu = read_distribution(r, n["cpu"], domains().cpu_demand, "the CPU demand's mean");
  if (n["request"]) s.request_bytes = read_in<core::Bytes>(r, n["request"], domains().message, "request");
  if (n["response"]) s.response_bytes = read_in<core::Bytes>(r, n["response"], domains().message, "response");
  if (n["hold_worker"]) s.hold_worker = r.as_bool(n["hold_worker"]);
  if (n["fallback"]) s.fallback = r.as_bool(n["fallback"]);
  if (n["local"]) s.local = r.as_bool(n["local"]);
  if (n["on_hit_skip"]) {
    if (!s.fallback) r.fail(n["on_hit_skip"], "'on_hit_skip' goes with 'fallback: true'");
    s.on_hit_skip = static_cast<int>(r.as_number(n["on_hit_skip"], 1, 15));
  }
  return s;
}

ServiceSpec read_service(const YamlReader& r, const YAML::Node& n) {
  r.require_map(n, "a service");
  r.check_keys(n, {"name", "steps", "queue", "delivery"}, "a service");
  ServiceSpec s;
  s.mark = r.mark(n);
  s.name = r.as_name(r.required(n, "name", "a service"));
  YAML::Node steps = r.required(n, "steps", "service " + s.name);
  r.require_sequence(steps, "steps");
  if (steps.size() == 0) r.fail(steps, fmt::format("service '{}' needs at least one step", s.name));
  for (const auto& st : steps) s.steps.push_back(read_step(r, st));
  if (n["delivery"] && !n["queue"])
    r.fail(n["delivery"], fmt::format("service '{}': a delivery phase needs `queue:`, the component whose step makes "
                                      "the message durable before the 250",
                                      s.name));
  if (n["queue"]) {
    s.queue = r.as_name(n["queue"]);
    if (s.steps.back().component != s.queue)
      r.fail(n["queue"], fmt::format("service '{}': queue '{}' must be the component of the last step (the client's "
                                     "250 follows the queue write); the last step is '{}'",
                                     s.name, s.queue, s.steps.back().component));
    YAML::Node delivery = r.required(n, "delivery", "service " + s.name + " (it names a queue)");
    r.require_sequence(delivery, "delivery");
    if (delivery.size() == 0) r.fail(delivery, fmt::format("service '{}': delivery needs at least one step", s.name));
    for (const auto& st : delivery) s.steps.push_back(read_step(r, st));
    s.delivery_steps = delivery.size();
  }
  return s;
}

template <class T>
void check_unique(const YamlReader& r, const YAML::Node& list, const std::vector<T>& items, const std::string& what) {
  std::set<std::string> seen;
  for (size_t i = 0; i < items.size(); ++i)
    if (!seen.insert(items[i].name).second)
      r.fail(list[i]["name"], fmt::format("duplicate {} name '{}'", what, items[i].name));
}

// `local: true` needs an earlier step (in the same phase) served on a node that also runs
// this step's component: that node is the caller whose own instance the step talks to.
void check_local_step(const YamlReader& r, const YAML::Node& at, const Topology& t, const ServiceSpec& svc, size_t j) {
  const size_t first = j < svc.accept_steps() ? 0 : svc.accept_steps();
  const ComponentSpec* self = t.find_component(svc.steps[j].component);
  for (size_t k = first; k < j && self != nullptr; ++k)
    if (const ComponentSpec* c = t.find_component(svc.steps[k].component))
      for (const auto& node : c->nodes)
        if (std::find(self->nodes.begin(), self->nodes.end(), node) != self->nodes.end()) return;
  r.fail(at, fmt::format("service '{}': 'local' step {} needs an earlier step on a node that runs '{}' (the caller "
                         "whose own instance it talks to)",
                         svc.name, j, svc.steps[j].component));
}

void check_references(const YamlReader& r, const YAML::Node& root, const Topology& t) {
  auto node_names = t.node_names();
  auto comp_names = t.component_names();
  for (size_t i = 0; i < t.components.size(); ++i) {
    const auto& c = t.components[i];
    YAML::Node nodes = root["components"][i]["nodes"];
    std::set<std::string> placed;
    for (size_t j = 0; j < c.nodes.size(); ++j) {
      YAML::Node at = nodes.IsSequence() ? nodes[j] : nodes;
      if (!t.find_node(c.nodes[j]))
        r.fail(at, fmt::format("component '{}' is placed on unknown node '{}'{}", c.name, c.nodes[j],
                               core::did_you_mean(c.nodes[j], node_names)));
      if (!placed.insert(c.nodes[j]).second)
        r.fail(at, fmt::format("component '{}' lists node '{}' twice", c.name, c.nodes[j]));
    }
  }
  for (size_t i = 0; i < t.services.size(); ++i)
    for (size_t j = 0; j < t.services[i].steps.size(); ++j) {
      const auto& st = t.services[i].steps[j];
      const size_t accept = t.services[i].accept_steps();
      if (!t.find_component(st.component))
        r.fail(j < accept ? root["services"][i]["steps"][j]["component"] : root["services"][i]["delivery"][j - accept]["component"],
               fmt::format("service '{}' calls unknown component '{}'{}", t.services[i].name, st.component,
                           core::did_you_mean(st.component, comp_names)));
      if (st.local) check_local_step(r, j < accept ? root["services"][i]["steps"][j]["local"]
                                                   : root["services"][i]["delivery"][j - accept]["local"],
                                     t, t.services[i], j);
    }
}

}  // namespace

Topology parse_topology(const std::string& text, const std::string& file) {
  YamlReader r(file);
  YAML::Node root = r.load_string(text);
  return parse_topology(root, r);
}

Topology parse_topology(const YAML::Node& root, const YamlReader& r) {
  const std::string& file = r.file();
  r.require_map(root, "a topology");
  r.check_keys(root, {"name", "description", "config_folder", "network", "nodes", "components", "services"}, "a topology");
  Topology t;
  t.file = file;
  t.name = r.as_name(r.required(root, "name", "the topology"));
  if (root["description"]) t.description = r.as_string(root["description"]);
  t.network = read_network(r, r.required(root, "network", "the topology"));
  YAML::Node nodes = r.required(root, "nodes", "the topology");
  r.require_sequence(nodes, "nodes");
  for (const auto& n : nodes) t.nodes.push_back(read_node(r, n));
  if (t.nodes.empty()) r.fail(nodes, "a topology needs at least one node");
  YAML::Node comps = r.required(root, "components", "the topology");
  r.require_sequence(comps, "components");
  const std::filesystem::path folder = config_folder(r, root);
  for (const auto& c : comps) t.components.push_back(read_component(r, c, folder));
  YAML::Node services = r.required(root, "services", "the topology");
  r.require_sequence(services, "services");
  for (const auto& s : services) t.services.push_back(read_service(r, s));
  check_unique(r, nodes, t.nodes, "node");
  check_unique(r, comps, t.components, "component");
  check_unique(r, services, t.services, "service");
  for (size_t i = 0; i < t.components.size(); ++i)
    if (t.find_node(t.components[i].name))
      r.fail(comps[i]["name"], fmt::format("component '{}' has the name of a node; use distinct names", t.components[i].name));
  check_references(r, root, t);
  return t;
}

Topology load_topology(const std::string& file) {
  return parse_topology(read_text_file(file), file);
}

#define MAILSIM_FIND(Type, fn, member)                          \
  const Type* Topology::fn(const std::string& n) const {        \
    for (const auto& x : member)                                \
      if (x.name == n) return &x;                               \
    return nullptr;                                             \
  }
MAILSIM_FIND(NodeSpec, find_node, nodes)
MAILSIM_FIND(ComponentSpec, find_component, components)
MAILSIM_FIND(ServiceSpec, find_service, services)
#undef MAILSIM_FIND

int Topology::node_index(const std::string& n) const {
  for (size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].name == n) return static_cast<int>(i);
  return -1;
}

std::vector<std::string> Topology::node_names() const {
  std::vector<std::string> v;
  for (const auto& x : nodes) v.push_back(x.name);
  return v;
}
std::vector<std::string> Topology::component_names() const {
  std::vector<std::string> v;
  for (const auto& x : components) v.push_back(x.name);
  return v;
}
std::vector<std::string> Topology::service_names() const {
  std::vector<std::string> v;
  for (const auto& x : services) v.push_back(x.name);
  return v;
}

}  // namespace mailsim::config
