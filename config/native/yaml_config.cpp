#include "config/native/yaml_config.hpp"

#include "config/yaml_reader.hpp"

namespace mailsim::config::native {

namespace {

void flatten(const YamlReader& r, const YAML::Node& value, const std::string& path, const core::SourceMark& at,
             std::vector<Directive>& out) {
  if (value.IsMap()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string key = r.as_string(it->first);
      flatten(r, it->second, path.empty() ? key : path + "." + key, r.mark(it->first), out);
    }
    return;
  }
  Directive d{path, {}, at, {}};
  if (value.IsScalar()) d.args = {value.Scalar()};
  if (value.IsSequence()) {
    bool scalars = true;
    for (const auto& item : value) scalars = scalars && (item.IsScalar() || item.IsNull());
    if (!scalars) {
      for (size_t i = 0; i < value.size(); ++i) flatten(r, value[i], path + "[" + std::to_string(i) + "]", r.mark(value[i]), out);
      return;
    }
    for (const auto& item : value) d.args.push_back(item.IsScalar() ? item.Scalar() : "");
  }
  out.push_back(std::move(d));
}

}  // namespace

std::vector<Directive> parse_yaml_config(const std::string& text, const std::string& file) {
  YamlReader r(file);
  const YAML::Node root = r.load_string(text);
  r.require_map(root, "a YAML configuration file");
  std::vector<Directive> out;
  flatten(r, root, "", r.mark(root), out);
  return out;
}

}  // namespace mailsim::config::native
