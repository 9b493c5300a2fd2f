#pragma once
// A component's `config:` (docs/formats.md, "config"): the configuration files its operators
// keep (keepalived.conf, haproxy.cfg, patroni.yml, ...), named in the topology, from which
// the component's params are read (models/common/native_import.hpp), with the topology's
// `params:` winning over them. And what reading them produced: each file's fingerprint, the
// params it set and the directives it holds that mailsim does not model, for the run
// manifest and the warnings on stderr.
#include <yaml-cpp/yaml.h>

#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace mailsim::config {

// One file named under `config:`.
struct ConfigRef {
  std::string kind;       // the file's kind: keepalived, haproxy, patroni, etcd, pgbouncer, postfix, nfs
  std::string node;       // the node the file belongs to; "" when it serves every node
  std::string path;       // as written in the topology: relative to the topology's folder
  std::string file;       // the path to open (the topology's folder + path), also in errors
  std::string section;    // the block of the file that describes the component; "" = the only one
  core::SourceMark mark;  // the path's value in the topology
};

// A param a file set: its value as given to the params table, and the directive it came from.
struct ImportedValue {
  std::string param;
  std::string value;      // YAML text: "1s", "3", "true", "[150, 100]"
  std::string directive;  // as written: "advert_int 1"
  core::SourceMark mark;
};

// A directive mailsim read but does not model, or a value the topology's params override.
struct ConfigWarning {
  core::SourceMark mark;
  std::string message;
  std::string text() const;  // "FILE:LINE:COL: warning: MESSAGE"
};

// What one file gave its component.
struct ConfigRecord {
  std::string component;
  ConfigRef ref;
  std::string sha256;  // of the file's bytes
  std::vector<ImportedValue> values;
  std::vector<ConfigWarning> warnings;
};

// The positions of YAML nodes that no YAML file holds: params imported from operators'
// files. YamlReader::mark() looks a node up here (by identity), so every error about an
// imported value, from the params table or a model's check, points at the directive in the
// operator's file (file:line:col) rather than at the topology.
struct NodeOrigin {
  YAML::Node node;
  core::SourceMark mark;
};
using NodeOrigins = std::vector<NodeOrigin>;

}  // namespace mailsim::config
