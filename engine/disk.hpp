#pragma once
// A node's disk as a metered resource (issue 15 items 2, 3): one FIFO device whose limits
// are its IOPS and its bandwidth, with an access latency and a flush (fsync) cost. Models
// that write or read (Maildir on a mail node or an NFS export, a PostgreSQL WAL flush, a
// storage copy, a Raft log append) submit operations to the disk of their node; components
// on the same node share it (Disks: one per node and disk name).
//
// The device (docs/architecture.md "Disks"):
//  - An operation occupies the device for
//      s = max(reads / read_iops + writes / write_iops, read_bytes / read_bw + write_bytes / write_bw)
//          + fsyncs x fsync_latency
//    (its IOPS or its bandwidth, whichever binds, and a flush that drains the write cache:
//    a flush serialises, as a FLUSH CACHE / NVMe Flush command does). Operations are served
//    in arrival order, one at a time: the device is a single FIFO server, so at a fixed op
//    mix the queue is M/D/1 under Poisson arrivals.
//  - The operation completes max(s, a) after it starts, a its access latency
//    (read_latency, write_latency, plus fsync_latency per flush): an idle device answers one
//    small write in its latency, while under load its IOPS set the pace (latency overlaps
//    with the next operations, as a device with a command queue overlaps them).
//  - No event per operation: the completion time is known when the operation is submitted
//    (the caller schedules what follows it). Metering adds the wait and the busy interval
//    at submission (ResourceMeter::add_interval).
//  - Metered as kind "disk", unit IO/s: capacity is the device's write IOPS, and while it
//    serves an operation all of its capacity is in use, so utilisation is the fraction of
//    time the device is busy; queue is the operations waiting for it.
//  - A crash of the node loses the operations queued at that moment (reset); what the meter
//    already counted for them stays counted.
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>

#include "core/disk_op.hpp"
#include "engine/platform.hpp"
#include "engine/resources.hpp"

namespace mailsim::engine {

using core::DiskFigures;
using core::DiskOp;

class Disk {
 public:
  Disk(DiskFigures f, ResourceMeter& meter, const Platform& platform, NodeId node)
      : f_(f), meter_(meter), platform_(platform), node_(node) {}

  // An operation submitted at `now`: returns when it completes. Its time is scaled by the
  // node's slow_disk factor (Platform::disk_slowdown) in force now.
  double submit(double now, const DiskOp& op);
  // The node crashed: operations queued now never complete (callers check their epoch).
  void reset(double now) {
    free_at_ = now;
    waiting_.clear();
  }

  const DiskFigures& figures() const { return f_; }

 private:
  DiskFigures f_;
  ResourceMeter& meter_;
  const Platform& platform_;
  NodeId node_;
  double free_at_ = 0;  // when the device finishes what it was given so far
  std::deque<double> waiting_;  // starts of the operations still waiting, oldest first (FIFO)
};

// The run's disks, one per node and disk name; the first component to open a disk creates
// it (and its meter, named "NODE.DISK"), the next ones share it.
class Disks {
 public:
  Disks(Resources& resources, const Platform& platform) : resources_(resources), platform_(platform) {}
  Disk& open(NodeId node, const std::string& node_name, const std::string& disk, const DiskFigures& f);

 private:
  Resources& resources_;
  const Platform& platform_;
  std::map<std::pair<NodeId, std::string>, Disk> disks_;  // ordered: no hash order anywhere
};

}  // namespace mailsim::engine
