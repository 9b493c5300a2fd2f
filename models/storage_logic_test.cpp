// Logic of the storage and cache layer, without SimGrid: NFS client timeouts and grace
// backoff, the replication ledger, disk costs, the triple layout, active-passive promotion,
// and memcached client failure handling. Expected values come from the sources quoted in
// each params table (nfs(5), Linux sources, mcrouter and Roundcube defaults).
#include <gtest/gtest.h>

#include "models/disk/disk_logic.hpp"
#include "models/disk/disk_params.hpp"
#include "models/memcached/ketama.hpp"
#include "models/memcached/memcached_logic.hpp"
#include "models/nfs/nfs_logic.hpp"
#include "models/storage_triple/storage_triple_logic.hpp"

using namespace mailsim::models;
namespace core = mailsim::core;

TEST(RpcTimeouts, LinuxTcpDefaultsRetransmitAt60Then180MajorThenRestart) {
  RpcTimeouts t(60, 2, 600);  // timeo=600 deciseconds, retrans=2
  EXPECT_DOUBLE_EQ(t.major_timeout(), 180);  // timeo x (retrans + 1), as nfs(5) describes
  auto a = t.next();
  EXPECT_DOUBLE_EQ(a.at, 60);
  EXPECT_FALSE(a.major);
  auto b = t.next();  // the timeout grew by timeo to 120 s but the major deadline caps it
  EXPECT_DOUBLE_EQ(b.at, 180);
  EXPECT_TRUE(b.major);
  auto c = t.next();  // hard mount: a new cycle from timeo
  EXPECT_DOUBLE_EQ(c.at, 240);
  EXPECT_FALSE(c.major);
  EXPECT_DOUBLE_EQ(t.next().at, 360);
}

TEST(RpcTimeouts, CappedAt600Seconds) {
  RpcTimeouts t(400, 5, 600);
  EXPECT_DOUBLE_EQ(t.major_timeout(), 600);
  EXPECT_DOUBLE_EQ(t.next().at, 400);
  auto b = t.next();
  EXPECT_DOUBLE_EQ(b.at, 600);
  EXPECT_TRUE(b.major);
}

TEST(GraceBackoff, DoublesFromTenthOfASecondUpTo15s) {
  GraceBackoff g(0.1, 15);
  double expect = 0.1;
  for (int i = 0; i < 7; ++i, expect *= 2) EXPECT_NEAR(g.next(), expect, 1e-12);
  EXPECT_NEAR(g.next(), 12.8, 1e-12);
  EXPECT_DOUBLE_EQ(g.next(), 15);
  EXPECT_DOUBLE_EQ(g.next(), 15);
}

TEST(SyncBacklog, HoldsWhatTheDownstreamCopyLacksOldestFirstPerService) {
  SyncBacklog b;
  b.add({0, 50e3, 1.0});
  b.add({1, 20e3, 2.0});
  b.add({0, 50e3, 3.0});
  EXPECT_EQ(b.size(), 3u);
  EXPECT_DOUBLE_EQ(b.front().acknowledged, 1.0);
  EXPECT_EQ(b.by_service(), (std::map<int, uint64_t>{{0, 2}, {1, 1}}));
  b.pop();  // the oldest is now downstream
  EXPECT_EQ(b.by_service(), (std::map<int, uint64_t>{{0, 1}, {1, 1}}));
  b.clear();
  EXPECT_TRUE(b.by_service().empty());
}

TEST(RsyncReceive, TemporaryFileThenRenameWithoutFsync) {
  const core::DiskOp op = rsync_receive_op(45e3);
  EXPECT_DOUBLE_EQ(op.writes, 2);
  EXPECT_DOUBLE_EQ(op.write_bytes, 45e3);
  EXPECT_DOUBLE_EQ(op.fsyncs, 0) << "rsync does not fsync";
  const core::DiskFigures ssd = disk_figures(disk_params("sata_ssd").defaults());
  EXPECT_LT(core::disk_time(ssd, op), core::disk_time(ssd, maildir_op(MaildirOp::kDeliver, 45e3)));
}

TEST(MaildirOps, DeliverIsWriteFsyncRename) {
  const core::DiskOp d = maildir_op(MaildirOp::kDeliver, 50e3);
  EXPECT_DOUBLE_EQ(d.writes, 2);  // the tmp/ file, the rename into new/
  EXPECT_DOUBLE_EQ(d.write_bytes, 50e3);
  EXPECT_DOUBLE_EQ(d.fsyncs, 1);
  EXPECT_DOUBLE_EQ(maildir_op(MaildirOp::kFetch, 20e3).read_bytes, 20e3);
  EXPECT_DOUBLE_EQ(maildir_op(MaildirOp::kFlag, 0).writes, 1);
  EXPECT_DOUBLE_EQ(maildir_op(MaildirOp::kList, 0).reads, 1);
}

