#pragma once
// A disk as an analytic queue (no SimGrid): `queue_depth` channels, FIFO, each operation
// holding one channel for its service time = per-op latency + bytes / bandwidth. Chosen
// over SimGrid Io activities because Maildir operations are small files whose cost is
// per-operation latency (seek, flush), which SimGrid disks (bandwidth only) lack, and an
// Io is one max-min sharing variable per operation (docs/models/nfs.md, "Disks").
#include <algorithm>
#include <cstddef>
#include <vector>

namespace mailsim::models {

struct DiskCost {
  double read_bw = 1, write_bw = 1;              // bytes/s
  double read_lat = 0, write_lat = 0, fsync_lat = 0;  // s
};

// Maildir operations (dovecot maildir: deliver = write tmp/ file, fsync, rename into new/;
// flag change = rename; fetch = open + read; list = readdir).
enum class MaildirOp { kDeliver, kFetch, kFlag, kList };

inline double maildir_service_time(const DiskCost& c, MaildirOp op, double bytes) {
  switch (op) {
    case MaildirOp::kDeliver: return c.write_lat + bytes / c.write_bw + c.fsync_lat + c.write_lat;
    case MaildirOp::kFetch: return c.read_lat + bytes / c.read_bw;
    case MaildirOp::kFlag: return c.write_lat;
    case MaildirOp::kList: return c.read_lat;
  }
  return 0;
}

class DiskQueue {
 public:
  explicit DiskQueue(int depth = 1) : free_at_(static_cast<size_t>(std::max(1, depth)), 0.0) {}
  // An operation submitted at `now` needing `service` seconds: returns when it completes.
  // It takes the channel free the earliest (the lowest index on ties: deterministic).
  double submit(double now, double service) {
    size_t best = 0;
    for (size_t i = 1; i < free_at_.size(); ++i)
      if (free_at_[i] < free_at_[best]) best = i;
    double end = std::max(now, free_at_[best]) + service;
    free_at_[best] = end;
    return end;
  }
  // A crash loses the queue: operations in it never complete (callers check their epoch).
  void reset(double now) { std::fill(free_at_.begin(), free_at_.end(), now); }

 private:
  std::vector<double> free_at_;
};

}  // namespace mailsim::models
