#pragma once
// Params tables: the one place where a model's defaults live (DESIGN.md decision 4).
// Each field names the C++ member (the YAML key is the member's name), its default as it
// would be written in YAML, its unit, one line of doc and the source of the default.
// `mailsim describe MODEL` and docs/models/*.md print the same table.
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/yaml_reader.hpp"

namespace mailsim::config {

struct ParamDoc {
  std::string name;
  std::string default_text;
  std::string unit;
  std::string doc;
  std::string source;
};

template <class P>
struct ParamField {
  ParamDoc doc;
  std::function<void(P&, const YAML::Node&, const YamlReader&)> read;
  std::function<nlohmann::json(const P&)> show;
};

// Readers for each member type a params struct may use.
inline void read_value(core::Duration& v, const YAML::Node& n, const YamlReader& r) { v = r.as_duration(n); }
inline void read_value(core::Bytes& v, const YAML::Node& n, const YamlReader& r) { v = r.as_bytes(n); }
inline void read_value(core::Fraction& v, const YAML::Node& n, const YamlReader& r) { v = r.as_fraction(n); }
inline void read_value(core::Rate& v, const YAML::Node& n, const YamlReader& r) { v = r.as_rate(n); }
inline void read_value(core::Bandwidth& v, const YAML::Node& n, const YamlReader& r) { v = r.as_bandwidth(n); }
inline void read_value(int& v, const YAML::Node& n, const YamlReader& r) { v = static_cast<int>(r.as_int(n, 0, 1'000'000'000)); }
inline void read_value(double& v, const YAML::Node& n, const YamlReader& r) { v = r.as_number(n, 0, 1e300); }
inline void read_value(bool& v, const YAML::Node& n, const YamlReader& r) { v = r.as_bool(n); }
inline void read_value(std::string& v, const YAML::Node& n, const YamlReader& r) { v = r.as_name(n); }
inline void read_value(std::vector<int>& v, const YAML::Node& n, const YamlReader& r) {
  v.clear();
  if (n.IsScalar()) {
    v.push_back(static_cast<int>(r.as_int(n, 0, 1'000'000'000)));
    return;
  }
  r.require_sequence(n, "this value");
  for (const auto& item : n) v.push_back(static_cast<int>(r.as_int(item, 0, 1'000'000'000)));
}

inline void read_value(std::vector<std::string>& v, const YAML::Node& n, const YamlReader& r) { v = r.as_name_list(n); }

inline void read_value(std::map<std::string, int>& v, const YAML::Node& n, const YamlReader& r) {
  v.clear();
  if (n.IsNull()) return;
  r.require_map(n, "this value");
  for (auto it = n.begin(); it != n.end(); ++it)
    v[r.as_name(it->first)] = static_cast<int>(r.as_int(it->second, 0, 1'000'000'000));
}

inline nlohmann::json show_value(const core::Duration& v) { return core::format_duration(v); }
inline nlohmann::json show_value(const core::Bytes& v) { return v.bytes; }
inline nlohmann::json show_value(const core::Fraction& v) { return v.value; }
inline nlohmann::json show_value(const core::Rate& v) { return v.per_s; }
inline nlohmann::json show_value(const core::Bandwidth& v) { return v.bytes_per_s; }
template <class T>
nlohmann::json show_value(const T& v) { return v; }

// A field of a plain type (duration, size, number, bool, name, list of integers).
template <class P, class T>
ParamField<P> param(T P::*member, std::string name, std::string default_text, std::string unit,
                    std::string doc, std::string source) {
  return {{std::move(name), std::move(default_text), std::move(unit), std::move(doc), std::move(source)},
          [member](P& p, const YAML::Node& n, const YamlReader& r) { read_value(p.*member, n, r); },
          [member](const P& p) { return show_value(p.*member); }};
}

// A field whose value is one word out of a fixed set.
template <class P>
ParamField<P> choice(std::string P::*member, std::string name, std::string default_text,
                     std::vector<std::string> choices, std::string doc, std::string source) {
  std::string unit = "one of";
  for (const auto& c : choices) unit += " " + c;
  return {{std::move(name), std::move(default_text), std::move(unit), std::move(doc), std::move(source)},
          [member, choices](P& p, const YAML::Node& n, const YamlReader& r) { p.*member = r.as_choice(n, choices); },
          [member](const P& p) { return nlohmann::json(p.*member); }};
}

// The fields of a params fragment F that several models share (the VRRP group's params in
// vip_balancer and memcached): declared once, in F's own field list, and included in a
// table whose params struct holds an F at `member`. The YAML keys stay flat.
template <class P, class F>
std::vector<ParamField<P>> fragment(F P::*member, const std::vector<ParamField<F>>& fields) {
  std::vector<ParamField<P>> out;
  for (const auto& f : fields)
    out.push_back({f.doc,
                   [member, read = f.read](P& p, const YAML::Node& n, const YamlReader& r) { read(p.*member, n, r); },
                   [member, show = f.show](const P& p) { return show(p.*member); }});
  return out;
}

// A table's fields from its own lists and the fragments it includes, in order.
template <class P>
std::vector<ParamField<P>> join(std::initializer_list<std::vector<ParamField<P>>> parts) {
  std::vector<ParamField<P>> out;
  for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

template <class P>
class ParamTable {
 public:
  ParamTable(std::string model, std::vector<ParamField<P>> fields)
      : model_(std::move(model)), fields_(std::move(fields)) {}

  // Defaults first (parsed from the table's own text, so they cannot drift from the docs),
  // then the user's values; unknown keys are errors with a did-you-mean.
  P parse(const YAML::Node& user, const YamlReader& reader) const {
    P p{};
    YamlReader defaults_reader("<defaults of " + model_ + ">");
    for (const auto& f : fields_)  // an empty default means "required": the model checks
      if (!f.doc.default_text.empty()) f.read(p, YAML::Load(f.doc.default_text), defaults_reader);
    if (!user.IsDefined() || user.IsNull()) return p;
    reader.require_map(user, "params of a " + model_ + " component");
    reader.check_keys(user, names(), model_ + " params");
    for (const auto& f : fields_)
      if (YAML::Node v = user[f.doc.name]; v.IsDefined()) f.read(p, v, reader);
    return p;
  }

  // The table's defaults alone: what a component without params gets, and what logic
  // tests build their configs from.
  P defaults() const { return parse(YAML::Node(), YamlReader("<defaults of " + model_ + ">")); }

  nlohmann::json resolved(const P& p) const {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& f : fields_) j[f.doc.name] = f.show(p);
    return j;
  }

  std::vector<ParamDoc> docs() const {
    std::vector<ParamDoc> out;
    for (const auto& f : fields_) out.push_back(f.doc);
    return out;
  }

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& f : fields_) out.push_back(f.doc.name);
    return out;
  }

 private:
  std::string model_;
  std::vector<ParamField<P>> fields_;
};

}  // namespace mailsim::config