// The device is paced by its IOPS or its bandwidth, whichever binds, plus a flush per fsync;
// an idle device answers in max(that, its access latency).
TEST(DiskTime, IopsOrBandwidthWhicheverBindsPlusFlush) {
  const core::DiskFigures f{.read_iops = 1000, .write_iops = 500, .read_bw = 100e6, .write_bw = 50e6,
                            .read_latency = 1e-4, .write_latency = 2e-4, .fsync_latency = 3e-3};
  EXPECT_DOUBLE_EQ(core::disk_occupancy(f, {.writes = 1, .write_bytes = 4096}), 1.0 / 500);  // IOPS bind
  EXPECT_DOUBLE_EQ(core::disk_occupancy(f, {.writes = 1, .write_bytes = 1e6}), 1e6 / 50e6);   // bandwidth binds
  EXPECT_DOUBLE_EQ(core::disk_occupancy(f, log_append_op(4096)), 1.0 / 500 + 3e-3);
  EXPECT_DOUBLE_EQ(core::disk_time(f, {.reads = 1}), 1.0 / 1000);  // the latency overlaps
  const core::DiskFigures slow_access{.read_iops = 1e6, .read_latency = 5e-3};
  EXPECT_DOUBLE_EQ(core::disk_time(slow_access, {.reads = 1}), 5e-3);
}

// Each profile's defaults keep the device classes in their order (datasheet figures).
TEST(DiskProfiles, HddSataSsdNvmeInIncreasingSpeed) {
  const auto hdd = disk_figures(disk_params("hdd").defaults());
  const auto ssd = disk_figures(disk_params("sata_ssd").defaults());
  const auto nvme = disk_figures(disk_params("nvme").defaults());
  EXPECT_LT(hdd.write_iops, ssd.write_iops);
  EXPECT_LT(ssd.write_iops, nvme.write_iops);
  EXPECT_LT(hdd.read_bw, ssd.read_bw);
  EXPECT_LT(ssd.read_bw, nvme.read_bw);
  EXPECT_GT(hdd.fsync_latency, ssd.fsync_latency);
}

TEST(TripleLayout, ThreePairsOnThreeNodes) {
  TripleLayout t(3);
  ASSERT_EQ(t.pair_count(), 3);
  EXPECT_EQ(t.pair_nodes(0), std::make_pair(0, 1));
  EXPECT_EQ(t.pair_nodes(2), std::make_pair(2, 0));
  EXPECT_EQ(t.pairs_of(0), (std::vector<int>{0, 2}));
}

TEST(TripleLayout, OneNodeDownLeavesOneWritablePair) {
  TripleLayout t(3);
  t.set_node_up(0, false);
  EXPECT_EQ(t.state(0), PairState::kReadOnly);
  EXPECT_EQ(t.state(1), PairState::kReadWrite);
  EXPECT_EQ(t.state(2), PairState::kReadOnly);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(t.pick_write_pair(), 1);
  t.set_node_up(1, false);
  EXPECT_EQ(t.state(0), PairState::kUnavailable);
  EXPECT_EQ(t.pick_write_pair(), -1);
  t.set_node_up(0, true);
  t.set_node_up(1, true);
  t.set_resyncing(0, true);
  EXPECT_EQ(t.state(0), PairState::kReadOnly);  // resyncing: not writable yet
}

TEST(TripleLayout, SixNodesMakeTwoGroups) {
  TripleLayout t(6);
  ASSERT_EQ(t.pair_count(), 6);
  EXPECT_EQ(t.pair_nodes(3), std::make_pair(3, 4));
  t.set_node_up(0, false);
  t.set_node_up(1, false);
  EXPECT_GE(t.pick_write_pair(), 3);  // the other group still writes
}

TEST(MemcachedClient, RetryGateSkipsForRetryInterval) {
  RetryGate g(15);
  EXPECT_TRUE(g.open(0));
  g.failed(10);
  EXPECT_FALSE(g.open(24.9));
  EXPECT_TRUE(g.open(25));
}

TEST(MemcachedClient, McrouterTkoAfterThreeTimeoutsProbesGrow) {
  TkoTracker t(3, 10, 60);
  EXPECT_FALSE(t.on_timeout());
  EXPECT_FALSE(t.on_timeout());
  EXPECT_TRUE(t.on_timeout());
  EXPECT_TRUE(t.tko());
  EXPECT_DOUBLE_EQ(t.next_probe_delay(), 10);
  EXPECT_DOUBLE_EQ(t.next_probe_delay(), 15);
  for (int i = 0; i < 10; ++i) t.next_probe_delay();
  EXPECT_DOUBLE_EQ(t.next_probe_delay(), 60);
  t.on_success();
  EXPECT_FALSE(t.tko());
  EXPECT_FALSE(t.on_timeout());  // the count restarted
}

