#pragma once
// keepalived.conf as keepalived reads it (keepalived.conf(5), lib/parser.c): lines of
// words, `!` and `#` start comments, "double quotes" group words, and a `{ ... }` after a
// keyword opens its block (on the same line or the next). `include` is not followed: it is
// returned as a directive, and the model that maps the file warns about it.
#include <string>
#include <vector>

#include "config/native/native_file.hpp"

namespace mailsim::config::native {

struct KeepalivedBlock {
  Directive head;                         // keyword and args of the line that opens it
  bool has_body = false;                  // a `{ ... }` followed
  std::vector<KeepalivedBlock> children;  // the body's lines (words of a line: one child)

  // The first child with this keyword, or nullptr.
  const KeepalivedBlock* find(const std::string& keyword) const;
};

// The top-level blocks (global_defs, vrrp_script, vrrp_instance, ...). InputError for an
// unbalanced brace or an unterminated quote.
std::vector<KeepalivedBlock> parse_keepalived_conf(const std::string& text, const std::string& file);

}  // namespace mailsim::config::native
