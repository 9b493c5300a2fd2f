#include "models/pgbouncer/pgbouncer_import.hpp"

#include "config/native/native_values.hpp"
#include "config/native/pgbouncer_ini.hpp"

namespace mailsim::models {

namespace native = config::native;

void import_pgbouncer(const NativeFile& file, ImportSink& out) {
  for (const auto& d : native::parse_pgbouncer_ini(file.text, file.ref.file)) {
    const std::string section = d.context.empty() ? "" : d.context[0];
    const std::string& k = d.keyword;
    if (k == "%include") {
      out.not_modelled(d, "included files are not followed: name each file under `config:`");
      continue;
    }
    if (section != "pgbouncer") {
      out.not_modelled(d, "databases and users: the database is the component params.database names");
      continue;
    }
    // PgBouncer's config.md: times in seconds (fractions allowed), sizes as counts.
    if (k == "pool_mode")
      out.set(k, native::single_arg(d), d);
    else if (k == "default_pool_size" || k == "max_client_conn")
      out.set(k, std::to_string(native::integer(d, native::single_arg(d), 0, 1'000'000'000)), d);
    else if (k == "listen_port")
      out.set(k, std::to_string(native::integer(d, native::single_arg(d), 1, 65535)), d);
    else if (k == "server_connect_timeout" || k == "server_login_retry" || k == "server_check_delay" ||
             k == "query_wait_timeout" || k == "query_timeout")
      out.set(k, duration_text(native::seconds(d, native::single_arg(d))), d);
    else
      out.not_modelled(d, "addresses, authentication, logging and the pool settings mailsim lacks (min_pool_size, "
                          "reserve_pool_size, lifetimes) change no failover timing");
  }
}

std::vector<NativeKind> pgbouncer_native_kinds() {
  return {{"pgbouncer", "pgbouncer.ini (PgBouncer config.md): the [pgbouncer] section", import_pgbouncer}};
}

}  // namespace mailsim::models
