#pragma once
// haproxy.cfg as haproxy reads it (configuration.txt, sections 2 and 4): a line is a
// keyword and its arguments, `#` starts a comment, quotes group and backslash escapes; a
// section keyword (global, defaults, frontend, backend, listen, and haproxy's others such
// as peers or resolvers) starts a section that runs to the next one.
#include <string>
#include <vector>

#include "config/native/native_file.hpp"

namespace mailsim::config::native {

struct HaproxySection {
  Directive head;                      // e.g. keyword "backend", args {"mail"}
  std::vector<Directive> lines;        // the section's lines, context {"backend mail"}
  std::string name() const { return head.args.empty() ? "" : head.args[0]; }
};

// InputError for a line outside any section or an unterminated quote.
std::vector<HaproxySection> parse_haproxy_cfg(const std::string& text, const std::string& file);

}  // namespace mailsim::config::native
