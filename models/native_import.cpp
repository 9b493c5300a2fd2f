// Reading components' params from the files their operators keep (`config:`,
// docs/import.md): each file through its model's importer (ModelInfo::native), then what the
// files set merged into the component's params, the topology's own `params:` winning.
//
// Rules of the merge:
//  - In one file, a param set twice takes its last value (as the daemons read their files).
//  - Between files (one per node, or keepalived's and haproxy's both setting one param), the
//    values must agree: a component has one value per param. The exception is a per-node
//    param (keepalived's priority): one file per node gives a list in node order, a node
//    whose file is silent getting the params table's default.
//  - A param the topology also sets keeps the topology's value, and the file's directive is
//    listed as overridden.
//  - Each imported YAML node is registered with the directive it came from
//    (Topology::param_origins), so a value the params table or the model's checks refuse is
//    an error at the operator's file:line:col.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>

#include "config/yaml_reader.hpp"
#include "core/sha256.hpp"
#include "models/registry.hpp"

namespace mailsim::models {

namespace {

// A copy built in memory, so its nodes carry no mark of their own (YamlReader::mark then
// finds their origin).
YAML::Node in_memory(const YAML::Node& n) {
  if (n.IsMap()) {
    YAML::Node out(YAML::NodeType::Map);
    for (auto it = n.begin(); it != n.end(); ++it) out[it->first.Scalar()] = in_memory(it->second);
    return out;
  }
  if (n.IsSequence()) {
    YAML::Node out(YAML::NodeType::Sequence);
    for (const auto& item : n) out.push_back(in_memory(item));
    return out;
  }
  return n.IsScalar() ? YAML::Node(n.Scalar()) : YAML::Node();
}

// An importer's value text as a node: "1s" stays a string, "{smtp: 100}" becomes a map.
YAML::Node value_node(const std::string& text) { return in_memory(YAML::Load(text)); }

void register_origin(config::NodeOrigins& origins, const YAML::Node& n, const core::SourceMark& mark) {
  origins.push_back({n, mark});
  if (n.IsMap())
    for (auto it = n.begin(); it != n.end(); ++it) register_origin(origins, it->second, mark);
  else if (n.IsSequence())
    for (const auto& item : n) register_origin(origins, item, mark);
}

// One file's last value of a param.
struct Contribution {
  ImportSink::Value value;
  size_t record;  // index in Topology::configs
  int node;       // index in the component's nodes; -1: the file serves every node
};

const NativeKind& kind_of(const ModelInfo& m, const config::ConfigRef& ref) {
  std::vector<std::string> kinds;
  for (const auto& k : m.native) {
    if (k.kind == ref.kind) return k;
    kinds.push_back(k.kind);
  }
  if (kinds.empty())
    throw core::InputError(ref.mark, fmt::format("config.{}: model {} reads no configuration files", ref.kind, m.name));
  throw core::InputError(ref.mark, fmt::format("config.{}: model {} reads no '{}' file{}; it reads: {}", ref.kind,
                                               m.name, ref.kind, core::did_you_mean(ref.kind, kinds),
                                               fmt::join(kinds, ", ")));
}

std::string read_config_file(const config::ConfigRef& ref) {
  try {
    return config::read_text_file(ref.file);
  } catch (const core::InputError& e) {  // point at the topology's entry, which names the file
    throw core::InputError(ref.mark, fmt::format("config.{}: {}: {}", ref.kind, ref.file, e.message()));
  }
}

class ComponentImport {
 public:
  ComponentImport(config::Topology& topo, config::ComponentSpec& c, const ModelInfo& m) : topo_(topo), c_(c), m_(m) {}

  void run() {
    std::vector<std::string> param_names;
    for (const auto& p : m_.params) param_names.push_back(p.name);
    for (const auto& ref : c_.config) {
      const NativeKind& kind = kind_of(m_, ref);
      const std::string text = read_config_file(ref);
      ImportSink sink(m_.name, param_names);
      kind.import(NativeFile{c_, ref, text}, sink);
      topo_.configs.push_back({c_.name, ref, core::sha256_hex(text), {}, sink.warnings()});
      std::map<std::string, size_t> last;  // in one file, the last value wins
      for (const auto& v : sink.values()) {
        auto& list = by_param_[v.param];
        if (list.empty()) order_.push_back(v.param);
        if (auto it = last.find(v.param); it != last.end()) {
          list[it->second].value = v;
          continue;
        }
        last[v.param] = list.size();
        list.push_back({v, topo_.configs.size() - 1, node_index(ref.node)});
      }
    }
    for (const auto& param : order_) apply(param, by_param_[param]);
  }

