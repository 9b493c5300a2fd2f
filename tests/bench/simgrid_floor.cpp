// simgrid_floor: bare SimGrid doing, per request, the SimGrid activities mailsim's request
// path does in the lb-pair flow (topologies/tutorial/lb-pair.yaml), and nothing else. It is
// the floor of the target "per-request cost within 2x of bare SimGrid doing the same
// activities" (docs/performance.md).
//
// What mailsim does per request there (engine/flow.cpp, load_generator.cpp,
// models/vip_balancer/vip_balancer.cpp, models/mail_node/mail_node.cpp), and what this
// program keeps of it:
//   1. a kernel timer for the arrival (LoadGenerator::schedule_next, Poisson, one stream
//      per service), which schedules the next arrival;          kept
//   2. a kernel timer for the hop clients -> VIP holder (VipBalancer::on_request);  kept
//   3. a kernel timer for the hop balancer -> backend (VipBalancer::connect);       kept
//   4. one actor-less SimGrid Exec on the 4-core backend (MailNode::run ->
//      Flow::run_cpu), its end seen through Activity::on_completion_cb;           kept
//   5. one kernel timer for the whole reply path (Flow::answer);                   kept
//   6. model bookkeeping: Network::transit per hop, the VRRP master check, round-robin
//      server choice, the worker pool, request pooling with generation checks,
//      ServiceMetrics on_arrival/on_outcome (reorder window, histogram, time series),
//      the VRRP advert and haproxy check timers;                  left out (mailsim's own)
// The platform is built as engine/platform.cpp builds lb-pair's (star zone, a NIC per
// host, one backbone, CM02 without the latency factor), the load is lb-pair's mix (smtp
// with exponential 4 ms CPU, imap with exponential 2 ms, 1:2), and hop delays are the
// topology's latencies plus size / bandwidth, so that as many requests are in flight.
//
// Usage: simgrid_floor [--duration SECONDS] [--rate REQUESTS_PER_S] [--backends N] [--cpu
// exec|timer]
// `--cpu timer` replaces the Exec by a timer of the same length (no core sharing): the
// difference to `--cpu exec` is what one actor-less Exec costs.
// Prints, on stderr, the line `mailsim run` prints:
//   N requests simulated in X s wall (R requests/s)
#include <xbt/log.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <simgrid/kernel/Timer.hpp>
#include <simgrid/s4u.hpp>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "lb_pair_load.hpp"

namespace sg4 = simgrid::s4u;
using simgrid::kernel::timer::Timer;

namespace {

using namespace mailsim::bench;  // NOLINT(google-build-using-namespace): the shared figures

struct Request {
  int service = 0;
  int backend = 0;
  double t_start = 0;
  sg4::ExecPtr exec;  // kept until the request is recycled, as mailsim's Request does
};

struct Floor {
  std::vector<sg4::Host*> backends;
  std::vector<std::unique_ptr<Request>> pool;
  std::vector<Request*> free;
  std::vector<mailsim::core::RngStream> arrival_rng, cpu_rng;
  double rate = 2000, end_of_load = 600;
  bool cpu_as_timer = false;
  size_t rr = 0;
  uint64_t finished = 0;
  double latency_sum = 0;
  HopDelays hops;

  Request* acquire() {
    if (free.empty()) {
      pool.push_back(std::make_unique<Request>());
      free.push_back(pool.back().get());
    }
    Request* r = free.back();
    free.pop_back();
    r->exec = nullptr;
    return r;
  }

  void schedule_arrival(int svc) {
    double t = sg4::Engine::get_clock() +
               arrival_rng[svc].exponential(1.0 / (rate * kServices[svc].share));
    if (t >= end_of_load) return;
    Timer::set(t, [this, svc] {
      schedule_arrival(svc);
      Request* r = acquire();
      r->service = svc;
      r->t_start = sg4::Engine::get_clock();
      Timer::set(sg4::Engine::get_clock() + hops.to_lb[svc], [this, r] { at_balancer(*r); });
    });
  }

  void at_balancer(Request& r) {
    r.backend = static_cast<int>(rr++ % backends.size());
    Timer::set(sg4::Engine::get_clock() + hops.to_backend[r.service], [this, &r] { at_backend(r); });
  }

