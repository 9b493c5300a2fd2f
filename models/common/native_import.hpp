#pragma once
// How a model reads its params from the files operators keep (a component's `config:`,
// docs/import.md). Each model declares the kinds of file it reads (ModelInfo::native), and
// for each an importer: a function that reads one file's directives (config/native/) and
// says, for every one of them, either which param it sets (with the unit converted to the
// params table's) or why it is not modelled. Nothing is dropped silently.
//
// models/native_import.cpp then merges what the files of a component set into its params
// (the topology's own `params:` win) and records each file for the run manifest.
#include <functional>
#include <string>
#include <vector>

#include "config/config_files.hpp"
#include "config/native/native_file.hpp"
#include "config/topology.hpp"
#include "core/units.hpp"

namespace mailsim::models {

using config::native::Directive;

// One file handed to an importer, already read.
struct NativeFile {
  const config::ComponentSpec& component;
  const config::ConfigRef& ref;
  const std::string& text;
};

// What an importer reports about one file.
class ImportSink {
 public:
  struct Value {
    std::string param;
    std::string value;  // YAML text in the params table's unit: "1s", "3", "true", "transaction"
    bool per_node = false;
    Directive from;
  };

  // `model` and its param names: a value for a param the model does not have is reported as
  // not modelled (so an importer shared by two models, keepalived's, maps only what each has).
  ImportSink(std::string model, std::vector<std::string> params);

  // The directive sets `param` to `value`.
  void set(const std::string& param, std::string value, const Directive& from);
  // A param with one value per node (keepalived's priority): a file for every node sets it
  // for all of them; one file per node sets its node's entry of the list.
  void set_per_node(const std::string& param, std::string value, const Directive& from);
  // The directive was read and is not modelled; `why` says what mailsim does instead.
  void not_modelled(const Directive& d, const std::string& why);
  // Every directive of a block or section that mailsim does not model, in one warning
  // ("vrrp_script chk_haproxy { script, interval, weight }").
  void block_not_modelled(const Directive& head, const std::vector<Directive>& lines, const std::string& why);

  const std::vector<Value>& values() const { return values_; }
  const std::vector<config::ConfigWarning>& warnings() const { return warnings_; }

 private:
  void add(const std::string& param, std::string value, bool per_node, const Directive& from);
  std::string model_;
  std::vector<std::string> params_;
  std::vector<Value> values_;
  std::vector<config::ConfigWarning> warnings_;
};

using ImportFn = std::function<void(const NativeFile&, ImportSink&)>;

// A kind of file a model reads.
struct NativeKind {
  std::string kind;    // the key under `config:` ("keepalived")
  std::string format;  // what the file is, for docs and errors ("keepalived.conf, keepalived.conf(5)")
  ImportFn import;
};

// The block of a file that describes the component, among the file's blocks of that kind
// (`names`: its vrrp_instances, its backends): the one `section:` names, else the only one.
// InputError at the topology's `config:` entry when there is none, or several and no
// `section:`. `what` names the blocks ("vrrp_instance").
size_t pick_section(const NativeFile& file, const std::vector<std::string>& names, const std::string& what);

// A duration as a params table reads it ("1s", "250ms").
std::string duration_text(core::Duration d);
// "true" / "false".
std::string bool_text(bool b);

}  // namespace mailsim::models
