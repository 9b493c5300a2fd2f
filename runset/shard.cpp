#include "runset/shard.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace mailsim::runset {

Shard parse_shard(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return core::InputError({"--shard", 0, 0}, fmt::format("'{}' is not a shard: {} (write i/N, e.g. 0/4)", text, why));
  };
  size_t slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size()) throw bad("expected i/N");
  auto number = [&](const std::string& s) {
    if (s.empty() || s.size() > 6 || s.find_first_not_of("0123456789") != std::string::npos)
      throw bad("i and N are decimal integers");
    return std::stoi(s);
  };
  Shard sh{number(text.substr(0, slash)), number(text.substr(slash + 1))};
  if (sh.count < 1 || sh.count > 100000) throw bad("N must be in [1, 100000]");
  if (sh.index >= sh.count) throw bad("i must be in [0, N-1]");
  return sh;
}

}  // namespace mailsim::runset
