#pragma once
// pgbouncer.ini as PgBouncer reads it (doc/config.md): an INI file of [sections] with
// `key = value` lines, read with inih (Debian's libinih). `%include` is returned as a
// directive (not followed), for the mapping to warn about.
#include <string>
#include <vector>

#include "config/native/native_file.hpp"

namespace mailsim::config::native {

// Each `key = value` as a directive: keyword = key, args = {value}, context = {section}.
// InputError at the first line inih cannot parse.
std::vector<Directive> parse_pgbouncer_ini(const std::string& text, const std::string& file);

}  // namespace mailsim::config::native
