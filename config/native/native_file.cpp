#include "config/native/native_file.hpp"

#include <fmt/format.h>

namespace mailsim::config::native {

std::string Directive::text() const {
  std::string out = keyword;
  for (const auto& a : args) out += " " + a;
  return out;
}

std::vector<std::string> text_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (end < text.size() || !line.empty()) lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

std::vector<Word> split_words(const std::string& line, const std::string& file, int line_no,
                              const std::string& comment_chars) {
  std::vector<Word> words;
  size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == ' ' || c == '\t') {
      ++i;
      continue;
    }
    if (comment_chars.find(c) != std::string::npos) break;
    Word w;
    w.col = static_cast<int>(i) + 1;
    char quote = 0;
    while (i < line.size()) {
      const char d = line[i];
      if (quote) {
        if (d == quote) quote = 0;
        else if (d == '\\' && quote == '"' && i + 1 < line.size()) w.text += line[++i];
        else w.text += d;
        ++i;
        continue;
      }
      if (d == ' ' || d == '\t') break;
      if (d == '"' || d == '\'') quote = d;
      else if (d == '\\' && i + 1 < line.size()) w.text += line[++i];
      else w.text += d;
      ++i;
    }
    if (quote)
      throw core::InputError({file, line_no, w.col}, fmt::format("unterminated {} quote", quote == '"' ? "double" : "single"));
    words.push_back(std::move(w));
  }
  return words;
}

}  // namespace mailsim::config::native
