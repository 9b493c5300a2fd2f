#include "config/native/nfs_mount.hpp"

#include <fmt/format.h>

namespace mailsim::config::native {

namespace {

// One line's mount: an fstab line (spec file vfstype mntops [freq [passno]]) or one option
// string. `words` is not empty.
NfsMount read_mount(const std::vector<Word>& words, const std::string& file, int line_no) {
  NfsMount m;
  m.line = {words[0].text, {}, {file, line_no, words[0].col}, {}};
  for (size_t i = 1; i < words.size(); ++i) m.line.args.push_back(words[i].text);
  const Word* opts = &words[0];
  if (words.size() >= 4) {
    m.source = words[0].text;
    m.mount_point = words[1].text;
    m.fs_type = words[2].text;
    opts = &words[3];
  } else if (words.size() != 1) {
    throw core::InputError({file, line_no, words[0].col},
                           "expected an fstab line (source, mount point, type, options) or one option string");
  }
  size_t start = 0;
  const std::string& s = opts->text;
  while (start <= s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    std::string opt = s.substr(start, end - start);
    const int col = opts->col + static_cast<int>(start);
    if (opt.empty()) throw core::InputError({file, line_no, col}, "an empty mount option");
    Directive d;
    const size_t eq = opt.find('=');
    d.keyword = opt.substr(0, eq);
    if (eq != std::string::npos) d.args = {opt.substr(eq + 1)};
    d.mark = {file, line_no, col};
    d.context = {"mount options"};
    m.options.push_back(std::move(d));
    start = end + 1;
  }
  return m;
}

}  // namespace

std::vector<NfsMount> parse_fstab(const std::string& text, const std::string& file) {
  std::vector<NfsMount> out;
  int line_no = 0;
  for (const auto& line : text_lines(text)) {
    ++line_no;
    auto words = split_words(line, file, line_no, "#");
    if (!words.empty()) out.push_back(read_mount(words, file, line_no));
  }
  return out;
}

NfsMount parse_nfs_mount(const std::string& text, const std::string& file) {
  int line_no = 0;
  for (const auto& line : text_lines(text)) {
    ++line_no;
    auto words = split_words(line, file, line_no, "#");
    if (words.empty()) continue;
    NfsMount m = read_mount(words, file, line_no);
    if (!m.is_nfs())
      throw core::InputError({file, line_no, words[2].col}, fmt::format("file system type '{}' is not nfs or nfs4", m.fs_type));
    return m;
  }
  throw core::InputError({file, 1, 1}, "no mount options in this file");
}

}  // namespace mailsim::config::native
