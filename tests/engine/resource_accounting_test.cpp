// Resource accounting against queueing theory (issue 15): an M/M/1 node at rho = 0.8
// reports utilisation rho and a mean queue of rho^2 / (1 - rho), whether the queue forms in
// the worker pool (one worker: FIFO) or on the CPU (many workers: processor sharing, whose
// number in the system is distributed as M/M/1's); a resource nobody uses reports 0.
// Same set-up as queueing_test.cpp: latencies of 1 us, so the node is the whole system.
#include <gtest/gtest.h>

#include "app/run_one.hpp"
#include "tests/engine/queue_topology.hpp"

namespace {

// mu = 100/s (10 ms mean), lambda = 80/s: rho = 0.8.
constexpr double kRho = 0.8;
nlohmann::json run(int workers) {
  mailsim::app::Inputs in{mailsim::config::parse_topology(mailsim::testing::queue_topology(1, workers, "  - {name: spare, cores: 2, speed: 1Gf}\n"), "queue.yaml"),
                          mailsim::config::parse_scenario(mailsim::testing::poisson_scenario(80, 2000), "poisson.yaml")};
  return mailsim::app::run_one(in, 5);
}

const nlohmann::json& resource(const nlohmann::json& result, const std::string& name) {
  for (const auto& r : result["resources"])
    if (r["name"] == name) return r;
  ADD_FAILURE() << "no resource " << name;
  static const nlohmann::json none;
  return none;
}

// Statistical tolerances for 160k arrivals: utilisation within 2 %, the queue (whose
// time average converges slowly at rho = 0.8) within 10 %.
void expect_mm1(const nlohmann::json& r) {
  EXPECT_NEAR(r["utilisation"].get<double>(), kRho, kRho * 0.02) << r["name"];
  const double lq = kRho * kRho / (1 - kRho);  // 3.2
  EXPECT_NEAR(r["mean_queue"].get<double>(), lq, lq * 0.10) << r["name"];
  // Little's law: W_q = L_q / lambda.
  EXPECT_NEAR(r["mean_wait_s"].get<double>(), lq / 80, lq / 80 * 0.10) << r["name"];
}

}  // namespace

TEST(ResourceAccounting, MM1WorkerPoolReportsRhoAndRhoSquaredOverOneMinusRho) {
  auto result = run(1);
  expect_mm1(resource(result, "server.svc.imap"));
  // The one worker holds the request while the CPU serves it: the CPU is as busy, with no queue.
  const auto& cpu = resource(result, "server.cpu");
  EXPECT_NEAR(cpu["utilisation"].get<double>(), kRho, kRho * 0.02);
  EXPECT_EQ(cpu["mean_queue"].get<double>(), 0);
  EXPECT_EQ(result["bottleneck"]["name"], result["resources"][0]["name"]);
  EXPECT_GE(result["bottleneck"]["peak_utilisation"].get<double>(), 0.8);
}

TEST(ResourceAccounting, MM1ProcessorSharingCpuReportsRhoAndRhoSquaredOverOneMinusRho) {
  auto result = run(1000);
  expect_mm1(resource(result, "server.cpu"));
  EXPECT_EQ(resource(result, "server.svc.imap")["mean_queue"].get<double>(), 0);
}

TEST(ResourceAccounting, AnIdleResourceReportsZero) {
  auto result = run(1);
  for (const char* name : {"spare.cpu", "server.svc.smtp"}) {
    const auto& r = resource(result, name);
    EXPECT_EQ(r["utilisation"].get<double>(), 0) << name;
    EXPECT_EQ(r["peak_utilisation"].get<double>(), 0) << name;
    EXPECT_EQ(r["mean_queue"].get<double>(), 0) << name;
    EXPECT_EQ(r["served"].get<uint64_t>(), 0u) << name;
  }
}
