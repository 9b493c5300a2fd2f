#include "models/etcd/etcd_import.hpp"

#include "config/native/native_values.hpp"
#include "config/native/yaml_config.hpp"

namespace mailsim::models {

namespace native = config::native;

void import_etcd(const NativeFile& file, ImportSink& out) {
  for (const auto& d : native::parse_yaml_config(file.text, file.ref.file)) {
    // etcd's configuration flags (op-guide/configuration.md): both timings in milliseconds.
    if (d.keyword == "heartbeat-interval")
      out.set("heartbeat_interval", duration_text(native::milliseconds(d, native::single_arg(d))), d);
    else if (d.keyword == "election-timeout")
      out.set("election_timeout", duration_text(native::milliseconds(d, native::single_arg(d))), d);
    else if (d.keyword == "pre-vote")
      out.set("pre_vote", bool_text(native::boolean(d, native::single_arg(d))), d);
    else
      out.not_modelled(d, "names, addresses, storage, security and logging change no election timing");
  }
}

std::vector<NativeKind> etcd_native_kinds() {
  return {{"etcd", "etcd.conf.yml (etcd --config-file): heartbeat-interval, election-timeout, pre-vote", import_etcd}};
}

}  // namespace mailsim::models
