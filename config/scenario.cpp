#include "config/scenario.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "config/domain.hpp"
#include "config/yaml_reader.hpp"

namespace mailsim::config {

double LoadSpec::rate_at(double t) const {
  switch (profile) {
    case Profile::kConstant: return rate.per_s;
    case Profile::kStep: {
      double r = rate.per_s;
      for (const auto& s : steps)
        if (t >= s.at.seconds) r = s.rate.per_s;
      return r;
    }
    case Profile::kDiurnal:
      return rate.per_s * (1 + (diurnal_peak_ratio - 1) * std::cos(2 * M_PI * (t + diurnal_offset_s) / 86400.0));
    case Profile::kRamp: {
      if (t <= ramp_start.seconds) return rate.per_s;
      if (t >= ramp_end.seconds) return ramp_to.per_s;
      double f = (t - ramp_start.seconds) / (ramp_end.seconds - ramp_start.seconds);
      return rate.per_s + f * (ramp_to.per_s - rate.per_s);
    }
  }
  return rate.per_s;
}

double LoadSpec::max_rate() const {
  double m = rate.per_s;
  for (const auto& s : steps) m = std::max(m, s.rate.per_s);
  if (profile == Profile::kRamp) m = std::max(m, ramp_to.per_s);
  if (profile == Profile::kDiurnal) m = rate.per_s * diurnal_peak_ratio;
  return m;
}

double LoadSpec::expected_requests(double duration) const {
  // Midpoint rule: exact for constant rates, close for steps, ramps and the diurnal cosine.
  constexpr int kSamples = 1000;
  double sum = 0;
  for (int i = 0; i < kSamples; ++i) sum += rate_at((i + 0.5) * duration / kSamples);
  return sum / kSamples * duration * (session ? session->commands : 1);
}

double Scenario::expected_requests() const {
  double n = 0;
  for (const auto& l : load) n += l.expected_requests(duration.seconds);
  return n;
}

std::string FaultTarget::describe() const {
  if (!model.empty()) return role.empty() ? "model " + model : "role " + role + " (model " + model + ")";
  if (!role.empty()) return "role " + role;
  if (!component.empty()) return node.empty() ? "component " + component : "component " + component + " on " + node;
  return "node " + node;
}

std::string FaultSpec::kind_name() const {
  switch (kind) {
    case Kind::kCrash: return "crash";
    case Kind::kStop: return "stop";
    case Kind::kPartition: return "partition";
    case Kind::kDegrade: return "degrade";
    case Kind::kSlowDisk: return "slow_disk";
    case Kind::kSwitchover: return "switchover";
  }
  return "?";
}

namespace {

// The domains of a scenario's numbers (docs/formats.md, "Domains"). The longest run is ten
// years of simulated time; rates, timeouts and windows are bounded far beyond a real mail
// cluster's, so that no timer of a run can overflow or fire forever at one instant.
struct ScenarioDomains {
  CheckedDomain duration = parse_domain<core::Duration>(above("0s", "3650d"), "a scenario's duration");
  CheckedDomain time = parse_domain<core::Duration>(range("0s", "3650d"), "a time in a scenario");
  CheckedDomain rate = parse_domain<core::Rate>(range("0/s", "1e6/s"), "a load rate");
  CheckedDomain timeout = parse_domain<core::Duration>(above("0s", "1d"), "a client timeout");
  // Linux TCP: the retransmission timeout is at most TCP_RTO_MAX = 120 s (include/net/tcp.h).
  CheckedDomain rto = parse_domain<core::Duration>(range("1ms", "120s").because("Linux TCP_RTO_MAX"), "initial_rto");
  CheckedDomain window = parse_domain<core::Duration>(range("1ms", "1d"), "a metrics window");
  CheckedDomain think = parse_domain<core::Duration>(range("0s", "1d"), "a think time");
  CheckedDomain extra_latency = parse_domain<core::Duration>(range("0s", "10s"), "an added latency");
  CheckedDomain per_day = parse_domain<double>(range("0", "1e6"), "messages per mailbox per day");
};
const ScenarioDomains& domains() {
  static const ScenarioDomains d;
  return d;
}

LoadSpec read_load(const YamlReader& r, const YAML::Node& n) {
  r.require_map(n, "a load entry");
  r.check_keys(n, {"service", "rate", "profile", "steps", "to", "ramp_start", "ramp_end", "timeout", "sender", "session"},
               "a load entry");
  LoadSpec l;
  l.mark = r.mark(n);
  YAML::Node svc = r.required(n, "service", "a load entry");
  l.service = r.as_name(svc);
  l.service_mark = r.mark(svc);
  const CheckedDomain& rate = domains().rate;
  const CheckedDomain& time = domains().time;
  l.rate = read_in<core::Rate>(r, r.required(n, "rate", "load of " + l.service), rate, "rate");
  std::string profile = n["profile"] ? r.as_choice(n["profile"], {"constant", "step", "ramp"}) : "constant";
  auto forbid = [&](const char* key) {
    if (n[key]) r.fail(n[key], fmt::format("'{}' does not apply to profile '{}'", key, profile));
  };
  if (profile == "constant") {
    for (auto k : {"steps", "to", "ramp_start", "ramp_end"}) forbid(k);
  } else if (profile == "step") {
    l.profile = LoadSpec::Profile::kStep;
    for (auto k : {"to", "ramp_start", "ramp_end"}) forbid(k);
    YAML::Node steps = r.required(n, "steps", "a step profile");
    r.require_sequence(steps, "steps");
    double last = -1;
    for (const auto& s : steps) {
      r.require_map(s, "a rate step");
      r.check_keys(s, {"at", "rate"}, "a rate step");
      RateStep st{read_in<core::Duration>(r, r.required(s, "at", "a rate step"), time, "at"),
                  read_in<core::Rate>(r, r.required(s, "rate", "a rate step"), rate, "rate")};
      if (st.at.seconds <= last) r.fail(s["at"], "rate steps must be in increasing order of 'at'");
      last = st.at.seconds;
      l.steps.push_back(st);
    }
  } else {
    l.profile = LoadSpec::Profile::kRamp;
    forbid("steps");
    l.ramp_to = read_in<core::Rate>(r, r.required(n, "to", "a ramp profile"), rate, "to");
    l.ramp_start = read_in<core::Duration>(r, r.required(n, "ramp_start", "a ramp profile"), time, "ramp_start");
    l.ramp_end = read_in<core::Duration>(r, r.required(n, "ramp_end", "a ramp profile"), time, "ramp_end");
    if (l.ramp_end.seconds <= l.ramp_start.seconds) r.fail(n["ramp_end"], "ramp_end must be after ramp_start");
  }
  if (YAML::Node s = n["session"]) {
    r.require_map(s, "session");
    r.check_keys(s, {"commands", "think", "users"}, "session");
    LoadSpec::Session se;
    se.commands = static_cast<int>(r.as_number(r.required(s, "commands", "session"), 1, 1e6));
    if (s["think"]) se.think = read_distribution(r, s["think"], domains().think, "the think time's mean");
    if (s["users"]) se.users = static_cast<int64_t>(r.as_number(s["users"], 1, 1e9));
    if (n["sender"]) r.fail(s, "a load entry is either MTA senders (`sender`) or client sessions (`session`), not both");
    l.session = se;
  }
  if (YAML::Node sender = n["sender"]) {
    // `sender: postfix` takes Postfix's defaults; a map overrides some of them.
    if (sender.IsScalar()) {
      r.as_choice(sender, {"postfix"});
      l.sender = sender_params().parse(YAML::Node(), r);
    } else {
      l.sender = sender_params().parse(sender, r);
    }
  }
  if (n["timeout"]) l.timeout = read_in<core::Duration>(r, n["timeout"], domains().timeout, "timeout");
  return l;
}

// Reads node/role (and component, for stop) from a fault's map; `what` names the fault
// and `keys` are all keys that map may hold.
FaultTarget read_target(const YamlReader& r, const YAML::Node& n, const std::string& what,
                        const std::vector<std::string>& keys, bool component_instance) {
  r.require_map(n, what);
  r.check_keys(n, keys, what);
  FaultTarget t;
  t.mark = r.mark(n);
  // A stop by `model` + `role` stops that model's first component (bind_fault names it).
  if (component_instance && n["model"] && n["component"])
    r.fail(n["component"], "give either 'component' or 'model' + 'role', not both");
  if (component_instance && !n["model"]) t.component = r.as_name(r.required(n, "component", what));
  if (n["node"] && n["role"]) r.fail(n, "give either 'node' or 'role', not both");
  if (n["model"]) {
    if (!n["role"]) r.fail(n["model"], "'model' goes with 'role', e.g. {model: etcd, role: leader}");
    t.model = r.as_name(n["model"]);
    t.role = r.as_name(n["role"]);
  } else if (n["node"]) t.node = r.as_name(n["node"]);
  else if (n["role"]) {
    t.role = r.as_string(n["role"]);
    auto dot = t.role.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == t.role.size())
      r.fail(n["role"], fmt::format("'{}' is not a role: write COMPONENT.ROLE, e.g. front_lb.vip_holder", t.role));
  } else
    r.fail(n, what + " needs 'node' or 'role'");
  return t;
}

FaultSpec read_fault(const YamlReader& r, const YAML::Node& n) {
  r.require_map(n, "a fault");
  r.check_keys(n, {"at", "for", "crash", "stop", "partition", "degrade", "slow_disk", "switchover"}, "a fault");
  FaultSpec f;
  f.mark = r.mark(n);
  f.at = read_in<core::Duration>(r, r.required(n, "at", "a fault"), domains().time, "at");
  if (n["for"]) f.duration = read_in<core::Duration>(r, n["for"], domains().duration, "'for'");
  int kinds = 0;
  for (auto k : {"crash", "stop", "partition", "degrade", "slow_disk", "switchover"}) kinds += n[k] ? 1 : 0;
  if (kinds != 1) r.fail(n, "a fault needs exactly one of: crash, stop, partition, degrade, slow_disk, switchover");
  if (n["crash"]) {
    f.kind = FaultSpec::Kind::kCrash;
    f.target = read_target(r, n["crash"], "crash", {"node", "role", "model"}, false);
  } else if (n["stop"]) {
    f.kind = FaultSpec::Kind::kStop;
    f.target = read_target(r, n["stop"], "stop", {"component", "node", "role", "model"}, true);
  } else if (n["switchover"]) {
    f.kind = FaultSpec::Kind::kSwitchover;
    if (n["for"]) r.fail(n["for"], "a switchover is a one-off operation: it takes no 'for'");
    YAML::Node d = n["switchover"];
    r.require_map(d, "switchover");
    r.check_keys(d, {"component", "model", "to"}, "switchover");
    f.target.mark = r.mark(d);
    if (d["component"] && d["model"]) r.fail(d, "give either 'component' or 'model', not both");
    if (d["component"]) f.target.component = r.as_name(d["component"]);
    else if (d["model"]) f.target.model = r.as_name(d["model"]);
    else r.fail(d, "switchover needs 'component' or 'model'");
    if (d["to"]) f.target.node = r.as_name(d["to"]);
  } else if (n["slow_disk"]) {
    f.kind = FaultSpec::Kind::kSlowDisk;
    YAML::Node d = n["slow_disk"];
    f.target = read_target(r, d, "slow_disk", {"node", "role", "model", "factor"}, false);
    YAML::Node factor = r.required(d, "factor", "slow_disk");
    f.disk_factor = r.as_number(factor, 1, 1e6);  // how many times slower
  } else if (n["degrade"]) {
    f.kind = FaultSpec::Kind::kDegrade;
    YAML::Node d = n["degrade"];
    f.target = read_target(r, d, "degrade", {"node", "role", "model", "latency", "loss"}, false);
    if (d["latency"]) f.extra_latency = read_in<core::Duration>(r, d["latency"], domains().extra_latency, "latency");
    if (d["loss"]) f.loss = r.as_fraction(d["loss"]);
    if (!d["latency"] && !d["loss"]) r.fail(d, "degrade needs 'latency', 'loss' or both");
  } else {
    f.kind = FaultSpec::Kind::kPartition;
    YAML::Node p = n["partition"];
    r.require_map(p, "partition");
    r.check_keys(p, {"between", "one_way"}, "partition");
    YAML::Node between = r.required(p, "between", "partition");
    r.require_sequence(between, "between");
    if (between.size() != 2) r.fail(between, "a partition is 'between' exactly two groups of nodes");
    for (const auto& g : between) {
      if (g.IsMap()) {  // {zone: NAME}: every node of that zone
        r.check_keys(g, {"zone"}, "a partition group");
        f.group_zones.push_back(r.as_name(r.required(g, "zone", "a partition group")));
        f.groups.emplace_back();
        continue;
      }
      auto names = r.as_name_list(g);
      if (names.empty()) r.fail(g, "a partition group must name at least one node");
      f.groups.push_back(names);
      f.group_zones.emplace_back();
    }
    if (p["one_way"]) f.one_way = r.as_bool(p["one_way"]);
  }
  return f;
}

// One `expect:` entry: a string such as "p99(imap) < 800ms". An error inside it points at
// the offending character: the scalar's column plus the offset, past the opening quote
// of a quoted scalar. A quoted scalar with escapes, or one folded over several lines, has
// no such simple mapping: errors then point at the scalar's start.
Expectation read_expectation(const YamlReader& r, const YAML::Node& n, const std::string& text) {
  std::string value = r.as_string(n);
  core::SourceMark start = r.mark(n);
  YAML::Mark m = n.Mark();
  size_t skip = 0;
  bool exact = true;
  if (m.pos >= 0 && static_cast<size_t>(m.pos) < text.size()) {
    char c = text[static_cast<size_t>(m.pos)];
    if (c == '"' || c == '\'') skip = 1;
    exact = text.compare(static_cast<size_t>(m.pos) + skip, value.size(), value) == 0;
  }
  return parse_expectation(value, [&](size_t offset) {
    core::SourceMark at = start;
    if (exact && at.line > 0) at.col += static_cast<int>(skip + offset);
    return at;
  });
}

}  // namespace

