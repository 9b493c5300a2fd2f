#pragma once
// The one-node queueing set-up of the queueing validation tests: a mail_node `svc` with
// `workers` workers on `server` (`cores` cores), one service `job` of exponential 10 ms CPU
// (mu = 100/s per core), latencies of 1 us so the node is the whole system. `extra_nodes`:
// more YAML node entries (idle nodes). poisson_scenario: Poisson arrivals of `job` at `rate`
// per second for `seconds`, seed 5, a 60 s client timeout (longer than any queue here).
#include <fmt/format.h>

#include <string>

namespace mailsim::testing {

inline std::string queue_topology(int cores, int workers, const std::string& extra_nodes = "") {
  return fmt::format(R"(
name: queue
network: {{nic_latency: 1us, nic_bandwidth: 100Gbps, backbone_latency: 1us, backbone_bandwidth: 100Gbps,
          client_latency: 1us, client_bandwidth: 100Gbps}}
nodes:
  - {{name: server, cores: {}, speed: 1Gf}}
{}components:
  - {{name: svc, model: mail_node, nodes: [server], params: {{workers: {}}}}}
services:
  - name: job
    steps: [{{component: svc, op: imap, cpu: exponential 10ms}}]
)",
                     cores, extra_nodes, workers);
}

inline std::string poisson_scenario(double rate, int seconds) {
  return fmt::format(R"(
name: poisson
duration: {}s
seed: 5
client: {{timeout: 60s}}
load:
  - {{service: job, rate: {}/s}}
)",
                     seconds, rate);
}

}  // namespace mailsim::testing
