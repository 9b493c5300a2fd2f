#pragma once
// What every finite resource of a run did (issue 15): node CPUs, worker pools, connection
// pools, disks, links. Each has a ResourceMeter that its owner tells when the number of
// units in use (`busy`, in the resource's capacity unit) or the number waiting (`queue`)
// changes, and when an item starts service (`served`). The meter integrates both levels over
// time, per series window and for the run:
//  - utilisation = busy time integral / (capacity x measured time): the mean busy fraction;
//  - peak_utilisation = the largest window's utilisation;
//  - mean_queue = queue time integral / measured time, max_queue its largest level;
//  - mean_wait_s = queue time integral / served (Little's law, L_q = lambda W_q: exact when
//    the queue is empty at both ends of the measured time; no per-request state).
// Totals are measured over the scenario's load, [0, duration) (or the end of a run stopped
// early); the series goes on to the run's end, so a queue draining after the load shows.
// Cost: O(1) per level change (plus one step per window boundary crossed), no allocation per
// request; memory grows only by one window (two doubles and a count) per series window.
#include <algorithm>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mailsim::engine {

struct ResourceInfo {
  std::string name;       // unique: "<node>.cpu", "<node>.<component>.<op>", "backbone", ...
  std::string kind;       // cpu, workers, pool, disk, link
  std::optional<std::string> node;       // the node it belongs to; none for a shared link
  std::optional<std::string> component;  // the component it belongs to; none for a node's own
  double capacity = 1;    // in `unit`
  std::string unit;       // cores, workers, connections, B/s, IO/s
};

class ResourceMeter {
 public:
  ResourceMeter(ResourceInfo info, double window);

  // From `now` on, `busy` units are in use and `queue` items wait (both >= 0).
  void update(double now, double busy, double queue);
  // An item started service at `now` (for the mean wait).
  void served(double now);

  // For a resource whose schedule is known when an item arrives (a FIFO link): `busy` units
  // in use and `queue` items waiting over [from, to), which may lie ahead of the clock; an
  // item that starts service at `at`; a queue of `n` seen. Not mixed with update() on one meter.
  void add_interval(double from, double to, double busy, double queue);
  void add_served(double at);
  void note_queue(double n) { max_queue_ = std::max(max_queue_, n); }

  const ResourceInfo& info() const { return info_; }
  // The run-result entry (docs/architecture.md "Resources"): totals over [0, measured_end),
  // series to run_end (trailing idle windows trimmed).
  nlohmann::json to_json(double measured_end, double run_end);

 private:
  struct Window {
    double busy = 0;   // integral of busy units over the window
    double queue = 0;  // integral of the queue length over the window
    uint32_t served = 0;
  };
  void advance(double now);
  Window& current();
  Window& at_index(size_t i);

  ResourceInfo info_;
  double window_;
  std::vector<Window> windows_;
  double t_ = 0;          // integrated up to here
  size_t index_ = 0;      // the window t_ is in
  double index_end_;      // its end
  double busy_ = 0, queue_ = 0, max_queue_ = 0;
};

// The run's resources. Meters keep their addresses (owners hold pointers to them).
class Resources {
 public:
  explicit Resources(double window) : window_(window) {}
  ResourceMeter& add(ResourceInfo info);

  // "resources" sorted by peak utilisation (descending), then name, and "bottleneck":
  // the first when its peak reaches kBottleneckPeak, else null.
  nlohmann::json to_json(double measured_end, double run_end);
  size_t size() const { return meters_.size(); }

  static constexpr double kBottleneckPeak = 0.5;

 private:
  double window_;
  std::deque<ResourceMeter> meters_;
};

}  // namespace mailsim::engine
