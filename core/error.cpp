#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mailsim::core {

namespace {
std::string format_mark(const SourceMark& m) {
  const std::string& file = m.file.empty() ? std::string("<input>") : m.file;
  return m.line > 0 ? fmt::format("{}:{}:{}", file, m.line, m.col) : file;
}

// The length of the well-formed UTF-8 sequence at s[i] (Unicode table 3-7: no overlong
// forms, no surrogates, nothing above U+10FFFF), or 0.
size_t utf8_length(const std::string& s, size_t i) {
  auto byte = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
  unsigned c = byte(0);
  size_t len = 0;
  unsigned lo = 0x80, hi = 0xbf;  // the range of the second byte
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) len = 2;
  else if (c >= 0xe0 && c <= 0xef) len = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
  else if (c >= 0xf0 && c <= 0xf4) len = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
  else return 0;
  if (i + len > s.size() || byte(1) < lo || byte(1) > hi) return 0;
  for (size_t k = 2; k < len; ++k)
    if (byte(k) < 0x80 || byte(k) > 0xbf) return 0;
  return len;
}

// Messages echo user input, which may hold newlines (the error must stay one line), NULs
// (what() would stop there), invalid UTF-8 (JSON writers reject it) or megabytes. Control
// bytes and invalid UTF-8 become \xNN; past `limit` bytes the text is cut with "...".
std::string printable(const std::string& s, size_t limit) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  size_t i = 0;
  while (i < s.size() && out.size() < limit) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = utf8_length(s, i);
    if (len == 0 || (len == 1 && (c < 0x20 || c == 0x7f))) {
      out += {'\\', 'x', hex[c >> 4], hex[c & 15]};
      ++i;
    } else {
      out.append(s, i, len);
      i += len;
    }
  }
  if (i < s.size()) out += "...";
  return out;
}

constexpr size_t kMaxMessage = 1000;

// Optimal string alignment distance: Levenshtein plus the swap of two adjacent letters as
// one edit, the commonest typo ("corse" for "cores"), which Levenshtein counts as two.
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev2(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], prev2[j - 2] + 1);
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

size_t common_prefix(const std::string& a, const std::string& b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return n;
}
}  // namespace

std::string located(const SourceMark& mark, const std::string& message) {
  return printable(format_mark(mark), kMaxMessage) + ": " + printable(message, kMaxMessage);
}

InputError::InputError(SourceMark mark, const std::string& message)
    : std::runtime_error(located(mark, message)),
      mark_(std::move(mark)),
      message_(printable(message, kMaxMessage)) {}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  // Accept at most a third of the word's letters wrong (at least one): close enough to
  // be a typo, far enough not to suggest nonsense.
  // Among equally close candidates, the one sharing the longest prefix wins ("rat" is
  // 'rate' rather than 'at'), then the first listed.
  size_t best = std::max<size_t>(1, word.size() / 3) + 1;
  size_t best_prefix = 0;
  std::string pick;
  for (const auto& c : candidates) {
    size_t d = edit_distance(word, c);
    size_t p = common_prefix(word, c);
    if (d < best || (d == best && !pick.empty() && p > best_prefix)) {
      best = d;
      best_prefix = p;
      pick = c;
    }
  }
  return pick.empty() ? "" : " (did you mean '" + pick + "'?)";
}

}  // namespace mailsim::core
