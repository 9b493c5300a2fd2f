#pragma once
// The configuration files operators keep (keepalived.conf, haproxy.cfg, pgbouncer.ini,
// Postfix's main.cf, NFS mount options), read as their own software reads them, into
// directives with their positions. No mapping to mailsim's params here: each model maps
// the directives it understands (models/*/..._import.cpp) and names the rest as warnings,
// so nothing is dropped silently. A malformed line is an InputError at file:line:col.
#include <string>
#include <vector>

#include "core/error.hpp"

namespace mailsim::config::native {

// One directive: a keyword and its words, where it stands, and the blocks or sections it
// is in (outermost first), e.g. {"vrrp_instance VI_1"} or {"backend mail"}.
struct Directive {
  std::string keyword;
  std::vector<std::string> args;
  core::SourceMark mark;
  std::vector<std::string> context;

  // "keyword arg1 arg2": the directive as written, for warnings.
  std::string text() const;
};

// Splits a line into words as the shells and these daemons do: blanks separate words,
// "double" and 'single' quotes group, a backslash escapes the next character, `comment`
// characters outside quotes end the line. Returns each word with its 1-based column.
struct Word {
  std::string text;
  int col = 0;
};
std::vector<Word> split_words(const std::string& line, const std::string& file, int line_no,
                              const std::string& comment_chars);

// Lines of a text without their line ends (\n or \r\n); a UTF-8 byte-order mark is skipped.
std::vector<std::string> text_lines(const std::string& text);

}  // namespace mailsim::config::native
