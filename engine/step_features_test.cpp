// Step plug-ins on a Flow without SimGrid: components that do no network or CPU work, so a
// request's path through the steps is all there is to see.
#include "engine/step_features.hpp"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "engine/manual_scheduler.hpp"
#include "engine/processor_sharing_cpu.hpp"
#include "engine/test_support.hpp"

namespace mailsim::engine {
namespace {

// A component that notes each visit and hands the request on at once: `on_visit` decides how.
class Step : public testing::StubComponent {
 public:
  Step(std::string name, std::vector<std::string>& visits) : StubComponent(std::move(name)), visits_(visits) {}
  std::function<void(Request&)> on_visit;
  std::vector<std::tuple<const Request*, NodeId, int>> released;
  void on_request(Request& r) override {
    visits_.push_back(name());
    on_visit(r);
  }
  void on_worker_release(Request& r, NodeId node, int worker) override { released.emplace_back(&r, node, worker); }

 private:
  std::vector<std::string>& visits_;
};

struct World {
  Platform platform{testing::one_node_topology(2)};
  ManualScheduler sched;
  Network net{platform, sched, 1};
  ProcessorSharingCpu cpu{sched, platform};
  Flow flow{sched, platform, net, cpu, 1};
  DurabilityLedger ledger;
  StepFeatures features{flow, sched, platform, ledger, 1};
  std::vector<std::string> visits;
  std::vector<std::unique_ptr<Step>> steps;

  // A service over new Step components named after `specs`' components.
  int add(const std::vector<config::StepSpec>& specs) {
    ServiceRuntime rt{"svc" + std::to_string(flow.service_count()), {}, {}, {}, {}, 0, 10, 0,
                      ServiceMetrics(10, 1, 100), {}, {}, {}};
    config::ServiceSpec spec;
    for (const auto& st : specs) {
      steps.push_back(std::make_unique<Step>(st.component, visits));
      steps.back()->on_visit = [this](Request& r) { flow.next_step(r); };
      rt.steps.push_back(steps.back().get());
      rt.request_bytes.push_back(0);
      rt.cpu.push_back(core::Distribution());
      rt.ops.push_back("");
      spec.steps.push_back(st);
    }
    const int svc = flow.add_service(std::move(rt));
    features.held_workers.add_service(flow, svc, spec);
    features.cache_skip.add_service(svc, spec);
    return svc;
  }
  Step& step(size_t i) { return *steps[i]; }
};

config::StepSpec step(const std::string& component) {
  config::StepSpec s;
  s.component = component;
  return s;
}

TEST(CacheSkip, AHitSkipsOnHitSkipNextStepsAndAMissGoesOnToThem) {
  World w;
  config::StepSpec cache = step("cache");
  cache.fallback = true;
  cache.on_hit_skip = 2;  // the miss path: a balancer, then the database
  const int svc = w.add({cache, step("db_lb"), step("db"), step("imap")});
  bool hit = true;
  w.step(0).on_visit = [&](Request& r) {
    ASSERT_TRUE(w.features.cache_skip.falls_back(r));
    if (hit) w.features.cache_skip.hit(r);
    else w.flow.next_step(r);
  };
  w.flow.start(svc);
  w.sched.run_until(1);
  EXPECT_EQ(w.visits, (std::vector<std::string>{"cache", "imap"}));
  w.visits.clear();
  hit = false;
  w.flow.start(svc);
  w.sched.run_until(2);
  EXPECT_EQ(w.visits, (std::vector<std::string>{"cache", "db_lb", "db", "imap"}));
  EXPECT_EQ(w.flow.service(svc).metrics.ok(), 2u) << "both answered";
}

TEST(CacheSkip, AHitStandingForTheLastStepsAnswersTheClientAtOnce) {
  World w;
  config::StepSpec cache = step("cache");
  cache.fallback = true;
  const int svc = w.add({cache, step("db")});
  w.step(0).on_visit = [&](Request& r) { w.features.cache_skip.hit(r); };
  w.flow.start(svc);
  w.sched.run_until(1);
  EXPECT_EQ(w.visits, (std::vector<std::string>{"cache"}));
  EXPECT_EQ(w.flow.service(svc).metrics.ok(), 1u);
}

TEST(CacheSkip, AStepWithoutFallbackDoesNotFallBack) {
  World w;
  const int svc = w.add({step("cache"), step("db")});
  bool falls_back = true;
  w.step(0).on_visit = [&](Request& r) {
    falls_back = w.features.cache_skip.falls_back(r);
    w.flow.next_step(r);
  };
  w.flow.start(svc);
  w.sched.run_until(1);
  EXPECT_FALSE(falls_back);
}

TEST(HeldWorkers, TheHolderIsToldOnceWhenTheRequestEndsAndTheHoldDiesWithItsRequest) {
  World w;
  config::StepSpec held = step("nfs");
  held.hold_worker = true;
  const int svc = w.add({step("mail"), held});
  const Request* first = nullptr;
  w.step(0).on_visit = [&](Request& r) {
    ASSERT_TRUE(w.features.held_workers.next_step_holds(r));
    if (first == nullptr) {
      first = &r;
      w.features.held_workers.hold(r, &w.step(0), 0, 7);
    }
    w.flow.next_step(r);
  };
  std::vector<Component*> seen_holder;
  w.step(1).on_visit = [&](Request& r) {
    seen_holder.push_back(w.features.held_workers.holder(r));
    w.flow.next_step(r);
  };
  w.flow.start(svc);
  w.sched.run_until(1);
  ASSERT_EQ(w.step(0).released.size(), 1u);
  EXPECT_EQ(std::get<0>(w.step(0).released[0]), first);
  EXPECT_EQ(std::get<1>(w.step(0).released[0]), 0);
  EXPECT_EQ(std::get<2>(w.step(0).released[0]), 7);
  // The next request takes the same pooled object: no hold carries over to it.
  w.flow.start(svc);
  w.sched.run_until(2);
  ASSERT_EQ(seen_holder.size(), 2u);
  EXPECT_EQ(seen_holder[0], &w.step(0));
  EXPECT_EQ(seen_holder[1], nullptr);
  EXPECT_EQ(w.step(0).released.size(), 1u);
}

TEST(HeldWorkers, ADroppedHoldIsNotReleasedWhenTheRequestEnds) {
  World w;
  config::StepSpec held = step("nfs");
  held.hold_worker = true;
  const int svc = w.add({step("mail"), held});
  w.step(0).on_visit = [&](Request& r) {
    w.features.held_workers.hold(r, &w.step(0), 0, 3);
    w.features.held_workers.drop(r);  // the holding process died with its node
    EXPECT_EQ(w.features.held_workers.holder(r), nullptr);
    w.flow.next_step(r);
  };
  w.flow.start(svc);
  w.sched.run_until(1);
  EXPECT_TRUE(w.step(0).released.empty());
}

}  // namespace
}  // namespace mailsim::engine
