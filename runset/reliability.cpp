#include "runset/reliability.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/error.hpp"
#include "core/units.hpp"

namespace mailsim::runset {

namespace {

// Two-sided 95% Student t quantile (Cornish-Fisher expansion around z = 1.959964; within
// 0.2% of the exact value from 5 degrees of freedom up).
double t95(double df) {
  const double z = 1.959963984540054;
  if (df <= 0) return INFINITY;
  double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df) +
         (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df * df * df);
}

std::string duration_text(double s) {
  if (s >= kYear && std::fmod(s, kYear) == 0) return fmt::format("{}y", s / kYear);
  if (s >= 3600 && std::fmod(s, 3600) == 0) return fmt::format("{}h", s / 3600);
  return fmt::format("{}s", s);
}
}  // namespace

double Lifetime::sample(core::RngStream& rng) const {
  switch (kind) {
    case Kind::kNone: return INFINITY;
    case Kind::kExponential: return rng.exponential(mean_s);
    case Kind::kWeibull: return scale_ * std::pow(-std::log1p(-rng.uniform()), 1.0 / shape);
    case Kind::kLognormal: return rng.lognormal_with_mean(mean_s, shape);
  }
  return INFINITY;
}

std::string Lifetime::text() const {
  switch (kind) {
    case Kind::kNone: return "none";
    case Kind::kExponential: return "exponential " + duration_text(mean_s);
    case Kind::kWeibull: return fmt::format("weibull {} {}", duration_text(mean_s), shape);
    case Kind::kLognormal: return fmt::format("lognormal {} {}", duration_text(mean_s), shape);
  }
  return "none";
}

Lifetime parse_lifetime(const std::string& text, const std::string& origin) {
  auto fail = [&](const std::string& why) {
    return core::InputError({origin, 0, 0}, fmt::format("'{}' is not a lifetime: {} (write exponential MEAN, "
                                                        "weibull MEAN SHAPE, lognormal MEAN SIGMA or none)",
                                                        text, why));
  };
  std::istringstream in(text);
  std::vector<std::string> w;
  for (std::string s; in >> s;) w.push_back(s);
  Lifetime l;
  if (w.size() == 1 && w[0] == "none") return l;
  if (w.empty()) throw fail("empty");
  if (w[0] == "exponential") l.kind = Lifetime::Kind::kExponential;
  else if (w[0] == "weibull") l.kind = Lifetime::Kind::kWeibull;
  else if (w[0] == "lognormal") l.kind = Lifetime::Kind::kLognormal;
  else throw fail("unknown distribution '" + w[0] + "'");
  size_t want = l.kind == Lifetime::Kind::kExponential ? 2 : 3;
  if (w.size() != want) throw fail(fmt::format("{} takes {} argument(s)", w[0], want - 1));
  std::string mean = w[1];
  try {
    if (!mean.empty() && mean.back() == 'y') {
      size_t used = 0;
      double years = std::stod(mean.substr(0, mean.size() - 1), &used);
      if (used != mean.size() - 1 || !(years > 0)) throw fail("bad mean '" + mean + "'");
      l.mean_s = years * kYear;
    } else {
      l.mean_s = core::parse_duration(mean).seconds;
    }
  } catch (const core::InputError&) {
    throw;
  } catch (...) {
    throw fail("bad mean '" + mean + "' (a duration: s m h d, or y for 365 d)");
  }
  if (!(l.mean_s > 0) || !std::isfinite(l.mean_s)) throw fail("the mean must be positive");
  if (want == 3) {
    size_t used = 0;
    try {
      l.shape = std::stod(w[2], &used);
    } catch (...) {
      used = 0;
    }
    if (used != w[2].size() || !(l.shape > 0) || l.shape > 20) throw fail("bad shape/sigma '" + w[2] + "' (in (0, 20])");
  }
  if (l.kind == Lifetime::Kind::kWeibull) l.scale_ = l.mean_s / std::tgamma(1 + 1 / l.shape);
  return l;
}

