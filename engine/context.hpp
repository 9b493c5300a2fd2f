#pragma once
// What a model's shell is handed: the engine services of one run, passed explicitly
// (no globals beyond SimGrid's engine). Scheduler and Cpu are interfaces: a run binds them
// to SimGrid (run.cpp), a unit test to a manual scheduler and a processor-sharing CPU
// (test_bed.hpp), so a shell runs without a SimGrid engine.
#include <cstdint>
#include <functional>
#include <string>

#include "engine/cpu.hpp"
#include "engine/disk.hpp"
#include "engine/durability_ledger.hpp"
#include "engine/event_log.hpp"
#include "engine/network.hpp"
#include "engine/platform.hpp"
#include "engine/resources.hpp"
#include "engine/scheduler.hpp"

namespace mailsim::engine {

class Flow;
class Component;
struct StepFeatures;

struct Context {
  Scheduler& sched;
  Platform& platform;
  Network& net;
  Cpu& cpu;
  EventLog& events;
  Flow& flow;
  StepFeatures& features;  // the flow's step plug-ins (step_features.hpp)
  Resources& resources;    // meters of the run's pools, disks and links (resources.hpp)
  DurabilityLedger& ledger;  // acknowledged writes and those on no surviving copy
  Disks& disks;            // the nodes' disks, shared by the components on a node (disk.hpp)
  uint64_t seed;
  // Looks a component up by name; set once all components exist (before start()).
  std::function<Component*(const std::string&)> component = {};
};

}  // namespace mailsim::engine
