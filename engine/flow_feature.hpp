#pragma once
// What the Flow knows of a step plug-in (step_features.hpp): hooks at the points of a
// request's life where a feature acts. A service attaches the plug-ins it uses; the Flow
// calls them in attach order, and a service that uses none pays nothing for them.
#include <nlohmann/json.hpp>

#include <cstdint>

#include "engine/outcome.hpp"
#include "engine/request.hpp"

namespace mailsim::engine {

class FlowFeature {
 public:
  virtual ~FlowFeature() = default;
  // r ran its last step and its ok answer is about to leave.
  virtual void on_complete(Request& r) { (void)r; }
  // r ends with outcome o, before the service's metrics count it. Returns true when r was
  // the feature's own (a delivery attempt): it is then recycled without counting as a
  // client request, and later features are not told.
  virtual bool on_finish(Request& r, Outcome o) { return (void)r, (void)o, false; }
  // Deferred work the run must wait for (messages waiting for their next attempt), and the
  // latest time any of it is due.
  virtual int64_t pending() const { return 0; }
  virtual double latest_due() const { return 0; }
  // This feature's figures for service svc, added to the service's run-result object.
  virtual void report(int svc, nlohmann::json& service) const { (void)svc, (void)service; }
};

}  // namespace mailsim::engine
