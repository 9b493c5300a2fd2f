// event_loop_limit: a hand-written event loop doing, per request, what simgrid_floor does
// (and what mailsim's request path does in the lb-pair flow), with no SimGrid: one binary
// heap of events, no allocation per event. It is the physical limit of the request-level
// figures in docs/performance.md: what the same activities cost when the event queue is as
// cheap as it can be.
//
// Per request, as simgrid_floor.cpp: an arrival (Poisson per service, which schedules the
// next one), a hop clients -> balancer, a hop balancer -> backend (round robin), a CPU job on
// the 4-core backend shared as mailsim's ProcessorSharingCpu shares it (each of k jobs at
// min(1, cores / k), one pending completion event per host), and one event for the reply.
// The same platform figures, load mix, streams and seeds as simgrid_floor, so the same number
// of requests is in flight.
//
// Usage: event_loop_limit [--duration SECONDS] [--rate REQUESTS_PER_S] [--backends N]
// Prints, on stderr, the line `mailsim run` prints:
//   N requests simulated in X s wall (R requests/s)
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "lb_pair_load.hpp"

namespace {

using namespace mailsim::bench;  // NOLINT(google-build-using-namespace): the shared figures

enum class Kind : uint8_t { kArrival, kAtBalancer, kAtBackend, kCpuCheck, kReplied };

struct Event {
  double t;
  uint64_t seq;
  uint32_t id;  // request, service (arrival) or backend (CPU check)
  uint32_t gen;  // CPU check: the backend's timer generation
  Kind kind;
};
bool later(const Event& a, const Event& b) { return a.t != b.t ? a.t > b.t : a.seq > b.seq; }

struct Request {
  int service = 0;
  int backend = 0;
  double t_start = 0;
};

struct Job {
  double tag;
  uint64_t seq;
  uint32_t req;
};
bool job_later(const Job& a, const Job& b) { return a.tag != b.tag ? a.tag > b.tag : a.seq > b.seq; }

struct Backend {
  std::vector<Job> jobs;  // heap by tag
  double work = 0, updated = 0, armed_at = 1e300;
  uint32_t gen = 0;
};

struct Loop {
  std::vector<Event> heap;
  uint64_t seq = 0;
  double now = 0;
  std::vector<Request> requests;
  std::vector<uint32_t> free;
  std::vector<Backend> backends;
  std::vector<mailsim::core::RngStream> arrival_rng, cpu_rng;
  double rate = 2000, end_of_load = 600;
  size_t rr = 0;
  uint64_t finished = 0, events = 0;
  double latency_sum = 0;
  HopDelays hops;

  void push(double t, Kind k, uint32_t id, uint32_t gen = 0) {
    heap.push_back({t, seq++, id, gen, k});
    std::push_heap(heap.begin(), heap.end(), later);
  }
  uint32_t acquire() {
    if (free.empty()) {
      requests.emplace_back();
      return static_cast<uint32_t>(requests.size() - 1);
    }
    uint32_t r = free.back();
    free.pop_back();
    return r;
  }

  void schedule_arrival(int svc) {
    double t = now + arrival_rng[static_cast<size_t>(svc)].exponential(1.0 / (rate * kServices[svc].share));
    if (t < end_of_load) push(t, Kind::kArrival, static_cast<uint32_t>(svc));
  }

