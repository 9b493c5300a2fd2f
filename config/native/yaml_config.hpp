#pragma once
// YAML configuration files (patroni.yml, etcd's --config-file), read with YamlReader (so
// errors carry file:line:col) and flattened into directives: keyword = the dotted path of a
// scalar or of a list of scalars ("bootstrap.dcs.ttl", "etcd3.hosts"), args = its value(s),
// mark = its key's position. A list of maps gives "path[i].key" keywords.
#include <string>
#include <vector>

#include "config/native/native_file.hpp"

namespace mailsim::config::native {

// InputError for a YAML syntax error or a document that is not a map.
std::vector<Directive> parse_yaml_config(const std::string& text, const std::string& file);

}  // namespace mailsim::config::native