nlohmann::json ReliabilityModel::to_json() const {
  nlohmann::json j;
  j["nodes"] = nlohmann::json::array();
  for (size_t i = 0; i < nodes.size(); ++i)
    j["nodes"].push_back({{"name", nodes[i]},
                          {"zone", node_zone[i] >= 0 ? zones[static_cast<size_t>(node_zone[i])] : ""},
                          {"ttf", ttf[i].text()},
                          {"ttr", ttr[i].text()}});
  j["zones"] = nlohmann::json::array();
  for (size_t z = 0; z < zones.size(); ++z)
    j["zones"].push_back({{"name", zones[z]}, {"ttf", zone_ttf[z].text()}, {"ttr", zone_ttr[z].text()}});
  j["services"] = nlohmann::json::array();
  for (const auto& s : services) {
    nlohmann::json cs = nlohmann::json::array();
    for (const auto& c : s.cut_sets) {
      nlohmann::json names = nlohmann::json::array();
      for (int n : c) names.push_back(nodes[static_cast<size_t>(n)]);
      cs.push_back(names);
    }
    j["services"].push_back({{"name", s.name},
                             {"cut_sets", cs},
                             {"crash_loss_s", s.crash_loss_s},
                             {"repair_loss_s", s.repair_loss_s},
                             {"degraded_fraction", s.degraded_fraction}});
  }
  return j;
}

ReliabilityModel ReliabilityModel::from_json(const nlohmann::json& j) {
  ReliabilityModel m;
  for (const auto& z : j["zones"]) {
    m.zones.push_back(z["name"]);
    m.zone_ttf.push_back(parse_lifetime(z["ttf"], "zone ttf"));
    m.zone_ttr.push_back(parse_lifetime(z["ttr"], "zone ttr"));
  }
  for (const auto& n : j["nodes"]) {
    m.nodes.push_back(n["name"]);
    std::string zone = n["zone"];
    auto it = std::find(m.zones.begin(), m.zones.end(), zone);
    m.node_zone.push_back(zone.empty() || it == m.zones.end() ? -1 : static_cast<int>(it - m.zones.begin()));
    m.ttf.push_back(parse_lifetime(n["ttf"], "node ttf"));
    m.ttr.push_back(parse_lifetime(n["ttr"], "node ttr"));
  }
  for (const auto& s : j["services"]) {
    Service svc;
    svc.name = s["name"];
    for (const auto& c : s["cut_sets"]) {
      std::vector<int> set;
      for (const auto& n : c)
        set.push_back(static_cast<int>(std::find(m.nodes.begin(), m.nodes.end(), n.get<std::string>()) - m.nodes.begin()));
      svc.cut_sets.push_back(set);
    }
    svc.crash_loss_s = s["crash_loss_s"].get<std::vector<double>>();
    svc.repair_loss_s = s["repair_loss_s"].get<std::vector<double>>();
    svc.degraded_fraction = s["degraded_fraction"].get<std::vector<double>>();
    m.services.push_back(std::move(svc));
  }
  return m;
}

