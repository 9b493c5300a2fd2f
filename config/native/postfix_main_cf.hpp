#pragma once
// Postfix's main.cf as postconf(5) describes it: `name = value` lines; a line that starts
// with whitespace continues the previous one; a line whose first non-blank character is
// `#` is a comment (a `#` elsewhere is part of the value). Values are kept as written
// ($variables are not expanded).
#include <string>
#include <vector>

#include "config/native/native_file.hpp"

namespace mailsim::config::native {

// Each parameter as a directive: keyword = name, args = {value}. InputError for a line
// without `=` or a continuation before any parameter.
std::vector<Directive> parse_postfix_main_cf(const std::string& text, const std::string& file);

}  // namespace mailsim::config::native
