#pragma once
// What simgrid_floor and event_loop_limit share: lb-pair's network and nodes
// (topologies/tutorial/lb-pair.yaml), its load mix, the one-way delays of its hops as
// Network::transit computes them, and their command-line parsing. Both then do the same
// activities per request, one on SimGrid and one on a hand-written event loop.
#include <cstdlib>
#include <cstring>

namespace mailsim::bench {

constexpr double kNicLatency = 50e-6, kNicBandwidth = 10e9 / 8;
constexpr double kBackboneLatency = 10e-6, kBackboneBandwidth = 40e9 / 8;
constexpr double kClientLatency = 2e-3, kClientBandwidth = 1e9 / 8;
constexpr double kSpeed = 2e9;
constexpr int kBackendCores = 4;
constexpr double kClientTimeout = 10;  // mailsim runs past the load by the client timeout

struct Service {
  double share;       // of the total rate
  double cpu_mean;    // s, exponential
  double request_b;   // bytes of the step-0 and step-1 requests (equal in lb-pair)
  double response_b;  // bytes of the reply
};
// smtp 200/s and imap 400/s in the tutorial scenarios: a 1:2 mix.
constexpr Service kServices[] = {{1.0 / 3, 4e-3, 50 * 1024, 200}, {2.0 / 3, 2e-3, 200, 20 * 1024}};

// One-way delays per service: clients -> balancer, balancer -> backend, and the reply's
// backend -> balancer -> clients, each the route's latency plus size / bottleneck.
struct HopDelays {
  double to_lb[2], to_backend[2], reply[2];
  HopDelays() {
    const double lan = 2 * kNicLatency + kBackboneLatency;
    const double edge = kClientLatency + kBackboneLatency + kNicLatency;
    for (int s = 0; s < 2; ++s) {
      const Service& svc = kServices[s];
      to_lb[s] = edge + svc.request_b / kClientBandwidth;
      to_backend[s] = lan + svc.request_b / kNicBandwidth;
      reply[s] = lan + svc.response_b / kNicBandwidth + edge + svc.response_b / kClientBandwidth;
    }
  }
};

inline const char* arg_text(int argc, char** argv, const char* name, const char* fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
  return fallback;
}

inline double arg_value(int argc, char** argv, const char* name, double fallback) {
  const char* text = arg_text(argc, argv, name, nullptr);
  return text != nullptr ? std::atof(text) : fallback;
}

}  // namespace mailsim::bench
