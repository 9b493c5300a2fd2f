#include "config/native/haproxy_cfg.hpp"

#include <fmt/format.h>

#include <array>

namespace mailsim::config::native {

namespace {
// configuration.txt, "2.1 Configuration file format" and haproxy's cfg_keywords sections.
constexpr std::array<const char*, 14> kSections = {"global", "defaults", "frontend", "backend", "listen",
                                                   "peers",  "resolvers", "userlist", "mailers", "program",
                                                   "http-errors", "ring", "cache", "log-forward"};

bool is_section(const std::string& w) {
  for (const char* s : kSections)
    if (w == s) return true;
  return false;
}
}  // namespace

std::vector<HaproxySection> parse_haproxy_cfg(const std::string& text, const std::string& file) {
  std::vector<HaproxySection> out;
  int line_no = 0;
  for (const auto& line : text_lines(text)) {
    ++line_no;
    auto words = split_words(line, file, line_no, "#");
    if (words.empty()) continue;
    Directive d;
    d.keyword = words[0].text;
    d.mark = {file, line_no, words[0].col};
    for (size_t i = 1; i < words.size(); ++i) d.args.push_back(words[i].text);
    if (is_section(d.keyword)) {
      out.push_back({d, {}});
      continue;
    }
    if (out.empty())
      throw core::InputError(d.mark, fmt::format("'{}' is outside any section (global, defaults, frontend, backend, listen)",
                                                 d.keyword));
    d.context = {out.back().head.text()};
    out.back().lines.push_back(std::move(d));
  }
  return out;
}

}  // namespace mailsim::config::native
