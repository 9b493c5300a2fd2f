#pragma once
// replicated_service: N instances of a service the article only names. A step runs its CPU
// demand on the serving instance (the active one, or the quorum's coordinator).
//
// Failure semantics:
//  - active_passive: the active instance's crash or stop starts a failover; after
//    detection_delay + promotion_delay the first live instance is active. Requests meanwhile
//    find no active instance: `unavailable`. A request running on the active instance when
//    it dies is orphaned (its proxy decides, else lost).
//  - quorum: the first live instance coordinates; the request completes after the
//    acknowledgement of the (k-1)-th nearest other live instance; fewer than k live:
//    `unavailable`.
//  - Restart: the instance rejoins as passive (no switch back).
#include <vector>

#include "models/replicated_service/replicated_service_logic.hpp"
#include "models/replicated_service/replicated_service_params.hpp"
#include "config/topology.hpp"
#include "engine/component.hpp"
#include "engine/context.hpp"

namespace mailsim::models {

class ReplicatedService : public engine::Component {
 public:
  ReplicatedService(const config::ComponentSpec& spec, ReplicatedServiceParams params, engine::Context& ctx);

  void start() override {}
  void on_node_down(engine::NodeId n) override { lose(n, "crash"); }
  void on_node_up(engine::NodeId n) override { back(n); }
  void stop_instance(engine::NodeId n) override { lose(n, "stop"); }
  void start_instance(engine::NodeId n) override { back(n); }
  std::optional<engine::NodeId> resolve_role(const std::string& role) const override;
  void on_request(engine::Request& r) override;
  bool accepts(engine::NodeId n) const override;
  void on_cpu_done(engine::Request& r, bool ok) override;
  nlohmann::json resolved_params() const override;

 private:
  void lose(engine::NodeId n, const std::string& cause);
  void back(engine::NodeId n);
  void schedule_promotion(double delay);
  int live_count() const;
  void quorum_check();

  ReplicatedServiceParams p_;
  engine::Context& ctx_;
  ActivePassive ap_;
  std::vector<char> up_;
  int lost_from_ = -1;
  bool quorum_ok_ = true;
  uint64_t promo_gen_ = 0;
};

}  // namespace mailsim::models
