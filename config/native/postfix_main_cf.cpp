#include "config/native/postfix_main_cf.hpp"

namespace mailsim::config::native {

namespace {
std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t");
  return s.substr(a, b - a + 1);
}
}  // namespace

std::vector<Directive> parse_postfix_main_cf(const std::string& text, const std::string& file) {
  std::vector<Directive> out;
  int line_no = 0;
  for (const auto& line : text_lines(text)) {
    ++line_no;
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    if (line[0] == ' ' || line[0] == '\t') {
      if (out.empty()) throw core::InputError({file, line_no, 1}, "a continuation line before any parameter");
      out.back().args[0] += " " + t;
      continue;
    }
    const size_t eq = line.find('=');
    if (eq == std::string::npos)
      throw core::InputError({file, line_no, 1}, "not a main.cf line: expected name = value");
    Directive d;
    d.keyword = trim(line.substr(0, eq));
    if (d.keyword.empty() || d.keyword.find_first_of(" \t") != std::string::npos)
      throw core::InputError({file, line_no, 1}, "not a parameter name before '='");
    d.args = {trim(line.substr(eq + 1))};
    d.mark = {file, line_no, 1};
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace mailsim::config::native
