#pragma once
// Step plug-in `fallback` / `on_hit_skip`: a cache step (memcached) whose hit answers for
// the next steps too. On a hit the request skips the step's on_hit_skip next steps (1 unless
// the topology says: 2 for a miss path through a balancer to a database); on a miss or a
// dead cache it goes on to them. No per-request state.
#include <functional>
#include <string>
#include <vector>

#include "config/topology.hpp"
#include "engine/flow.hpp"

namespace mailsim::engine {

class CacheSkip {
 public:
  explicit CacheSkip(Flow& flow) : flow_(flow) {}
  void add_service(int svc, const config::ServiceSpec& spec);

  // Whether r's current step is a cache step with a path to fall back to.
  bool falls_back(const Request& r) const { return skip_of(r) > 0; }
  // The cache answered: r goes on after the steps the hit stands for.
  void hit(Request& r) { flow_.skip_steps(r, skip_of(r)); }

  // The option acts only on a step whose component is a cache. InputError at the step.
  static void check(const config::Topology& topo, const std::function<bool(const std::string&)>& is_cache);

 private:
  int skip_of(const Request& r) const {
    const auto& skips = skip_[static_cast<size_t>(r.service)];
    return static_cast<size_t>(r.step) < skips.size() ? skips[static_cast<size_t>(r.step)] : 0;
  }
  Flow& flow_;
  std::vector<std::vector<int>> skip_;  // [service][step]: steps a hit skips, 0 without `fallback`
};

}  // namespace mailsim::engine
