#pragma once
// NFS client and server mechanisms without SimGrid.
//  - RpcTimeouts: when a Linux NFS client over TCP gives up on one transmission of an RPC
//    and retransmits it, and when a major timeout happens (soft mounts fail the call there).
//    Follows net/sunrpc/xprt.c and fs/nfs/client.c (nfs_init_timeout_values): the timeout
//    starts at timeo and grows by timeo after each retransmission (linear backoff, capped at
//    600 s); the major timeout comes timeo x (retrans + 1) after the cycle started; on a hard
//    mount a new cycle then starts from timeo again.
//  - GraceBackoff: a client told NFS4ERR_GRACE waits and retries, from 0.1 s doubling up to
//    15 s (fs/nfs/nfs4proc.c nfs4_delay: NFS4_POLL_RETRY_MIN/MAX).
//  - SyncBacklog: messages a Maildir instance holds that its downstream copy (RuPost's hot
//    replica, or the cold backup) does not have yet, oldest first: what the next periodic
//    rsync run copies, and what is lost if the instance is lost before it ran.
//  - rsync_receive_time: the receiving disk's cost of one file as rsync writes it (a
//    temporary file, then a rename into place; no fsync unless --fsync).
#include <cstdint>
#include <deque>
#include <map>
#include <string>

#include "models/disk/disk_logic.hpp"

namespace mailsim::models {

class RpcTimeouts {
 public:
  struct Tick {
    double at;   // seconds after the call was first sent
    bool major;  // a major timeout: a soft mount returns EIO here
  };
  RpcTimeouts(double timeo, int retrans, double max_timeout);
  Tick next();  // the next expiry, in order
  double major_timeout() const { return major_len_; }

 private:
  double init_, max_, major_len_;
  double t_ = 0, cycle_start_ = 0, cur_;
};

class GraceBackoff {
 public:
  GraceBackoff(double min_delay, double max_delay) : cur_(min_delay), max_(max_delay) {}
  double next() {
    double d = cur_;
    cur_ = cur_ * 2 > max_ ? max_ : cur_ * 2;
    return d;
  }

 private:
  double cur_, max_;
};

class SyncBacklog {
 public:
  struct Item {
    int service;          // the service whose delivery wrote the message
    double bytes;
    double acknowledged;  // when the delivery was acknowledged (seconds)
  };
  void add(const Item& item) { q_.push_back(item); }
  size_t size() const { return q_.size(); }
  const Item& front() const { return q_.front(); }
  void pop() { q_.pop_front(); }  // the oldest message is now on the downstream copy
  // Messages not yet downstream, per service (only services with at least one).
  std::map<int, uint64_t> by_service() const;
  const std::deque<Item>& items() const { return q_; }  // oldest first
  void clear() { q_.clear(); }

 private:
  std::deque<Item> q_;
};

// rsync's receiver writes a temporary file and renames it into place; it does not fsync
// (rsync(1) has no fsync by default).
inline core::DiskOp rsync_receive_op(double bytes) { return {.writes = 2, .write_bytes = bytes}; }

}  // namespace mailsim::models