// `population:` turns a number of mailboxes and per-mailbox daily rates into one diurnal
// load per service (docs/formats.md). The peak-to-average ratio of 2 is the "peak average
// multiplication factor" default of Microsoft's Exchange Server Role Requirements
// Calculator; daily rates have no universal default (Exchange's planning profiles run from
// 50 to 500 messages per mailbox per day), so the user gives them.
std::vector<LoadSpec> read_population(const YamlReader& r, const YAML::Node& n) {
  r.require_map(n, "population");
  r.check_keys(n, {"mailboxes", "per_mailbox_per_day", "peak_to_average", "start_after_peak"}, "population");
  double mailboxes = static_cast<double>(r.as_int(r.required(n, "mailboxes", "population"), 1, 1'000'000'000));
  double ratio = n["peak_to_average"] ? r.as_number(n["peak_to_average"], 1, 2) : 2.0;
  double offset = n["start_after_peak"]
                      ? read_in<core::Duration>(r, n["start_after_peak"], domains().time, "start_after_peak").seconds
                      : 0.0;
  YAML::Node rates = r.required(n, "per_mailbox_per_day", "population");
  r.require_map(rates, "per_mailbox_per_day");
  std::vector<LoadSpec> out;
  for (auto it = rates.begin(); it != rates.end(); ++it) {
    LoadSpec l;
    YAML::Node key = it->first;
    l.service = r.as_name(key);
    l.service_mark = r.mark(key);
    l.mark = r.mark(key);
    l.profile = LoadSpec::Profile::kDiurnal;
    const double per_day = read_in<double>(r, it->second, domains().per_day, "per_mailbox_per_day." + l.service);
    l.rate = core::Rate{mailboxes * per_day / 86400.0};
    // The mean rate the population makes must itself be a valid load rate.
    domains().rate.value(l.rate.per_s, fmt::format("{:g}/s", l.rate.per_s),
                         fmt::format("the mean rate of {} ({:g} mailboxes x {:g} per day)", l.service, mailboxes, per_day),
                         it->second, r);
    l.diurnal_peak_ratio = ratio;
    l.diurnal_offset_s = offset;
    out.push_back(l);
  }
  return out;
}

Scenario parse_scenario(const std::string& text, const std::string& file) {
  YamlReader r(file);
  YAML::Node root = r.load_string(text);
  return parse_scenario(root, r);
}

Scenario parse_scenario(const YAML::Node& root, const YamlReader& r) {
  const std::string& file = r.file();
  r.require_map(root, "a scenario");
  r.check_keys(root, {"name", "description", "duration", "seed", "client", "load", "faults", "metrics", "expect", "population"}, "a scenario");
  Scenario s;
  s.file = file;
  s.name = r.as_name(r.required(root, "name", "the scenario"));
  if (root["description"]) s.description = r.as_string(root["description"]);
  YAML::Node dur = r.required(root, "duration", "the scenario");
  s.duration = read_in<core::Duration>(r, dur, domains().duration, "duration");
  if (root["seed"]) s.seed = static_cast<uint64_t>(r.as_int(root["seed"], 0, INT64_MAX));
  YAML::Node client = r.required(root, "client", "the scenario");
  r.require_map(client, "client");
  r.check_keys(client, {"timeout", "syn_retries", "initial_rto"}, "client");
  YAML::Node timeout = r.required(client, "timeout", "client");
  s.client_timeout = read_in<core::Duration>(r, timeout, domains().timeout, "the client timeout");
  if (client["syn_retries"]) s.syn_retries = static_cast<int>(r.as_int(client["syn_retries"], 0, 20));
  if (client["initial_rto"]) s.initial_rto = read_in<core::Duration>(r, client["initial_rto"], domains().rto, "initial_rto");
  // One-second windows by default: the resolution the per-second series asks for.
  s.window = core::Duration{1};
  s.incidents = incident_params().parse(YAML::Node(), r);
  if (YAML::Node m = root["metrics"]) {
    r.require_map(m, "metrics");
    r.check_keys(m, {"window", "incidents"}, "metrics");
    if (YAML::Node inc = m["incidents"]) {
      s.incidents = incident_params().parse(inc, r);
      if (s.incidents.down_below.value > s.incidents.min_success.value)
        r.fail(inc["down_below"] ? inc["down_below"] : inc["min_success"], "down_below must not exceed min_success");
    }
    if (m["window"]) s.window = read_in<core::Duration>(r, m["window"], domains().window, "the metrics window");
  }
  if (!root["load"] && !root["population"]) r.fail(root, "the scenario needs 'load', 'population' or both");
  if (YAML::Node load = root["load"]) {
    r.require_sequence(load, "load");
    for (const auto& l : load) s.load.push_back(read_load(r, l));
  }
  if (YAML::Node pop = root["population"])
    for (auto& l : read_population(r, pop)) s.load.push_back(std::move(l));
  for (size_t i = 0; i < s.load.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (s.load[i].service == s.load[j].service)
        throw core::InputError(s.load[i].service_mark, fmt::format("service '{}' has two load entries", s.load[i].service));
  if (YAML::Node faults = root["faults"]) {
    r.require_sequence(faults, "faults");
    for (const auto& f : faults) {
      s.faults.push_back(read_fault(r, f));
      if (s.faults.back().at.seconds > s.duration.seconds)
        r.fail(f["at"], "this fault starts after the end of the scenario");
    }
  }
  if (YAML::Node expect = root["expect"]) {
    r.require_sequence(expect, "expect");
    for (const auto& x : expect) s.expectations.push_back(read_expectation(r, x, r.text()));
  }
  return s;
}

Scenario load_scenario(const std::string& file) { return parse_scenario(read_text_file(file), file); }

Scenario bind_to_topology(const Scenario& s, const Topology& t) {
  Scenario out = s;
  for (auto& f : out.faults) f = bind_fault(f, t);
  return out;
}

FaultSpec bind_fault(const FaultSpec& in, const Topology& t) {
  FaultSpec f = in;
  if (!f.target.model.empty() && f.kind == FaultSpec::Kind::kSwitchover) {
    for (const auto& c : t.components)
      if (c.model == f.target.model) {
        f.target.component = c.name;
        break;
      }
  } else if (!f.target.model.empty()) {
    const std::string role = f.target.role;
    f.target.role.clear();
    for (const auto& c : t.components)
      if (c.model == f.target.model) {
        f.target.role = c.name + "." + role;
        if (f.kind == FaultSpec::Kind::kStop) f.target.component = c.name;
        break;
      }
  }
  for (size_t g = 0; g < f.group_zones.size(); ++g)
    if (!f.group_zones[g].empty())
      for (const auto& n : t.nodes)
        if (n.zone == f.group_zones[g]) f.groups[g].push_back(n.name);
  return f;
}

}  // namespace mailsim::config