  // Processor sharing as engine/processor_sharing_cpu.cpp does it.
  static double share(const Backend& b) { return std::min(1.0, kBackendCores / static_cast<double>(b.jobs.size())); }
  void advance(Backend& b) {
    if (b.jobs.empty()) b.work = 0;
    else b.work += (now - b.updated) * share(b);
    b.updated = now;
  }
  void arm(uint32_t bi) {
    Backend& b = backends[bi];
    if (b.jobs.empty()) return;
    double t = b.updated + std::max(0.0, b.jobs.front().tag - b.work) / share(b);
    if (b.armed_at <= t) return;
    b.armed_at = t;
    push(t, Kind::kCpuCheck, bi, ++b.gen);
  }
  void cpu_check(uint32_t bi, uint32_t gen) {
    Backend& b = backends[bi];
    if (gen != b.gen) return;
    b.armed_at = 1e300;
    advance(b);
    const double due = b.work + 1e-9 * share(b);
    while (!b.jobs.empty() && b.jobs.front().tag <= due) {
      std::pop_heap(b.jobs.begin(), b.jobs.end(), job_later);
      uint32_t r = b.jobs.back().req;
      b.jobs.pop_back();
      push(now + hops.reply[requests[r].service], Kind::kReplied, r);
    }
    arm(bi);
  }

  void handle(const Event& e) {
    switch (e.kind) {
      case Kind::kArrival: {
        schedule_arrival(static_cast<int>(e.id));
        uint32_t r = acquire();
        requests[r].service = static_cast<int>(e.id);
        requests[r].t_start = now;
        push(now + hops.to_lb[e.id], Kind::kAtBalancer, r);
        break;
      }
      case Kind::kAtBalancer: {
        Request& r = requests[e.id];
        r.backend = static_cast<int>(rr++ % backends.size());
        push(now + hops.to_backend[r.service], Kind::kAtBackend, e.id);
        break;
      }
      case Kind::kAtBackend: {
        Request& r = requests[e.id];
        Backend& b = backends[static_cast<size_t>(r.backend)];
        double seconds = cpu_rng[static_cast<size_t>(r.service)].exponential(kServices[r.service].cpu_mean);
        advance(b);
        b.jobs.push_back({b.work + seconds, seq++, e.id});
        std::push_heap(b.jobs.begin(), b.jobs.end(), job_later);
        arm(static_cast<uint32_t>(r.backend));
        break;
      }
      case Kind::kCpuCheck: cpu_check(e.id, e.gen); break;
      case Kind::kReplied:
        ++finished;
        latency_sum += now - requests[e.id].t_start;
        free.push_back(e.id);
        break;
    }
  }

  void run(double until) {
    while (!heap.empty() && heap.front().t <= until) {
      std::pop_heap(heap.begin(), heap.end(), later);
      Event e = heap.back();
      heap.pop_back();
      now = e.t;
      ++events;
      handle(e);
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  Loop l;
  l.end_of_load = arg_value(argc, argv, "--duration", 600);
  l.rate = arg_value(argc, argv, "--rate", 2000);
  const int n_backends = static_cast<int>(arg_value(argc, argv, "--backends", 2));
  if (l.end_of_load <= 0 || l.rate <= 0 || n_backends < 1) {
    std::fprintf(stderr, "usage: event_loop_limit [--duration SECONDS] [--rate REQUESTS_PER_S] [--backends N]\n");
    return 2;
  }
  l.backends.resize(static_cast<size_t>(n_backends));
  for (int s = 0; s < 2; ++s) {
    l.arrival_rng.emplace_back(1, "load." + std::to_string(s));
    l.cpu_rng.emplace_back(1, "cpu." + std::to_string(s));
  }
  for (int s = 0; s < 2; ++s) l.schedule_arrival(s);

  auto w0 = std::chrono::steady_clock::now();
  l.run(l.end_of_load + kClientTimeout);
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();

  std::printf("event_loop_limit: %.0f s simulated, %.0f requests/s offered, %d backends, %llu events, mean latency %.3f ms\n",
              l.end_of_load, l.rate, n_backends, static_cast<unsigned long long>(l.events),
              l.finished ? 1e3 * l.latency_sum / static_cast<double>(l.finished) : 0);
  std::fprintf(stderr, "%llu requests simulated in %.3f s wall (%.0f requests/s)\n",
               static_cast<unsigned long long>(l.finished), wall,
               wall > 0 ? static_cast<double>(l.finished) / wall : 0);
  return 0;
}