BatchResult simulate_batch(const ReliabilityModel& m, uint64_t seed, uint64_t batch, int reps, double horizon_s) {
  const size_t n = m.nodes.size(), nz = m.zones.size(), ns = m.services.size();
  core::RngStream rng(seed, "reliability.batch." + std::to_string(batch));
  BatchResult out;
  out.unavail_s.assign(ns, 0);
  out.structural_s.assign(ns, 0);
  // Per node: the (service, cut set) pairs it belongs to.
  std::vector<std::vector<std::pair<int, int>>> member(n);
  std::vector<std::vector<int>> zone_nodes(nz);
  for (size_t s = 0; s < ns; ++s)
    for (size_t c = 0; c < m.services[s].cut_sets.size(); ++c)
      for (int x : m.services[s].cut_sets[c]) member[static_cast<size_t>(x)].push_back({static_cast<int>(s), static_cast<int>(c)});
  for (size_t i = 0; i < n; ++i)
    if (m.node_zone[i] >= 0) zone_nodes[static_cast<size_t>(m.node_zone[i])].push_back(static_cast<int>(i));

  std::vector<double> next(n + nz);
  std::vector<char> own_down(n), zone_down(nz);
  std::vector<int> down_members;  // per (service, cut set), flattened
  std::vector<size_t> cs_base(ns);
  size_t total_cs = 0;
  for (size_t s = 0; s < ns; ++s) cs_base[s] = total_cs, total_cs += m.services[s].cut_sets.size();
  down_members.resize(total_cs);
  std::vector<int> full_sets(ns);
  std::vector<double> degr(ns), last(ns);
  std::vector<char> was_down(ns);

  for (int r = 0; r < reps; ++r) {
    std::fill(own_down.begin(), own_down.end(), 0);
    std::fill(zone_down.begin(), zone_down.end(), 0);
    std::fill(down_members.begin(), down_members.end(), 0);
    std::fill(full_sets.begin(), full_sets.end(), 0);
    std::fill(degr.begin(), degr.end(), 0.0);
    std::fill(last.begin(), last.end(), 0.0);
    for (size_t i = 0; i < n; ++i) next[i] = m.ttf[i].sample(rng);
    for (size_t z = 0; z < nz; ++z) next[n + z] = m.zone_ttf[z].sample(rng);

    auto accrue = [&](size_t s, double t) {
      double dt = t - last[s];
      if (full_sets[s] > 0) {
        out.unavail_s[s] += dt;
        out.structural_s[s] += dt;
      } else if (degr[s] > 0) {
        out.unavail_s[s] += dt * std::min(1.0, degr[s]);
      }
      last[s] = t;
    };
    // A node's effective state changed (down = own failure or its zone's).
    auto node_changed = [&](size_t i, bool now_down, double t) {
      for (size_t s = 0; s < ns; ++s) accrue(s, t);
      for (size_t s = 0; s < ns; ++s) was_down[s] = full_sets[s] > 0;
      for (auto [s, c] : member[i]) {
        int& d = down_members[cs_base[static_cast<size_t>(s)] + static_cast<size_t>(c)];
        int size = static_cast<int>(m.services[static_cast<size_t>(s)].cut_sets[static_cast<size_t>(c)].size());
        if (now_down) {
          if (++d == size) ++full_sets[static_cast<size_t>(s)];
        } else {
          if (d-- == size) --full_sets[static_cast<size_t>(s)];
        }
      }
      for (size_t s = 0; s < ns; ++s) {
        const auto& svc = m.services[s];
        degr[s] += now_down ? svc.degraded_fraction[i] : -svc.degraded_fraction[i];
        if (degr[s] < 1e-12) degr[s] = 0;
        bool is_down = full_sets[s] > 0;
        if (now_down && !was_down[s] && !is_down) out.unavail_s[s] += svc.crash_loss_s[i];
        if (!now_down && !is_down) out.unavail_s[s] += svc.repair_loss_s[i];
      }
    };
    auto is_down = [&](size_t i) {
      return own_down[i] || (m.node_zone[i] >= 0 && zone_down[static_cast<size_t>(m.node_zone[i])]);
    };

    while (true) {
      size_t k = 0;
      for (size_t e = 1; e < next.size(); ++e)
        if (next[e] < next[k]) k = e;
      double t = next.empty() ? INFINITY : next[k];
      if (!(t < horizon_s)) break;
      ++out.events;
      if (k < n) {
        bool before = is_down(k);
        own_down[k] = !own_down[k];
        next[k] = t + (own_down[k] ? m.ttr[k] : m.ttf[k]).sample(rng);
        if (is_down(k) != before) node_changed(k, !before, t);
      } else {
        size_t z = k - n;
        std::vector<char> before;
        for (int i : zone_nodes[z]) before.push_back(is_down(static_cast<size_t>(i)));
        zone_down[z] = !zone_down[z];
        next[k] = t + (zone_down[z] ? m.zone_ttr[z] : m.zone_ttf[z]).sample(rng);
        for (size_t q = 0; q < zone_nodes[z].size(); ++q) {
          size_t i = static_cast<size_t>(zone_nodes[z][q]);
          if (is_down(i) != static_cast<bool>(before[q])) node_changed(i, !before[q], t);
        }
      }
    }
    for (size_t s = 0; s < ns; ++s) accrue(s, horizon_s);
  }
  // Losses charged at a failure just before the horizon can exceed it; cap per batch.
  for (size_t s = 0; s < ns; ++s) out.unavail_s[s] = std::min(out.unavail_s[s], reps * horizon_s);
  return out;
}

