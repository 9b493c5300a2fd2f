#include "sim/core/error.hpp"

#include <algorithm>

namespace mailsim::core {

namespace {
std::string format_mark(const SourceMark& m) {
  std::string s = m.file.empty() ? "<input>" : m.file;
  if (m.line > 0) s += ":" + std::to_string(m.line) + ":" + std::to_string(m.col);
  return s;
}

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

InputError::InputError(SourceMark mark, const std::string& message)
    : std::runtime_error(format_mark(mark) + ": " + message),
      mark_(std::move(mark)),
      message_(message) {}

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
