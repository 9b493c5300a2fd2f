#include "engine/disk.hpp"

#include <algorithm>

namespace mailsim::engine {

double Disk::submit(double now, const DiskOp& op) {
  const double slowdown = platform_.disk_slowdown(node_);
  const double s = core::disk_occupancy(f_, op) * slowdown;
  const double start = std::max(now, free_at_);
  free_at_ = start + s;
  // Metering: the wait [now, start) as one queued item, the service [start, start + s) with
  // the whole device busy; the queue seen now (operations not yet started, this one included).
  while (!waiting_.empty() && waiting_.front() <= now) waiting_.pop_front();
  if (start > now) {
    waiting_.push_back(start);
    meter_.add_interval(now, start, 0, 1);
    meter_.note_queue(static_cast<double>(waiting_.size()));
  }
  if (s > 0) meter_.add_interval(start, start + s, meter_.info().capacity, 0);
  meter_.add_served(start);
  return start + std::max(s, core::disk_latency(f_, op) * slowdown);
}

Disk& Disks::open(NodeId node, const std::string& node_name, const std::string& disk, const DiskFigures& f) {
  auto key = std::make_pair(node, disk);
  auto it = disks_.find(key);
  if (it != disks_.end()) return it->second;
  ResourceMeter& meter = resources_.add({node_name + "." + disk, "disk", node_name, std::nullopt, f.write_iops, "IO/s"});
  return disks_.try_emplace(key, f, meter, platform_, node).first->second;
}

}  // namespace mailsim::engine
