#pragma once
// Values in the units each program writes them, converted to mailsim's quantities. Every
// converter throws InputError at the directive (file:line:col) naming the program's rule.
#include <string>

#include "config/native/native_file.hpp"
#include "core/units.hpp"

namespace mailsim::config::native {

// The directive's only argument (InputError when it has none or several).
const std::string& single_arg(const Directive& d);

// haproxy's time format (configuration.txt 2.5): a number with an optional unit us, ms,
// s, m, h or d; without a unit, milliseconds.
core::Duration haproxy_time(const Directive& d, const std::string& value);
// Postfix time values (postconf(5)): a number with an optional unit s, m, h, d or w;
// without a unit, the parameter's own default unit (`default_unit`, one of those letters).
core::Duration postfix_time(const Directive& d, char default_unit);
// A plain number of seconds (keepalived's advert_int, preempt_delay; PgBouncer's timeouts,
// which accept fractions).
core::Duration seconds(const Directive& d, const std::string& value);
// A whole number of milliseconds (etcd's heartbeat-interval, election-timeout).
core::Duration milliseconds(const Directive& d, const std::string& value);
// A whole number of tenths of a second (nfs(5) timeo).
core::Duration deciseconds(const Directive& d, const std::string& value);
// A boolean as YAML 1.1 and INI files write it: true/false, yes/no, on/off (any case).
bool boolean(const Directive& d, const std::string& value);
// A whole number in [lo, hi].
long long integer(const Directive& d, const std::string& value, long long lo, long long hi);

}  // namespace mailsim::config::native
