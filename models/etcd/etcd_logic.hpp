#pragma once
// etcd's applied state on one member, without SimGrid: the key space (a map), the leases
// with their attached keys, and the lessor's expiry clock, which only the leader runs
// (etcd server/lease/lessor.go). Commands reach it in Raft log order on every member; the
// lessor's expiry times are not replicated, which is why a new leader extends every lease
// (Promote) instead of knowing how much time was left.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace mailsim::models {

struct EtcdCommand {
  enum class Kind : uint8_t { kPut, kCas, kDelete, kLeaseGrant, kLeaseRevoke };
  Kind kind = Kind::kPut;
  std::string key;
  std::string value;
  bool expect_absent = false;   // kCas: succeed only if the key does not exist (create_revision == 0)
  std::string expect_value;     // kCas: otherwise, succeed only if the key holds this value
  int64_t lease = 0;            // kPut/kCas: attach to this lease (0: none); kLeaseGrant/Revoke: its id
  double ttl = 0;               // kLeaseGrant, seconds
};

struct EtcdApplied {
  bool succeeded = true;                  // kCas compare result; false when a lease is unknown
  std::vector<std::string> changed_keys;  // keys put or deleted, for watchers
};

class EtcdStore {
 public:
  EtcdApplied apply(double now, const EtcdCommand& c);
  std::optional<std::string> get(const std::string& key) const;
  std::map<std::string, std::string> range(const std::string& prefix) const;

  // Lessor (leader only). promote: every lease expires `extend` after its full TTL from now
  // (lessor.go Promote -> refresh(extend)). demote: expiry stops (followers never expire).
  void promote(double now, double extend);
  void demote();
  bool primary() const { return primary_; }
  // LeaseKeepAlive on the leader: false when the lease does not exist (expired, revoked).
  bool keepalive(double now, int64_t lease);
  // Leases whose expiry passed and whose revocation has not been proposed yet; they are
  // marked so each is proposed once (lessor.go revokeExpiredLeases + expiredC).
  std::vector<int64_t> take_expired(double now);
  std::optional<double> expiry(int64_t lease) const;
  size_t lease_count() const { return leases_.size(); }
  void clear();

  // The minimum TTL etcd grants: 1.5 x election timeout, rounded up to whole seconds
  // (etcdserver: minTTL = ceil(3 * electionTicks / 2 * tick)).
  static double min_ttl(double election_timeout);

 private:
  struct Lease {
    double ttl = 0;
    double expiry = 0;
    bool revoking = false;
    std::set<std::string> keys;
  };
  struct Value {
    std::string value;
    int64_t lease = 0;
  };
  void detach(const std::string& key);
  std::map<std::string, Value> kv_;
  std::map<int64_t, Lease> leases_;
  bool primary_ = false;
};

}  // namespace mailsim::models
