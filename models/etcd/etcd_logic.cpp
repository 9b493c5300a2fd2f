#include "models/etcd/etcd_logic.hpp"

#include <cmath>
#include <limits>

namespace mailsim::models {

namespace {
constexpr double kForever = std::numeric_limits<double>::infinity();
}

double EtcdStore::min_ttl(double election_timeout) { return std::ceil(1.5 * election_timeout); }

void EtcdStore::detach(const std::string& key) {
  auto it = kv_.find(key);
  if (it == kv_.end() || it->second.lease == 0) return;
  if (auto l = leases_.find(it->second.lease); l != leases_.end()) l->second.keys.erase(key);
}

EtcdApplied EtcdStore::apply(double now, const EtcdCommand& c) {
  EtcdApplied out;
  using K = EtcdCommand::Kind;
  switch (c.kind) {
    case K::kLeaseGrant: {
      Lease l;
      l.ttl = c.ttl;
      l.expiry = primary_ ? now + c.ttl : kForever;  // lessor.go Grant: only the primary runs the clock
      leases_[c.lease] = l;
      return out;
    }
    case K::kLeaseRevoke: {
      auto it = leases_.find(c.lease);
      if (it == leases_.end()) {
        out.succeeded = false;
        return out;
      }
      for (const auto& k : it->second.keys) {
        kv_.erase(k);
        out.changed_keys.push_back(k);
      }
      leases_.erase(it);
      return out;
    }
    case K::kDelete: {
      if (kv_.count(c.key)) {
        detach(c.key);
        kv_.erase(c.key);
        out.changed_keys.push_back(c.key);
      }
      return out;
    }
    case K::kCas: {
      auto it = kv_.find(c.key);
      const bool ok = c.expect_absent ? it == kv_.end() : (it != kv_.end() && it->second.value == c.expect_value);
      if (!ok) {
        out.succeeded = false;
        return out;
      }
      [[fallthrough]];
    }
    case K::kPut: {
      if (c.lease != 0 && !leases_.count(c.lease)) {  // etcd: ErrLeaseNotFound, nothing written
        out.succeeded = false;
        return out;
      }
      detach(c.key);
      kv_[c.key] = {c.value, c.lease};
      if (c.lease != 0) leases_[c.lease].keys.insert(c.key);
      out.changed_keys.push_back(c.key);
      return out;
    }
  }
  return out;
}

std::optional<std::string> EtcdStore::get(const std::string& key) const {
  auto it = kv_.find(key);
  if (it == kv_.end()) return std::nullopt;
  return it->second.value;
}

std::map<std::string, std::string> EtcdStore::range(const std::string& prefix) const {
  std::map<std::string, std::string> out;
  for (auto it = kv_.lower_bound(prefix); it != kv_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
    out[it->first] = it->second.value;
  return out;
}

void EtcdStore::promote(double now, double extend) {
  primary_ = true;
  for (auto& [id, l] : leases_) {
    l.expiry = now + extend + l.ttl;
    l.revoking = false;
  }
}

void EtcdStore::demote() {
  primary_ = false;
  for (auto& [id, l] : leases_) {
    l.expiry = kForever;
    l.revoking = false;
  }
}

bool EtcdStore::keepalive(double now, int64_t lease) {
  auto it = leases_.find(lease);
  if (!primary_ || it == leases_.end() || it->second.revoking) return false;
  it->second.expiry = now + it->second.ttl;
  return true;
}

std::vector<int64_t> EtcdStore::take_expired(double now) {
  std::vector<int64_t> out;
  if (!primary_) return out;
  for (auto& [id, l] : leases_)
    if (!l.revoking && l.expiry <= now) {
      l.revoking = true;
      out.push_back(id);
    }
  return out;
}

std::optional<double> EtcdStore::expiry(int64_t lease) const {
  auto it = leases_.find(lease);
  if (it == leases_.end()) return std::nullopt;
  return it->second.expiry;
}

void EtcdStore::clear() {
  kv_.clear();
  leases_.clear();
  primary_ = false;
}

}  // namespace mailsim::models
