#include "models/patroni_postgres/patroni_postgres_import.hpp"

#include "config/native/native_values.hpp"
#include "config/native/yaml_config.hpp"

namespace mailsim::models {

namespace native = config::native;

namespace {

// Why the rest of patroni.yml changes nothing mailsim simulates (Patroni's yaml_configuration.rst).
std::string why_not(const std::string& key) {
  const std::string top = key.substr(0, key.find_first_of(".["));
  if (top == "restapi") return "the REST API is what haproxy's health_check asks; its address changes no timing";
  if (top == "etcd" || top == "etcd3" || top == "consul" || top == "zookeeper" || top == "kubernetes" || top == "raft")
    return "the DCS is the component named by params.dcs";
  if (top == "postgresql") return "PostgreSQL's own settings (addresses, authentication, data directory, parameters)";
  if (top == "bootstrap") return "bootstrap-only settings (initdb, users, pg_hba) change no failover timing";
  if (top == "tags") return "tags (nofailover, noloadbalance, ...) are not modelled: every member may be promoted";
  return "identity, logging and watchdog settings change no failover timing";
}

bool is_dynamic(const std::string& key) {
  for (const char* k : {"ttl", "loop_wait", "retry_timeout", "maximum_lag_on_failover", "synchronous_mode",
                        "synchronous_mode_strict", "failsafe_mode", "postgresql.use_pg_rewind"})
    if (key == k) return true;
  return false;
}

}  // namespace

void import_patroni(const NativeFile& file, ImportSink& out) {
  for (const auto& d : native::parse_yaml_config(file.text, file.ref.file)) {
    const std::string& k = d.keyword;
    // The dynamic configuration: under bootstrap.dcs in patroni.yml, or at the top of the
    // file `patronictl show-config` prints (what the DCS holds after edit-config).
    const std::string dcs = "bootstrap.dcs.";
    std::string key = k.rfind(dcs, 0) == 0 ? k.substr(dcs.size()) : "";
    if (key.empty() && is_dynamic(k)) key = k;
    // Patroni's dynamic_configuration.rst: times in seconds, the lag in bytes.
    if (key == "ttl" || key == "loop_wait" || key == "retry_timeout")
      out.set(key, duration_text(native::seconds(d, native::single_arg(d))), d);
    else if (key == "maximum_lag_on_failover")
      out.set(key, std::to_string(native::integer(d, native::single_arg(d), 0, 1LL << 50)) + "B", d);
    else if (key == "synchronous_mode" && native::single_arg(d) == "quorum")
      out.not_modelled(d, "quorum commit is not modelled; synchronous_mode stays as the params say");
    else if (key == "synchronous_mode" || key == "synchronous_mode_strict" || key == "failsafe_mode")
      out.set(key, bool_text(native::boolean(d, native::single_arg(d))), d);
    else if (key == "postgresql.use_pg_rewind")
      out.set("use_pg_rewind", bool_text(native::boolean(d, native::single_arg(d))), d);
    else if (!key.empty())
      out.not_modelled(d, "a dynamic setting mailsim does not model");
    else
      out.not_modelled(d, why_not(k));
  }
}

std::vector<NativeKind> patroni_postgres_native_kinds() {
  return {{"patroni", "patroni.yml (Patroni yaml_configuration.rst): bootstrap.dcs settings", import_patroni}};
}

}  // namespace mailsim::models