  void at_backend(Request& r) {
    double seconds = cpu_rng[r.service].exponential(kServices[r.service].cpu_mean);
    if (cpu_as_timer) {
      Timer::set(sg4::Engine::get_clock() + seconds, [this, &r] { cpu_done(r); });
      return;
    }
    r.exec = sg4::Exec::init();
    r.exec->set_flops_amount(seconds * kSpeed)->set_host(backends[r.backend]);
    r.exec->set_data(&r);
    r.exec->start();
  }

  void cpu_done(Request& r) {
    Timer::set(sg4::Engine::get_clock() + hops.reply[r.service], [this, &r] {
      ++finished;
      latency_sum += sg4::Engine::get_clock() - r.t_start;
      free.push_back(&r);
    });
  }
};

Floor* g_floor = nullptr;  // for the completion signal, which takes no context

void on_activity_end(const sg4::Activity& a) {
  if (auto* r = a.get_data<Request>()) g_floor->cpu_done(*r);
}

}  // namespace

int main(int argc, char** argv) {
  Floor f;
  g_floor = &f;
  f.end_of_load = arg_value(argc, argv, "--duration", 600);
  f.rate = arg_value(argc, argv, "--rate", 2000);
  const int n_backends = static_cast<int>(arg_value(argc, argv, "--backends", 2));
  const std::string cpu = arg_text(argc, argv, "--cpu", "exec");
  f.cpu_as_timer = cpu == "timer";
  if (f.end_of_load <= 0 || f.rate <= 0 || n_backends < 1 || (cpu != "exec" && cpu != "timer")) {
    std::fprintf(stderr,
                 "usage: simgrid_floor [--duration SECONDS] [--rate REQUESTS_PER_S] [--backends N] "
                 "[--cpu exec|timer]\n");
    return 2;
  }

  // The engine as mailsim makes it (engine/run.cpp).
  xbt_log_control_set("root.thres:critical");
  int sg_argc = 3;
  char arg0[] = "simgrid_floor", arg1[] = "--cfg=network/model:CM02",
       arg2[] = "--log=root.thres:critical";
  char* sg_argv[] = {arg0, arg1, arg2, nullptr};
  sg4::Engine e(&sg_argc, sg_argv);

  // The platform as engine/platform.cpp builds it.
  auto* zone = sg4::create_star_zone("floor");
  auto* backbone =
      zone->create_link("backbone", kBackboneBandwidth)->set_latency(kBackboneLatency)->seal();
  auto add = [&](const std::string& name, int cores, double speed, double lat, double bw) {
    auto* h = zone->create_host(name, speed)->set_core_count(cores)->seal();
    auto* nic = zone->create_split_duplex_link(name + ".nic", bw)->set_latency(lat)->seal();
    zone->add_route(
        h->get_netpoint(), nullptr, nullptr, nullptr,
        {sg4::LinkInRoute{nic, sg4::LinkInRoute::Direction::UP}, sg4::LinkInRoute{backbone}}, true);
    return h;
  };
  add("lb-1", 2, kSpeed, kNicLatency, kNicBandwidth);
  add("lb-2", 2, kSpeed, kNicLatency, kNicBandwidth);
  for (int i = 0; i < n_backends; ++i)
    f.backends.push_back(
        add("mail-" + std::to_string(i + 1), kBackendCores, kSpeed, kNicLatency, kNicBandwidth));
  add("clients", 1024, 1e12, kClientLatency, kClientBandwidth);
  zone->seal();

  for (int s = 0; s < 2; ++s) {
    f.arrival_rng.emplace_back(1, "load." + std::to_string(s));
    f.cpu_rng.emplace_back(1, "cpu." + std::to_string(s));
  }

  sg4::Activity::on_completion_cb(on_activity_end);
  for (int s = 0; s < 2; ++s) f.schedule_arrival(s);

  auto w0 = std::chrono::steady_clock::now();
  e.run_until(f.end_of_load + kClientTimeout);
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();

  std::printf(
      "simgrid_floor: %.0f s simulated, %.0f requests/s offered, %d backends, cpu as %s, mean "
      "latency %.3f ms\n",
      f.end_of_load, f.rate, n_backends, cpu.c_str(),
      f.finished ? 1e3 * f.latency_sum / static_cast<double>(f.finished) : 0);
  std::fprintf(stderr, "%llu requests simulated in %.3f s wall (%.0f requests/s)\n",
               static_cast<unsigned long long>(f.finished), wall,
               wall > 0 ? static_cast<double>(f.finished) / wall : 0);
  return 0;
}
