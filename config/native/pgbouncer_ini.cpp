#include "config/native/pgbouncer_ini.hpp"

#include <ini.h>

#include <algorithm>
#include <cstring>
#include <optional>

namespace mailsim::config::native {

namespace {

// inih calls the handler while it parses the line its reader just returned, so counting
// lines in the reader gives each directive its line (Debian's inih is built without
// INI_HANDLER_LINENO). Lines inih cannot hold (over INI_MAX_LINE) are refused here rather
// than split by inih into two lines.
struct Source {
  std::vector<std::string> lines;
  size_t next = 0;
  std::string file;
  std::vector<Directive> out;
  std::optional<core::InputError> error;  // no C++ exception may cross inih's C frames
};

char* read_line(char* str, int num, void* stream) {
  auto* s = static_cast<Source*>(stream);
  if (s->next >= s->lines.size()) return nullptr;
  const std::string& line = s->lines[s->next++];
  if (line.size() + 2 > static_cast<size_t>(num)) {
    s->error = core::InputError({s->file, static_cast<int>(s->next), num - 1},
                                "line longer than " + std::to_string(num - 2) + " characters (inih's limit)");
    return nullptr;  // ends the parse
  }
  std::memcpy(str, line.data(), line.size());
  str[line.size()] = '\n';
  str[line.size() + 1] = '\0';
  return str;
}

int on_value(void* user, const char* section, const char* name, const char* value) {
  auto* s = static_cast<Source*>(user);
  const int line_no = static_cast<int>(s->next);
  const std::string& line = s->lines[static_cast<size_t>(line_no - 1)];
  const size_t col = line.find(name);
  Directive d;
  d.keyword = name;
  d.args = {value};
  d.mark = {s->file, line_no, col == std::string::npos ? 1 : static_cast<int>(col) + 1};
  d.context = {section};
  s->out.push_back(std::move(d));
  return 1;
}

}  // namespace

std::vector<Directive> parse_pgbouncer_ini(const std::string& text, const std::string& file) {
  Source s;
  s.lines = text_lines(text);
  s.file = file;
  // `%include FILE` is PgBouncer's own extension; inih would call it a syntax error.
  for (size_t i = 0; i < s.lines.size(); ++i)
    if (s.lines[i].rfind("%include", 0) == 0) {
      Directive d;
      d.keyword = "%include";
      d.args = {s.lines[i].size() > 9 ? s.lines[i].substr(9) : ""};
      d.mark = {file, static_cast<int>(i) + 1, 1};
      s.out.push_back(d);
      s.lines[i] = "";
    }
  const int bad = ini_parse_stream(read_line, &s, on_value, &s);
  if (s.error) throw *s.error;
  std::stable_sort(s.out.begin(), s.out.end(), [](const Directive& a, const Directive& b) { return a.mark.line < b.mark.line; });
  if (bad > 0) throw core::InputError({file, bad, 1}, "not a pgbouncer.ini line: expected [section] or key = value");
  return s.out;
}

}  // namespace mailsim::config::native
