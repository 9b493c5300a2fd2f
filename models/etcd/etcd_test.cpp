// EtcdStore: the key space, leases and the leader's lessor clock, without SimGrid.
#include <gtest/gtest.h>

#include "models/etcd/etcd_logic.hpp"

namespace mailsim::models {
namespace {

using K = EtcdCommand::Kind;

EtcdCommand grant(int64_t id, double ttl) { return {K::kLeaseGrant, "", "", false, "", id, ttl}; }
EtcdCommand cas_create(const std::string& k, const std::string& v, int64_t lease) { return {K::kCas, k, v, true, "", lease, 0}; }
EtcdCommand cas(const std::string& k, const std::string& expect, const std::string& v, int64_t lease) {
  return {K::kCas, k, v, false, expect, lease, 0};
}

TEST(EtcdStore, CompareAndSetCreatesOnceAndUpdatesOnlyTheExpectedValue) {
  EtcdStore s;
  s.apply(0, grant(1, 30));
  EXPECT_TRUE(s.apply(0, cas_create("/leader", "pg-1", 1)).succeeded);
  EXPECT_FALSE(s.apply(0, cas_create("/leader", "pg-2", 1)).succeeded);
  EXPECT_EQ(s.get("/leader"), "pg-1");
  EXPECT_FALSE(s.apply(0, cas("/leader", "pg-2", "pg-2", 1)).succeeded);
  EXPECT_TRUE(s.apply(0, cas("/leader", "pg-1", "pg-1", 1)).succeeded);
  EXPECT_FALSE(s.apply(0, cas_create("/x", "v", 99)).succeeded);  // unknown lease: nothing written
  EXPECT_FALSE(s.get("/x").has_value());
}

TEST(EtcdStore, OnlyThePrimaryLessorExpiresLeasesAndRevokeDeletesTheirKeys) {
  EtcdStore follower, leader;
  leader.promote(0, 1.0);
  for (auto* s : {&follower, &leader}) {
    s->apply(10, grant(7, 30));
    s->apply(10, cas_create("/leader", "pg-1", 7));
    s->apply(10, {K::kPut, "/members/pg-1", "x", false, "", 7, 0});
  }
  EXPECT_TRUE(follower.take_expired(1e6).empty());
  EXPECT_TRUE(leader.take_expired(39.9).empty());
  EXPECT_TRUE(leader.keepalive(20, 7));  // expiry moves to 50
  EXPECT_TRUE(leader.take_expired(49.9).empty());
  auto expired = leader.take_expired(50);
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_TRUE(leader.take_expired(60).empty());  // proposed once
  EXPECT_FALSE(leader.keepalive(51, 7));         // being revoked
  auto r = leader.apply(50.01, {K::kLeaseRevoke, "", "", false, "", 7, 0});
  EXPECT_EQ(r.changed_keys.size(), 2u);
  EXPECT_TRUE(leader.range("/").empty());
}

TEST(EtcdStore, PromoteExtendsEveryLeaseByTheElectionTimeout) {
  EtcdStore s;
  s.apply(0, grant(3, 30));
  EXPECT_FALSE(s.keepalive(0, 3));  // a follower does not renew
  s.promote(100, 1.0);
  EXPECT_DOUBLE_EQ(*s.expiry(3), 131.0);  // full TTL again, plus the election timeout
  s.demote();
  EXPECT_TRUE(s.take_expired(1e9).empty());
  EXPECT_DOUBLE_EQ(EtcdStore::min_ttl(1.0), 2.0);
}

TEST(EtcdStore, RangeReturnsOnlyThePrefix) {
  EtcdStore s;
  s.apply(0, {K::kPut, "/service/pg/leader", "a", false, "", 0, 0});
  s.apply(0, {K::kPut, "/service/pg/members/a", "b", false, "", 0, 0});
  s.apply(0, {K::kPut, "/service/pgx", "c", false, "", 0, 0});
  EXPECT_EQ(s.range("/service/pg/").size(), 2u);
  s.apply(0, {K::kDelete, "/service/pg/leader", "", false, "", 0, 0});
  EXPECT_EQ(s.range("/service/pg/").size(), 1u);
}

}  // namespace
}  // namespace mailsim::models
