#include "engine/cache_skip.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"

namespace mailsim::engine {

void CacheSkip::add_service(int svc, const config::ServiceSpec& spec) {
  if (skip_.size() <= static_cast<size_t>(svc)) skip_.resize(static_cast<size_t>(svc) + 1);
  for (const auto& st : spec.steps) skip_[static_cast<size_t>(svc)].push_back(st.fallback ? std::max(1, st.on_hit_skip) : 0);
}

void CacheSkip::check(const config::Topology& topo, const std::function<bool(const std::string&)>& is_cache) {
  for (const auto& s : topo.services)
    for (const auto& st : s.steps)
      if (st.fallback && !is_cache(st.component))
        throw core::InputError(st.mark, fmt::format("service '{}': `fallback` acts on a cache step (a hit skips the "
                                                    "next steps), but component '{}' is not a cache",
                                                    s.name, st.component));
}

}  // namespace mailsim::engine
