// mailsim_bench: Google Benchmark over the engine-free parts of the request path, the
// pieces mailsim runs per request or per model event that need no SimGrid engine
// (docs/performance.md). Whole simulations are timed by scripts/bench.sh in child
// processes instead: SimGrid allows one engine per process (SIMGRID-NOTES.md).
//
// items_per_second is the figure to read: one item is one add, one quantile, one draw,
// one request (arrival + outcome), one logic event, or one parse.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "models/vip_balancer/haproxy_check_logic.hpp"
#include "models/vip_balancer/vip_balancer_params.hpp"
#include "models/common/vrrp_logic.hpp"
#include "config/topology.hpp"
#include "core/distribution.hpp"
#include "core/rng.hpp"
#include "engine/histogram.hpp"
#include "engine/service_metrics.hpp"

namespace {

using mailsim::core::RngStream;
using mailsim::engine::Histogram;
using mailsim::engine::Outcome;
using mailsim::engine::ServiceMetrics;
using mailsim::models::CheckChange;
using mailsim::models::CheckConfig;
using mailsim::models::HaproxyCheckLogic;
using mailsim::models::VrrpConfig;
using mailsim::models::VrrpLogic;

// Latencies shaped like the lb-pair runs' (p50 ~6 ms, p99 ~20 ms): lognormal, mean 7 ms.
std::vector<double> latency_samples(size_t n) {
  RngStream rng(1, "bench.latency");
  std::vector<double> v(n);
  for (auto& x : v) x = rng.lognormal_with_mean(0.007, 0.6);
  return v;
}

// ---------------------------------------------------------------------------- Histogram

void BM_HistogramAdd(benchmark::State& st) {
  const auto v = latency_samples(4096);
  Histogram h;
  size_t i = 0;
  for (auto _ : st) h.add(v[i++ & 4095]);
  benchmark::DoNotOptimize(h.count());
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_HistogramAdd);

// quantile() scans the buckets up to the rank: p50 stops early, p999 near the top of the
// occupied range; both are per-report costs, not per-request ones.
void BM_HistogramQuantile(benchmark::State& st) {
  const auto v = latency_samples(1 << 16);
  Histogram h;
  for (double x : v) h.add(x);
  const double q = static_cast<double>(st.range(0)) / 1000.0;
  for (auto _ : st) benchmark::DoNotOptimize(h.quantile(q));
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_HistogramQuantile)->Arg(500)->Arg(990)->Arg(999);

void BM_HistogramMerge(benchmark::State& st) {
  const auto v = latency_samples(4096);
  Histogram a, b;
  for (double x : v) b.add(x);
  for (auto _ : st) a.merge(b);
  benchmark::DoNotOptimize(a.count());
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_HistogramMerge);

// ----------------------------------------------------------------------- ServiceMetrics

// One request as ServiceMetrics sees it: an arrival, then (unless it never answers) an
// outcome. A recorded stream of such calls is replayed so that outcomes arrive out of
// order, as in a run, and the reorder window holds what a run's would.
struct MetricsOp {
  bool arrival;
  uint32_t request;  // index in arrival order: its seq, as the replay starts at 0
  double t;
  Outcome outcome;
};

// Poisson arrivals at `rate`/s; lognormal latencies; a fraction `lost` never answers and
// resolves as a timeout when the window slides past it (flush).
std::vector<MetricsOp> metrics_stream(size_t requests, double rate, double lost) {
  RngStream rng(1, "bench.metrics");
  std::vector<MetricsOp> ops;
  ops.reserve(2 * requests);
  double t = 0;
  for (uint32_t i = 0; i < requests; ++i) {
    t += rng.exponential(1.0 / rate);
    ops.push_back({true, i, t, Outcome::kOk});
    if (rng.bernoulli(lost)) continue;
    ops.push_back({false, i, t + rng.lognormal_with_mean(0.007, 0.6), Outcome::kOk});
  }
  std::stable_sort(ops.begin(), ops.end(),
                   [](const MetricsOp& a, const MetricsOp& b) { return a.t < b.t; });
  return ops;
}

void replay_metrics(benchmark::State& st, size_t requests, double rate, double lost) {
  const auto ops = metrics_stream(requests, rate, lost);
  const double duration = ops.back().t + 1;
  for (auto _ : st) {
    st.PauseTiming();
    auto m = std::make_unique<ServiceMetrics>(10.0, 1.0, duration);
    st.ResumeTiming();
    for (const auto& op : ops) {
      if (op.arrival)
        benchmark::DoNotOptimize(m->on_arrival(op.t));
      else
        m->on_outcome(op.request, op.outcome, op.t);
    }
    m->flush(duration, true);
    benchmark::DoNotOptimize(m->requests());
    st.PauseTiming();
    m.reset();
    st.ResumeTiming();
  }
  st.SetItemsProcessed(st.iterations() * static_cast<int64_t>(requests));
}

// 2000 requests/s, every request answered: on_arrival + on_outcome per item.
void BM_ServiceMetricsRequest(benchmark::State& st) {
  replay_metrics(st, 1 << 16, 2000, 0);
}
BENCHMARK(BM_ServiceMetricsRequest)->Unit(benchmark::kMicrosecond);

// 1% of requests black-holed (a VIP failover): each holds the reorder window open for
// the 10 s client timeout, so ~20k slots are pending behind it.
void BM_ServiceMetricsRequestLost1pct(benchmark::State& st) {
  replay_metrics(st, 1 << 16, 2000, 0.01);
}
BENCHMARK(BM_ServiceMetricsRequestLost1pct)->Unit(benchmark::kMicrosecond);

// ------------------------------------------------------------------------------- RNG

void BM_RngUniform(benchmark::State& st) {
  RngStream rng(1, "bench");
  for (auto _ : st) benchmark::DoNotOptimize(rng.uniform());
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_RngUniform);

// One per arrival (the load generator's inter-arrival time) and one per CPU step.
void BM_RngExponential(benchmark::State& st) {
  RngStream rng(1, "bench");
  for (auto _ : st) benchmark::DoNotOptimize(rng.exponential(0.004));
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_RngExponential);

void BM_RngLognormal(benchmark::State& st) {
  RngStream rng(1, "bench");
  for (auto _ : st) benchmark::DoNotOptimize(rng.lognormal_with_mean(0.004, 0.8));
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_RngLognormal);

// The CPU-demand draw as Flow::sample_cpu makes it (a Distribution over a stream).
void BM_DistributionSampleExponential(benchmark::State& st) {
  RngStream rng(1, "bench");
  const auto d = mailsim::core::parse_distribution("exponential 4ms");
  for (auto _ : st) benchmark::DoNotOptimize(d.sample(rng));
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_DistributionSampleExponential);

// Deriving a stream from (seed, name): once per component instance and load source.
void BM_RngStreamCreate(benchmark::State& st) {
  uint64_t seed = 0;
  for (auto _ : st) {
    RngStream rng(++seed, "front_lb@lb-1");
    benchmark::DoNotOptimize(rng);
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_RngStreamCreate);

// ---------------------------------------------------------------- VRRP and haproxy logic

// keepalived's defaults from vip_balancer's params table, for one router.
VrrpConfig router_config(int priority, int address) {
  VrrpConfig c = mailsim::models::vrrp_config(mailsim::models::vip_balancer_params().defaults().vrrp, 0);
  c.priority = priority;
  c.address = address;
  return c;
}

// haproxy's defaults from vip_balancer's params table.
CheckConfig default_checks() { return mailsim::models::check_config(mailsim::models::vip_balancer_params().defaults()); }

// Steady state, the master's side: the advert timer fires once per advert_int.
void BM_VrrpMasterAdvertTimer(benchmark::State& st) {
  VrrpLogic m(router_config(150, 1));
  m.startup(true);
  for (auto _ : st) benchmark::DoNotOptimize(m.on_advert_timer());
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_VrrpMasterAdvertTimer);

// Steady state, the backup's side: each advert from the master re-arms master-down.
void BM_VrrpBackupOnAdvert(benchmark::State& st) {
  VrrpLogic b(router_config(100, 2));
  b.startup(false);
  for (auto _ : st) benchmark::DoNotOptimize(b.on_advert(150, 1, 1.0));
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_VrrpBackupOnAdvert);

// A failover and a preemption back, on the backup: master-down fires (takes the VIP), then
// the higher-priority master's advert demotes it. Two events per iteration.
void BM_VrrpFailoverCycle(benchmark::State& st) {
  VrrpLogic b(router_config(100, 2));
  b.startup(false);
  for (auto _ : st) {
    benchmark::DoNotOptimize(b.on_master_down_timer());
    benchmark::DoNotOptimize(b.on_advert(150, 1, 1.0));
  }
  st.SetItemsProcessed(2 * st.iterations());
}
BENCHMARK(BM_VrrpFailoverCycle);

// Steady state: a check succeeds on a healthy server, then the next interval is chosen.
void BM_HaproxyCheckOk(benchmark::State& st) {
  HaproxyCheckLogic c(default_checks());
  for (auto _ : st) {
    benchmark::DoNotOptimize(c.on_result(true));
    benchmark::DoNotOptimize(c.next_interval());
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_HaproxyCheckOk);

// A server flapping: `fall` failures mark it DOWN, `rise` successes bring it back. One
// item is one check result (with its next_interval).
void BM_HaproxyCheckFlap(benchmark::State& st) {
  const CheckConfig cc = default_checks();
  HaproxyCheckLogic c(cc);
  const int period = cc.fall + cc.rise;
  int k = 0;
  int changes = 0;
  for (auto _ : st) {
    bool ok = k >= cc.fall;
    if (++k == period) k = 0;
    changes += c.on_result(ok) != CheckChange::kNone;
    benchmark::DoNotOptimize(c.next_interval());
  }
  benchmark::DoNotOptimize(changes);
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_HaproxyCheckFlap);

// ---------------------------------------------------------------------- topology parse

// load_topology: file read, YAML parse, typed structs, reference checks.
void BM_LoadTopologyTutorial(benchmark::State& st) {
  for (auto _ : st) {
    auto topo = mailsim::config::load_topology(MAILSIM_TUTORIAL_TOPOLOGY);
    benchmark::DoNotOptimize(topo.nodes.size());
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_LoadTopologyTutorial)->Unit(benchmark::kMicrosecond);

// The same without the file read.
void BM_ParseTopologyTutorial(benchmark::State& st) {
  std::ifstream in(MAILSIM_TUTORIAL_TOPOLOGY);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  for (auto _ : st) {
    auto topo = mailsim::config::parse_topology(text, "lb-pair.yaml");
    benchmark::DoNotOptimize(topo.nodes.size());
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_ParseTopologyTutorial)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
