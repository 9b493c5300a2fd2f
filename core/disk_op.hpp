#pragma once
// What a disk operation asks of a device, and the device's figures: plain values shared by
// the engine's metered disk (engine/disk.hpp) and the models' logic, which turns its own
// operations (a Maildir delivery, a WAL flush, a Raft append) into them without an engine.
namespace mailsim::core {

// A device's figures, from its params table (models/disk: a profile and overrides).
struct DiskFigures {
  double read_iops = 1, write_iops = 1;   // operations/s (random 4 KiB)
  double read_bw = 1, write_bw = 1;       // bytes/s (sequential)
  double read_latency = 0, write_latency = 0, fsync_latency = 0;  // s
};

// What one operation asks of the device.
struct DiskOp {
  double reads = 0, writes = 0;            // I/O operations
  double read_bytes = 0, write_bytes = 0;  // bytes moved
  double fsyncs = 0;                       // cache flushes

  DiskOp& operator+=(const DiskOp& o) {
    reads += o.reads;
    writes += o.writes;
    read_bytes += o.read_bytes;
    write_bytes += o.write_bytes;
    fsyncs += o.fsyncs;
    return *this;
  }
};

// How long the operation holds the device: its IOPS or its bandwidth, whichever binds, plus a
// flush per fsync (a flush drains the write cache and serialises, as a FLUSH CACHE or NVMe
// Flush command does).
inline double disk_occupancy(const DiskFigures& f, const DiskOp& op) {
  const double io = op.reads / f.read_iops + op.writes / f.write_iops;
  const double transfer = op.read_bytes / f.read_bw + op.write_bytes / f.write_bw;
  return (io > transfer ? io : transfer) + op.fsyncs * f.fsync_latency;
}

// The access latency of the operation on an idle device (overlapped under load: a device
// with a command queue starts the next operation before this one's latency has passed).
inline double disk_latency(const DiskFigures& f, const DiskOp& op) {
  return (op.reads > 0 ? f.read_latency : 0) + (op.writes > 0 ? f.write_latency : 0) + op.fsyncs * f.fsync_latency;
}

// An idle device's time for the operation: max(occupancy, latency).
inline double disk_time(const DiskFigures& f, const DiskOp& op) {
  const double s = disk_occupancy(f, op), a = disk_latency(f, op);
  return s > a ? s : a;
}

}  // namespace mailsim::core