 private:
  int node_index(const std::string& node) const {
    for (size_t i = 0; i < c_.nodes.size(); ++i)
      if (c_.nodes[i] == node) return static_cast<int>(i);
    return -1;
  }

  std::string where(const Contribution& k) const {
    const auto& m = k.value.from.mark;
    return fmt::format("{}:{}:{}", m.file, m.line, m.col);
  }

  // Every file that sets a param shared by all nodes must give it the same value.
  void require_agreement(const std::string& param, const std::vector<const Contribution*>& ks) const {
    for (const auto* k : ks)
      if (k->value.value != ks[0]->value.value)
        throw core::InputError(
            k->value.from.mark,
            fmt::format("'{}' sets {} to {}, but {} sets it to {}; component '{}' has one {} for all its nodes",
                        k->value.from.text(), param, k->value.value, where(*ks[0]), ks[0]->value.value, c_.name, param));
  }

  // The per-node value of node i: its own file's, else a file for every node's, else the default.
  const Contribution* for_node(const std::vector<Contribution>& ks, int i) const {
    const Contribution* shared = nullptr;
    for (const auto& k : ks) {
      if (k.node == i) return &k;
      if (k.node < 0 && !shared) shared = &k;
    }
    return shared;
  }

  void apply(const std::string& param, const std::vector<Contribution>& ks) {
    bool per_node = false;
    for (const auto& k : ks) per_node = per_node || (k.value.per_node && k.node >= 0);
    YAML::Node node;
    std::vector<std::pair<YAML::Node, core::SourceMark>> origins;
    if (per_node) {
      node = YAML::Node(YAML::NodeType::Sequence);
      for (size_t i = 0; i < c_.nodes.size(); ++i) {
        const Contribution* k = for_node(ks, static_cast<int>(i));
        YAML::Node item = value_node(k ? k->value.value : default_text(param));
        node.push_back(item);
        origins.push_back({item, (k ? k : &ks[0])->value.from.mark});
      }
    } else {
      std::vector<const Contribution*> all;
      for (const auto& k : ks) all.push_back(&k);
      require_agreement(param, all);
      node = value_node(ks[0].value.value);
    }
    if (c_.params.IsDefined() && !c_.params.IsNull() && !c_.params.IsMap()) return;  // validation says why
    const bool overridden = c_.params.IsMap() && c_.params[param];
    for (const auto& k : ks) {
      auto& rec = topo_.configs[k.record];
      if (overridden)
        rec.warnings.push_back({k.value.from.mark, fmt::format("'{}' is overridden by params.{} in the topology",
                                                               k.value.from.text(), param)});
      else
        rec.values.push_back({param, k.value.value, k.value.from.text(), k.value.from.mark});
    }
    if (overridden) return;
    if (!c_.params.IsMap()) c_.params = YAML::Node(YAML::NodeType::Map);
    c_.params[param] = node;
    // Each node's entry first: the first origin found for a node is the one that counts.
    for (const auto& [item, mark] : origins) register_origin(*topo_.param_origins, item, mark);
    register_origin(*topo_.param_origins, node, ks[0].value.from.mark);
  }

  std::string default_text(const std::string& param) const {
    for (const auto& p : m_.params)
      if (p.name == param) return p.default_text;
    throw core::InternalError("import: a per-node param without a params table entry: " + param);
  }

  config::Topology& topo_;
  config::ComponentSpec& c_;
  const ModelInfo& m_;
  std::map<std::string, std::vector<Contribution>> by_param_;
  std::vector<std::string> order_;  // params in the order the files first set them
};

}  // namespace

void import_configs(config::Topology& topo) {
  for (auto& c : topo.components) {
    if (c.config.empty()) continue;
    const ModelInfo* m = find_model(c.model);
    if (!m) continue;  // validate_topology reports the unknown model
    ComponentImport(topo, c, *m).run();
  }
}

config::Topology load_topology(const std::string& file) {
  config::Topology topo = config::load_topology(file);
  import_configs(topo);
  validate_topology(topo);
  return topo;
}

}  // namespace mailsim::models