nlohmann::json outage_profile(const nlohmann::json& run, const nlohmann::json& baseline,
                              const std::vector<std::string>& services, double at_s, double for_s, double tail_s) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& s : services) {
    if (!run["services"].contains(s) || !baseline["services"].contains(s)) continue;
    const auto& sr = run["services"][s]["series"];
    const auto& sb = baseline["services"][s]["series"];
    double w = sr.value("window_s", 1.0);
    // Sums of requests and failed over windows starting in [from, to).
    auto sums = [&](const nlohmann::json& series, double from, double to, double* req, double* failed) {
      *req = 0;
      *failed = 0;
      for (size_t i = 0; i < series["requests"].size(); ++i) {
        double t = static_cast<double>(i) * w;
        if (t + 1e-9 < from || t >= to - 1e-9) continue;
        *req += series["requests"][i].get<double>();
        *failed += series["failed"][i].get<double>();
      }
    };
    const double a0 = std::floor(at_s / w) * w, a1 = std::floor((at_s + for_s) / w) * w + w;  // crash phase
    const double end = 1e18;
    double reqA, failA, breqA, bfailA, reqB, failB, breqB, bfailB, reqT, failT, breqT, bfailT;
    sums(sr, a0, a1, &reqA, &failA);
    sums(sb, a0, a1, &breqA, &bfailA);
    sums(sr, a1, end, &reqB, &failB);
    sums(sb, a1, end, &breqB, &bfailB);
    sums(sr, a1 - tail_s, a1, &reqT, &failT);
    sums(sb, a1 - tail_s, a1, &breqT, &bfailT);
    double rateA = breqA > 0 ? breqA / (a1 - a0) : 0;  // requests per second, baseline
    double tail_avail = reqT > 0 ? 1 - failT / reqT : 1;
    double base_tail = breqT > 0 ? 1 - bfailT / breqT : 1;
    bool down = tail_avail < 0.5;
    double degraded = down ? 0 : std::max(0.0, base_tail - tail_avail);
    if (degraded < 0.001) degraded = 0;  // noise of a few requests: not a lasting loss
    double excessA = std::max(0.0, failA - bfailA - degraded * reqA);
    double excessB = std::max(0.0, failB - bfailB);
    double rateB = breqB > 0 && sb["requests"].size() * w > a1 ? breqB / (sb["requests"].size() * w - a1) : rateA;
    out[s] = {{"down", down},
              {"tail_availability", tail_avail},
              {"degraded_fraction", degraded},
              {"crash_loss_s", down || rateA <= 0 ? 0.0 : excessA / rateA},
              {"repair_loss_s", rateB <= 0 ? 0.0 : excessB / rateB}};
  }
  return out;
}

nlohmann::json reliability_set(const ReliabilityModel& m, const ReliabilitySettings& s, const nlohmann::json& extra) {
  nlohmann::json j = {{"kind", "reliability"},
                      {"model", m.to_json()},
                      {"seed", s.seed},
                      {"reps", s.reps},
                      {"horizon_s", s.horizon_s},
                      {"min_batches", s.min_batches},
                      {"max_batches", s.max_batches},
                      {"chunk_batches", s.chunk_batches},
                      {"precision", s.precision},
                      {"total", (s.max_batches + s.chunk_batches - 1) / s.chunk_batches}};
  j["extra"] = extra;
  return j;
}

