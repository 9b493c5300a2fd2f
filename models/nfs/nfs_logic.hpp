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
//  - ReplicationLedger: deliveries acknowledged by a Maildir master that the asynchronous
//    replica has not copied yet (acknowledged less than `lag` ago): lost if the master dies.
#include <cstdint>
#include <deque>
#include <map>
#include <string>

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

class ReplicationLedger {
 public:
  explicit ReplicationLedger(double lag) : lag_(lag) {}
  void acknowledged(const std::string& service, double t);
  // Deliveries acknowledged in (t_loss - lag, t_loss]: not yet on the replica when the master
  // was lost. Per service, only services with at least one.
  std::map<std::string, uint64_t> unreplicated_at(double t_loss) const;
  void forget_before(double t);  // drops entries that are replicated by t

 private:
  double lag_;
  std::map<std::string, std::deque<double>> acks_;
};

}  // namespace mailsim::models
