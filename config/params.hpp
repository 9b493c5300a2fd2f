#pragma once
// Params tables: the one place where a model's defaults live (DESIGN.md decision 4).
// Each field names the C++ member (the YAML key is the member's name), its default as it
// would be written in YAML, its unit, one line of doc, the source of the default and, for
// every number, its domain: the values the model accepts (docs/robustness.md, "Domains").
// `mailsim describe MODEL` and docs/models/*.md print the same table.
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/domain.hpp"

namespace mailsim::config {

struct ParamDoc {
  std::string name;
  std::string default_text;
  std::string unit;
  std::string doc;
  std::string source;
  std::string range;  // the domain as a sentence fragment ("1s to 1h"); "" for words and booleans
};

template <class P>
struct ParamField {
  ParamDoc doc;
  std::function<void(P&, const YAML::Node&, const YamlReader&)> read;
  std::function<nlohmann::json(const P&)> show;
  // Checks the member against its domain; `at` is where an error points. Empty: no domain.
  std::function<void(const P&, const std::string& model, const YAML::Node& at, const YamlReader&)> check;
};

// A number: duration, size, fraction, rate, bandwidth, count, list or map of counts. Its
// domain is required, so no number escapes a check.
template <class P, class T>
ParamField<P> param(T P::*member, std::string name, std::string default_text, std::string unit,
                    std::string doc, std::string source, Domain domain) {
  static_assert(kIsNumber<T>, "words and booleans take no domain");
  const CheckedDomain checked = parse_domain<T>(domain, name);
  std::string range = domain.text();
  return {{name, std::move(default_text), std::move(unit), std::move(doc), std::move(source), std::move(range)},
          [member](P& p, const YAML::Node& n, const YamlReader& r) { read_value(p.*member, n, r); },
          [member](const P& p) { return show_value(p.*member); },
          [member, checked, name](const P& p, const std::string& model, const YAML::Node& at, const YamlReader& r) {
            check_domain(checked, p.*member, fmt::format("{} param '{}'", model, name), at, r);
          }};
}

// A word, a name or a boolean.
template <class P, class T>
ParamField<P> param(T P::*member, std::string name, std::string default_text, std::string unit,
                    std::string doc, std::string source) {
  static_assert(!kIsNumber<T>, "a number needs its domain: param(..., range(MIN, MAX))");
  return {{std::move(name), std::move(default_text), std::move(unit), std::move(doc), std::move(source), ""},
          [member](P& p, const YAML::Node& n, const YamlReader& r) { read_value(p.*member, n, r); },
          [member](const P& p) { return show_value(p.*member); },
          {}};
}

// A field whose value is one word out of a fixed set.
template <class P>
ParamField<P> choice(std::string P::*member, std::string name, std::string default_text,
                     std::vector<std::string> choices, std::string doc, std::string source) {
  std::string unit = "one of";
  for (const auto& c : choices) unit += " " + c;
  return {{std::move(name), std::move(default_text), std::move(unit), std::move(doc), std::move(source), ""},
          [member, choices](P& p, const YAML::Node& n, const YamlReader& r) { p.*member = r.as_choice(n, choices); },
          [member](const P& p) { return nlohmann::json(p.*member); },
          {}};
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
                   [member, show = f.show](const P& p) { return show(p.*member); },
                   f.check ? [member, check = f.check](const P& p, const std::string& model, const YAML::Node& at,
                                                       const YamlReader& r) { check(p.*member, model, at, r); }
                           : decltype(ParamField<P>::check){}});
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
  // The defaults are parsed once, here, from the table's own text (so they cannot drift from
  // the docs) and checked against their domains: a bad default fails when the table is built.
  ParamTable(std::string model, std::vector<ParamField<P>> fields)
      : model_(std::move(model)), fields_(std::move(fields)) {
    const YamlReader r("<defaults of " + model_ + ">");
    for (const auto& f : fields_) {  // an empty default means "required": the model checks
      if (f.doc.default_text.empty()) continue;
      const YAML::Node text = YAML::Load(f.doc.default_text);
      f.read(defaults_, text, r);
      if (f.check) f.check(defaults_, model_, text, r);
    }
  }

  // The defaults, then the user's values, each checked against its domain where it was
  // written; unknown keys are errors with a did-you-mean.
  P parse(const YAML::Node& user, const YamlReader& reader) const {
    P p = defaults_;
    if (!user.IsDefined() || user.IsNull()) return p;
    reader.require_map(user, "params of a " + model_ + " component");
    reader.check_keys(user, names(), model_ + " params");
    for (const auto& f : fields_)
      if (YAML::Node v = user[f.doc.name]; v.IsDefined()) {
        f.read(p, v, reader);
        if (f.check) f.check(p, model_, v, reader);
      }
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
  P defaults_{};
};

}  // namespace mailsim::config
