#pragma once
// Reading an input file (a topology, a scenario, a suite, a baseline, a shard) as a user
// names it: "-" is standard input; anything else must be a regular file (or a link to one)
// of at most kMaxInputBytes. Everything else is an InputError naming the path and the
// reason, positioned at 1:1 so that tools that parse "file:line:col: message" find it:
// a missing path, no permission, a loop of links, a directory, a device such as /dev/zero
// (which would never end), a FIFO (which could block forever), a file too large.
#include <string>

namespace mailsim::core {

// 64 MiB: a topology of 100,000 components is a few MB of YAML.
inline constexpr size_t kMaxInputBytes = 64u << 20;

std::string read_input_file(const std::string& path);

}  // namespace mailsim::core
