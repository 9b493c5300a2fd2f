#include "runset/result_cache.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/sha256.hpp"

namespace mailsim::runset {

namespace {
constexpr const char* kMagic = "mailsim-cache/1";
}

const std::string& build_identity() {
  static const std::string id = [] {
    std::ifstream in("/proc/self/exe", std::ios::binary);
    if (!in) throw std::runtime_error("cannot read /proc/self/exe to identify this build");
    core::Sha256 h;
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) h.update(std::string_view(buf, static_cast<size_t>(in.gcount())));
    return h.hex();
  }();
  return id;
}

std::string cache_entry(const std::string& key, const std::string& body) {
  return fmt::format("{} {} {}\n", kMagic, key, core::sha256_hex(body)) + body;
}

bool read_cache_entry(const std::string& text, const std::string& key, std::string* body, std::string* error) {
  const size_t nl = text.find('\n');
  std::istringstream header(text.substr(0, nl == std::string::npos ? 0 : nl));
  std::string magic, entry_key, hash;
  header >> magic >> entry_key >> hash;
  if (nl == std::string::npos || magic != kMagic) {
    *error = "no cache header (truncated, or not written by this cache)";
    return false;
  }
  if (entry_key != key) {
    *error = fmt::format("it holds the result of key {}", entry_key);
    return false;
  }
  std::string b = text.substr(nl + 1);
  if (core::sha256_hex(b) != hash) {
    *error = "its body does not match its hash (truncated or changed)";
    return false;
  }
  *body = std::move(b);
  return true;
}

ResultCache::ResultCache(std::string dir, std::ostream& warn) : dir_(std::move(dir)), warn_(warn) {
  if (dir_.empty()) return;
  namespace fs = std::filesystem;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir_ + "/results", ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code ignored;
    if (it->is_regular_file(ignored) && core::is_stale_temporary(it->path().filename().string()))
      fs::remove(it->path(), ignored);
  }
}

std::string ResultCache::path(const std::string& key) const {
  return dir_ + "/results/" + key.substr(0, 2) + "/" + key + ".json";
}

bool ResultCache::get(const std::string& key, std::string* body) const {
  if (dir_.empty() || key.empty()) return false;
  std::ifstream in(path(key), std::ios::binary);
  if (!in) return false;
  std::stringstream s;
  s << in.rdbuf();
  std::string error;
  if (read_cache_entry(s.str(), key, body, &error)) return true;
  warn_ << fmt::format("mailsim: cache entry {} is corrupt: {}; recomputing it\n", path(key), error) << std::flush;
  return false;
}

void ResultCache::put(const std::string& key, const std::string& body) {
  if (dir_.empty() || key.empty() || write_failed_) return;
  try {
    core::write_file_atomically(path(key), cache_entry(key, body));
  } catch (const std::exception& e) {  // OutputError, or a folder that cannot be made
    write_failed_ = true;
    warn_ << fmt::format("mailsim: cannot write to the cache ({}); the set goes on without caching\n", e.what())
          << std::flush;
  }
}

}  // namespace mailsim::runset
