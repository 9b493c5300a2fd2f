#pragma once
// The typed form of a scenario file (docs/formats.md): duration, seed, load per service,
// client behaviour and faults on a timeline.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/expectation.hpp"
#include "config/incident_params.hpp"
#include "config/sender_params.hpp"
#include "config/topology.hpp"
#include "core/error.hpp"
#include "core/units.hpp"

namespace mailsim::config {

struct RateStep {
  core::Duration at;
  core::Rate rate;
};

struct LoadSpec {
  enum class Profile { kConstant, kStep, kRamp, kDiurnal };
  std::string service;
  Profile profile = Profile::kConstant;
  core::Rate rate;                 // constant rate; the starting rate of step and ramp
  std::vector<RateStep> steps;     // step: the rate changes at each `at`
  core::Rate ramp_to;              // ramp: linear from `rate` at ramp_start to ramp_to at ramp_end
  core::Duration ramp_start, ramp_end;
  // diurnal: rate x (1 + (peak_ratio - 1) x cos(2 pi (t + offset) / 24 h)); `rate` is the
  // daily average, t = 0 is the daily peak unless offset moves it.
  double diurnal_peak_ratio = 1;
  double diurnal_offset_s = 0;
  std::optional<core::Duration> timeout;  // overrides the scenario's client timeout
  std::optional<SenderParams> sender;      // the clients are MTAs that defer and retry
  // `session:`: each arrival is a client session of `commands` requests over one
  // connection (IMAP: login, select, fetch, store ...), `think` apart; the balancer keeps
  // the connection on its server; a failed command breaks the connection and the next
  // one reconnects through the VIP. `users`: session owners, for `balance: user_hash`.
  struct Session {
    int commands = 1;
    core::Distribution think;
    int64_t users = 1000;
  };
  std::optional<Session> session;
  core::SourceMark mark;
  core::SourceMark service_mark;

  double rate_at(double t) const;  // per second
  double max_rate() const;
  // The client requests this entry makes in [0, duration), on average: arrivals (the
  // integral of rate_at) times a session's commands. An estimate for warnings and bounds.
  double expected_requests(double duration) const;
};

// Who a fault hits. Exactly one of node / role is set; role is "component.role", resolved
// when the fault fires (e.g. "front_lb.vip_holder").
struct FaultTarget {
  std::string node;
  std::string role;   // COMPONENT.ROLE
  // With `model:`, `role` names only the role, held by the topology's first component of
  // that model (bind_to_topology writes COMPONENT.ROLE), so one scenario fits topologies
  // that name their etcd `etcd` or `infraetcd`. No such component: the fault is skipped.
  std::string model;
  std::string component;  // for stop/start of one component instance
  core::SourceMark mark;
  std::string describe() const;
};

struct FaultSpec {
  // kSwitchover is a planned operation, not a fault: the operator asks the component to hand
  // its role over (patronictl switchover); target.component (or .model) names it and
  // target.node the candidate ("" = the software's choice).
  enum class Kind { kCrash, kStop, kPartition, kDegrade, kSlowDisk, kSwitchover };
  Kind kind = Kind::kCrash;
  core::Duration at;
  std::optional<core::Duration> duration;  // "for": restart/heal after; absent = permanent
  FaultTarget target;                       // crash, stop, degrade
  std::vector<std::vector<std::string>> groups;  // partition: two groups of nodes
  std::vector<std::string> group_zones;  // partition: per group, a zone standing for its nodes ("" if listed)
  bool one_way = false;                     // partition: only group 0 -> group 1 is cut
  double disk_factor = 1;                   // slow_disk: service times multiplied by it
  core::Duration extra_latency;             // degrade
  core::Fraction loss;                      // degrade
  core::SourceMark mark;
  std::string kind_name() const;
};

struct Scenario {
  std::string file;
  std::string name;
  std::string description;
  core::Duration duration;
  uint64_t seed = 1;
  core::Duration client_timeout;
  int syn_retries = 6;           // Linux net.ipv4.tcp_syn_retries default (ip-sysctl.rst)
  core::Duration initial_rto{1};  // RFC 6298 section 2.1: initial RTO of 1 s
  core::Duration window;  // time-series window
  IncidentParams incidents;  // `metrics: incidents:`: how the run result finds incidents
  std::vector<LoadSpec> load;
  std::vector<FaultSpec> faults;
  std::vector<Expectation> expectations;  // `expect:`; evaluated by reports/expectations.hpp

  // The client requests of all load entries, on average (LoadSpec::expected_requests).
  double expected_requests() const;
};

Scenario load_scenario(const std::string& file);
Scenario parse_scenario(const std::string& text, const std::string& file);
// The same from a document already loaded with `r` (r.load_string), so a file is parsed once.
Scenario parse_scenario(const YAML::Node& root, const YamlReader& r);

// The scenario with its topology-relative targets made concrete: `model:` targets become
// COMPONENT.ROLE (or stay empty when the topology has no component of that model) and
// partition zones become their nodes, in topology order.
Scenario bind_to_topology(const Scenario& s, const Topology& t);
FaultSpec bind_fault(const FaultSpec& f, const Topology& t);

}  // namespace mailsim::config