TEST(MemcachedClient, RefusedConnectionIsAHardTkoAtOnce) {
  TkoTracker t(3, 10, 60);
  EXPECT_TRUE(t.on_refused());  // ECONNREFUSED: no timeouts to count
  EXPECT_TRUE(t.tko());
  EXPECT_FALSE(t.on_refused());  // already TKO: no second probe chain
  EXPECT_DOUBLE_EQ(t.next_probe_delay(), 10);
}

TEST(Md5, Rfc1321TestSuite) {
  auto hex = [](const std::string& s) {
    std::string out;
    for (uint8_t b : md5(s)) out += "0123456789abcdef"[b >> 4], out += "0123456789abcdef"[b & 15];
    return out;
  };
  EXPECT_EQ(hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890"),
            "57edf4a22be3c955ac49da2e2107b67a");  // two blocks
}

TEST(KetamaRing, EachServerPutsFortyDigestsOfFourPointsOnTheRing) {
  EXPECT_EQ(KetamaRing({"a:11211", "b:11211", "c:11211"}).points(), 3u * 160u);
}

TEST(KetamaRing, AUsersKeyAlwaysLandsOnTheSameServer) {
  KetamaRing ring({"db-1:11211", "db-2:11211"});
  for (int u = 0; u < 50; ++u) {
    const std::string key = "user:" + std::to_string(u);
    EXPECT_EQ(ring.server_of(key), ring.server_of(key)) << key;
  }
}

TEST(KetamaRing, KeysSpreadOverEveryServer) {
  KetamaRing ring({"s1:11211", "s2:11211", "s3:11211", "s4:11211"});
  std::vector<int> held(4, 0);
  for (int u = 0; u < 4000; ++u) ++held[static_cast<size_t>(ring.server_of("user:" + std::to_string(u)))];
  for (int n : held) {  // 160 points each: within about 25% of an even share
    EXPECT_GT(n, 750);
    EXPECT_LT(n, 1250);
  }
}

TEST(KetamaRing, RemovingAServerMovesOnlyTheKeysItHeld) {
  const std::vector<std::string> four{"s1:11211", "s2:11211", "s3:11211", "s4:11211"};
  KetamaRing before(four);
  KetamaRing after({"s1:11211", "s2:11211", "s4:11211"});  // s3 gone: after's index 2 is s4
  const std::vector<int> renamed{0, 1, -1, 2};
  int moved = 0;
  for (int u = 0; u < 4000; ++u) {
    const std::string key = "user:" + std::to_string(u);
    const int was = before.server_of(key);
    if (was == 2) {
      ++moved;
      continue;  // s3's keys go elsewhere
    }
    EXPECT_EQ(after.server_of(key), renamed[static_cast<size_t>(was)]) << key;
  }
  EXPECT_GT(moved, 0);
}

TEST(PairResync, RoundTripThenMissingBytesAtTheSlowerOfRouteAndDisk) {
  PairResync r;
  EXPECT_DOUBLE_EQ(r.bytes_to_copy(), 0);
  r.one_copy_written(1, 50e3);
  r.one_copy_written(0, 30e3);
  EXPECT_DOUBLE_EQ(r.bytes_to_copy(), 80e3);
  // 1.25e9 B/s route, 450e6 B/s disk: the disk is the bottleneck.
  EXPECT_DOUBLE_EQ(PairResync::seconds(r.bytes_to_copy(), 220e-6, 1.25e9, 450e6), 220e-6 + 80e3 / 450e6);
  EXPECT_DOUBLE_EQ(PairResync::seconds(r.bytes_to_copy(), 220e-6, 100e6, 450e6), 220e-6 + 80e3 / 100e6);
  r.synced();
  EXPECT_DOUBLE_EQ(PairResync::seconds(r.bytes_to_copy(), 220e-6, 1.25e9, 450e6), 220e-6) << "in sync: one compare";
}

TEST(MemcachedClient, EmptyCacheRefillsOverWarmup) {
  EXPECT_DOUBLE_EQ(hit_probability(0.9, 0, 60), 0);
  EXPECT_DOUBLE_EQ(hit_probability(0.9, 30, 60), 0.45);
  EXPECT_DOUBLE_EQ(hit_probability(0.9, 600, 60), 0.9);
}
