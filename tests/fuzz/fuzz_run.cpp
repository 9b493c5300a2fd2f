// Fuzz target past the parsers: an input that parses as a topology is validated by every
// model's checks and params table (domains included), then simulated for a few seconds
// under a fixed light scenario; an input that parses as a scenario is validated against
// the lb-pair tutorial topology and simulated on it. SimGrid allows one engine per process
// (DESIGN.md decision 1), so each simulation runs in a forked child, bounded in requests
// and wall time (mailsim run --max-requests, --time-limit). The contract: parsing and
// validation end in success or an InputError; a child exits 0, or 2 for an InputError.
// Anything else (a signal, an internal error, a sanitizer report) aborts here, and the
// fuzzer (or the corpus replay test) reports it like a crash.
#include <sys/wait.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "app/inputs.hpp"
#include "app/run_one.hpp"
#include "config/scenario.hpp"
#include "config/topology.hpp"
#include "core/error.hpp"
#include "models/registry.hpp"

namespace {

using mailsim::app::Inputs;

// The lb-pair tutorial topology, for scenarios (topologies/tutorial/lb-pair.yaml, comments cut).
const char* kTopology = R"(name: lb-pair
network: {nic_latency: 50us, nic_bandwidth: 10Gbps, backbone_latency: 10us, backbone_bandwidth: 40Gbps,
          client_latency: 2ms, client_bandwidth: 1Gbps}
nodes:
  - {name: lb-1, cores: 2, speed: 2Gf, zone: a}
  - {name: lb-2, cores: 2, speed: 2Gf, zone: b}
  - {name: mail-1, cores: 4, speed: 2Gf, zone: a}
  - {name: mail-2, cores: 4, speed: 2Gf, zone: b}
components:
  - {name: front_lb, model: vip_balancer, nodes: [lb-1, lb-2], params: {backend: mail, priority: [150, 100]}}
  - {name: mail, model: mail_node, nodes: [mail-1, mail-2]}
services:
  - name: smtp
    steps:
      - {component: front_lb, request: 50KiB}
      - {component: mail, op: smtp, cpu: exponential 4ms, request: 50KiB, response: 200B}
  - name: imap
    steps:
      - {component: front_lb, request: 200B}
      - {component: mail, op: imap, cpu: exponential 2ms, request: 200B, response: 20KiB}
)";

// A light scenario for a fuzzed topology: every service at 5/s for 3 s.
mailsim::config::Scenario light_scenario(const mailsim::config::Topology& t) {
  std::string text = "name: fuzz\nduration: 3s\nclient: {timeout: 2s}\nload:\n";
  for (const auto& s : t.services) text += "  - {service: " + s.name + ", rate: 5/s}\n";
  if (t.services.empty()) text += "  []\n";
  return mailsim::config::parse_scenario(text, "fuzz-scenario.yaml");
}

// One bounded simulation in a child; aborts on anything but a clean end or an InputError.
void simulate_in_child(const Inputs& in) {
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return;  // no child to spare: skip the simulation, not a finding
  if (pid == 0) {
    int code = 0;
    try {
      mailsim::app::RunBounds bounds;
      bounds.max_requests = 20'000;
      bounds.time_limit_s = 10;
      (void)mailsim::app::run_one(in, 1, nullptr, bounds);
    } catch (const mailsim::core::InputError&) {
      code = 2;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "fuzz_run: internal error in the simulation: %s\n", e.what());
      code = 3;
    }
    std::fflush(nullptr);
    _exit(code);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
  if (WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 2)) {
    std::fprintf(stderr, "fuzz_run: the simulation of this input ended with %s %d\n",
                 WIFSIGNALED(status) ? "signal" : "exit code", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    std::abort();
  }
}

template <class F>
void expect_input_error_or_success(F f) {
  try {
    f();
  } catch (const mailsim::core::InputError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace config = mailsim::config;
  namespace models = mailsim::models;
  const std::string text(reinterpret_cast<const char*>(data), size);
  expect_input_error_or_success([&] {
    Inputs in{config::parse_topology(text, "fuzz.yaml"), {}};
    models::validate_topology(in.topology);
    in.scenario = light_scenario(in.topology);
    models::validate_scenario(in.scenario, in.topology);
    simulate_in_child(in);
  });
  expect_input_error_or_success([&] {
    Inputs in{config::parse_topology(kTopology, "lb-pair.yaml"), config::parse_scenario(text, "fuzz.yaml")};
    models::validate_topology(in.topology);
    models::validate_scenario(in.scenario, in.topology);
    mailsim::app::check_expectation_subjects(in.scenario, in.topology);
    simulate_in_child(in);
  });
  return 0;
}
