#pragma once
// Helpers for unit tests of model shells on an engine::TestBed: no SimGrid engine, a manual
// scheduler and a processor-sharing CPU, so many cases run in one process in milliseconds.
// Windows are derived from the component's params as the topology resolves them, never
// from a measured number.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "config/params.hpp"
#include "config/scenario.hpp"
#include "config/topology.hpp"
#include "config/yaml_reader.hpp"
#include "engine/test_bed.hpp"
#include "models/registry.hpp"

namespace mailsim::testing {

// A scenario without load or faults: the test sends requests and crashes nodes itself.
// `timeout` is the clients' timeout.
inline std::string quiet_scenario(const std::string& duration, const std::string& timeout) {
  return "name: shell-test\nduration: " + duration + "\nclient: {timeout: " + timeout + "}\nload: []\n";
}

inline std::unique_ptr<engine::TestBed> test_bed(const std::string& topology_file, const std::string& scenario_yaml,
                                                 uint64_t seed = 1) {
  config::Topology topo = config::load_topology(topology_file);
  models::validate_topology(topo);
  config::Scenario scen = config::parse_scenario(scenario_yaml, "shell-test.yaml");
  models::validate_scenario(scen, topo);
  auto factory = [topo](const config::ComponentSpec& spec, engine::Context& ctx) {
    return models::create_component(spec, topo, ctx);
  };
  return std::make_unique<engine::TestBed>(std::move(topo), std::move(scen), factory, seed);
}

// The params of `component` as its topology resolves them (defaults + the YAML's values).
template <class P>
P params_of(const engine::TestBed& bed, const std::string& component, const config::ParamTable<P>& table) {
  const config::ComponentSpec* spec = bed.topology().find_component(component);
  EXPECT_NE(spec, nullptr) << component;
  return table.parse(spec->params, config::YamlReader(bed.topology().file));
}

// What a request sent with TestBed::send came to.
struct Sent {
  double at = 0;
  bool ended = false;
  engine::Outcome outcome = engine::Outcome::kTimeout;
  double end = 0;
};

// Sends one request of `service` at time t (schedules it on the bed's clock); the returned
// record fills in when it ends. Records live as long as the vector `into`.
inline void send_at(engine::TestBed& bed, double t, const std::string& service, std::vector<std::unique_ptr<Sent>>& into) {
  into.push_back(std::make_unique<Sent>());
  Sent* s = into.back().get();
  s->at = t;
  bed.sched().at(t, [&bed, service, s] {
    bed.send(service, [s](engine::Outcome o, double end) {
      s->ended = true;
      s->outcome = o;
      s->end = end;
    });
  });
}

inline double first_event_at(const engine::TestBed& bed, engine::EventKind kind, const std::string& key,
                             const std::string& value, double after = -1) {
  for (const auto& e : bed.events(kind))
    if (e.t_s > after && e.fields.value(key, "") == value) return e.t_s;
  return -1;
}

}  // namespace mailsim::testing
