#include "config/native/keepalived_conf.hpp"

#include <fmt/format.h>

namespace mailsim::config::native {

const KeepalivedBlock* KeepalivedBlock::find(const std::string& keyword) const {
  for (const auto& c : children)
    if (c.head.keyword == keyword) return &c;
  return nullptr;
}

namespace {

struct Token {
  std::string text;
  core::SourceMark mark;
  bool line_start = false;  // first token of its line
  bool brace = false;       // an unquoted { or }
};

// Words, with `{` and `}` split off as tokens of their own (keepalived accepts
// "vrrp_instance VI_1{" as well as "vrrp_instance VI_1 {").
std::vector<Token> tokenize(const std::string& text, const std::string& file) {
  std::vector<Token> out;
  int line_no = 0;
  for (const auto& line : text_lines(text)) {
    ++line_no;
    bool first = true;
    for (const auto& w : split_words(line, file, line_no, "!#")) {
      // Split braces off the word (only unquoted ones: split_words already removed quotes,
      // so look at the raw line at the word's position).
      size_t start = 0;
      const std::string& s = w.text;
      const bool quoted = line[static_cast<size_t>(w.col - 1)] == '"' || line[static_cast<size_t>(w.col - 1)] == '\'';
      for (size_t i = 0; i <= s.size(); ++i) {
        const bool is_brace = !quoted && i < s.size() && (s[i] == '{' || s[i] == '}');
        if (i == s.size() || is_brace) {
          if (i > start)
            out.push_back({s.substr(start, i - start), {file, line_no, w.col + static_cast<int>(start)}, first, false}),
                first = false;
          if (is_brace) out.push_back({std::string(1, s[i]), {file, line_no, w.col + static_cast<int>(i)}, first, true}), first = false;
          start = i + 1;
        }
      }
    }
  }
  return out;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, std::string file) : t_(std::move(tokens)), file_(std::move(file)) {}

  std::vector<KeepalivedBlock> body(const std::vector<std::string>& context, const core::SourceMark* open) {
    std::vector<KeepalivedBlock> out;
    while (i_ < t_.size()) {
      const Token& tok = t_[i_];
      if (tok.brace && tok.text == "}") {
        if (!open) throw core::InputError(tok.mark, "a '}' closes no block");
        ++i_;
        return out;
      }
      if (tok.brace) throw core::InputError(tok.mark, "a '{' must follow a keyword");
      KeepalivedBlock b;
      b.head.keyword = tok.text;
      b.head.mark = tok.mark;
      b.head.context = context;
      ++i_;
      while (i_ < t_.size() && !t_[i_].brace && !t_[i_].line_start) b.head.args.push_back(t_[i_++].text);
      if (i_ < t_.size() && t_[i_].brace && t_[i_].text == "{") {
        const core::SourceMark brace = t_[i_].mark;
        ++i_;
        b.has_body = true;
        std::vector<std::string> inner = context;
        inner.push_back(b.head.text());
        b.children = body(inner, &brace);
      }
      out.push_back(std::move(b));
    }
    if (open) throw core::InputError(*open, "this '{' is never closed");
    return out;
  }

 private:
  std::vector<Token> t_;
  std::string file_;
  size_t i_ = 0;
};

}  // namespace

std::vector<KeepalivedBlock> parse_keepalived_conf(const std::string& text, const std::string& file) {
  Parser p(tokenize(text, file), file);
  return p.body({}, nullptr);
}

}  // namespace mailsim::config::native