nlohmann::json reliability_item(const nlohmann::json& set, size_t chunk) {
  ReliabilityModel m = ReliabilityModel::from_json(set["model"]);
  const int chunk_batches = set["chunk_batches"], max_batches = set["max_batches"];
  nlohmann::json batches = nlohmann::json::array();
  for (int b = static_cast<int>(chunk) * chunk_batches; b < std::min(max_batches, static_cast<int>(chunk + 1) * chunk_batches);
       ++b) {
    BatchResult r = simulate_batch(m, set["seed"], static_cast<uint64_t>(b), set["reps"], set["horizon_s"]);
    batches.push_back({{"unavail_s", r.unavail_s}, {"structural_s", r.structural_s}, {"events", r.events}});
  }
  return {{"index", chunk}, {"batches", batches}};
}

nlohmann::json reliability_finalize(const nlohmann::json& set, const std::vector<nlohmann::json>& items, bool* complete) {
  const auto& model = set["model"];
  const size_t ns = model["services"].size();
  const double per_batch_s = set["reps"].get<double>() * set["horizon_s"].get<double>();
  const int min_batches = set["min_batches"], max_batches = set["max_batches"];
  const double precision = set["precision"];
  std::vector<double> sum(ns), sum2(ns), ssum(ns);
  uint64_t events = 0;
  int b = 0;
  bool stopped = false;
  std::string reason = "max_batches";
  auto half_width = [&](size_t s, int nb) {
    double mean = sum[s] / nb;
    double var = nb > 1 ? std::max(0.0, (sum2[s] - nb * mean * mean) / (nb - 1)) : 0;
    return t95(nb - 1) * std::sqrt(var / nb);
  };
  for (size_t c = 0; c < items.size() && !stopped; ++c) {
    MAILSIM_ASSERT(items[c]["index"].get<size_t>() == c, "reliability: chunks must come in order");
    for (const auto& batch : items[c]["batches"]) {
      for (size_t s = 0; s < ns; ++s) {
        double u = batch["unavail_s"][s].get<double>() / per_batch_s;
        sum[s] += u;
        sum2[s] += u * u;
        ssum[s] += batch["structural_s"][s].get<double>() / per_batch_s;
      }
      events += batch["events"].get<uint64_t>();
      ++b;
      if (b >= min_batches) {
        bool ok = true;
        for (size_t s = 0; s < ns; ++s)
          if (half_width(s, b) > precision * (sum[s] / b)) ok = false;
        if (ok) {
          stopped = true;
          reason = "precision";
          break;
        }
      }
      if (b >= max_batches) {
        stopped = true;
        break;
      }
    }
  }
  if (complete) *complete = stopped;
  nlohmann::json result;
  result["schema"] = "mailsim.reliability/1";
  result["model"] = model;
  for (const char* k : {"seed", "reps", "horizon_s", "min_batches", "max_batches", "precision", "extra"}) result[k] = set[k];
  result["batches"] = b;
  result["cluster_years"] = b * per_batch_s / kYear;
  result["events"] = events;
  result["stopped_by"] = stopped ? reason : "incomplete";
  nlohmann::json svcs = nlohmann::json::object();
  for (size_t s = 0; s < ns; ++s) {
    double u = b ? sum[s] / b : 0, h = b > 1 ? half_width(s, b) : INFINITY, us = b ? ssum[s] / b : 0;
    svcs[model["services"][s]["name"].get<std::string>()] = {
        {"availability", 1 - u},
        {"ci95", {std::max(0.0, 1 - u - h), std::min(1.0, 1 - u + h)}},
        {"half_width", h},
        {"downtime_min_per_year", u * 525600},
        {"structural_availability", 1 - us},
        {"failover_tax", us - u < 0 ? u - us : 0.0}};
  }
  result["services"] = svcs;
  return result;
}

double availability_single(double mttf, double mttr) { return mttf / (mttf + mttr); }

double availability_k_of_n(int k, int n, double a) {
  double total = 0;
  for (int j = k; j <= n; ++j) {
    double c = std::exp(std::lgamma(n + 1) - std::lgamma(j + 1) - std::lgamma(n - j + 1));
    total += c * std::pow(a, j) * std::pow(1 - a, n - j);
  }
  return total;
}

}  // namespace mailsim::runset
