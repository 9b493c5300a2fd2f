// The storage_triple shell on a test bed (no SimGrid): VK WorkSpace's store, three disk
// pairs on the three node pairs of a group, two synchronous copies of every message. The
// pairs are TripleLayout's (the model's SimGrid-free logic); the client's rpc_timeout and
// probe_interval come from params, the resync from PairResync and the topology's disks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <set>

#include "models/disk/disk_params.hpp"
#include "models/storage_triple/storage_triple_logic.hpp"
#include "models/storage_triple/storage_triple_params.hpp"
#include "tests/engine/shells/test_bed_helpers.hpp"

namespace mailsim::testing {
namespace {

using engine::Outcome;

struct TripleBed {
  std::unique_ptr<engine::TestBed> bed = test_bed("topologies/tutorial/storage-triple.yaml", quiet_scenario("300s", "30s"));
  models::StorageTripleParams p = params_of(*bed, "store", models::storage_triple_params());
  std::vector<std::unique_ptr<Sent>> writes, reads;
  static constexpr double kCrash = 10;
  static constexpr int kEach = 30;

  // Starts, crashes `lost` at kCrash, and sends kEach writes and kEach reads in the 10 s
  // after it; returns once the crash happened.
  void lose(std::initializer_list<const char*> lost) {
    bed->start();
    send_both(kCrash + 1, kEach);
    bed->run_until(kCrash);
    for (const char* n : lost) bed->crash(n);
  }

  // `n` writes (smtp) and `n` reads (imap) spread over [from, from + 10 s).
  void send_both(double from, int n) {
    for (int i = 0; i < n; ++i) {
      send_at(*bed, from + 10.0 * i / n, "smtp", writes);
      send_at(*bed, from + 10.0 * (i + 0.5) / n, "imap", reads);
    }
  }
  static int count(const std::vector<std::unique_ptr<Sent>>& v, Outcome o) {
    int n = 0;
    for (const auto& s : v) n += s->ended && s->outcome == o;
    return n;
  }
  // Pairs (as "st-a+st-b") that reported `state` in [from, to].
  std::set<std::string> pairs_reporting(engine::EventKind state, double from, double to) const {
    std::set<std::string> out;
    for (const auto& e : bed->events(state))
      if (e.t_s >= from && e.t_s <= to)
        out.insert(e.fields["nodes"][0].get<std::string>() + "+" + e.fields["nodes"][1].get<std::string>());
    return out;
  }
  double rpc_timeout() const { return p.rpc_timeout.seconds; }
  // The pairs TripleLayout puts a storage node in, named by their nodes.
  std::set<std::string> pairs_of(int node_index) const {
    const auto& nodes = bed->topology().find_component("store")->nodes;
    models::TripleLayout layout(static_cast<int>(nodes.size()));
    std::set<std::string> out;
    for (int p : layout.pairs_of(node_index)) {
      auto [a, b] = layout.pair_nodes(p);
      out.insert(nodes[static_cast<size_t>(a)] + "+" + nodes[static_cast<size_t>(b)]);
    }
    return out;
  }
};

TEST(StorageTripleShell, OnePairMemberLostKeepsEveryReadServedAndWritesGoToTheRemainingReadWritePair) {
  TripleBed t;
  t.lose({"st-1"});
  t.bed->run_until(TripleBed::kCrash + 60);
  // The client sees both pairs of st-1 read-only once an RPC to st-1 has timed out.
  EXPECT_EQ(t.pairs_reporting(engine::EventKind::kStoragePairReadOnly, TripleBed::kCrash + 1 + t.rpc_timeout(), TripleBed::kCrash + 60), t.pairs_of(0))
      << "both pairs of the lost node keep one copy";
  EXPECT_EQ(TripleBed::count(t.writes, Outcome::kOk), TripleBed::kEach) << "the pair without st-1 still has two copies to write";
  EXPECT_EQ(TripleBed::count(t.reads, Outcome::kOk), TripleBed::kEach) << "every message still has a live copy";
}

TEST(StorageTripleShell, WritesNeedAReadWritePairSoTwoNodesLostFailThemWithIoError) {
  TripleBed t;
  t.lose({"st-1", "st-2"});
  t.bed->run_until(TripleBed::kCrash + 60);
  EXPECT_EQ(TripleBed::count(t.writes, Outcome::kIoError), TripleBed::kEach) << "no pair has two live copies: no write is acknowledged";
  // Reads of messages on the pairs with st-3 find a copy; the pair of the two lost nodes
  // has none.
  const int ok = TripleBed::count(t.reads, Outcome::kOk), failed = TripleBed::count(t.reads, Outcome::kIoError);
  EXPECT_EQ(ok + failed, TripleBed::kEach);
  EXPECT_GT(ok, 0);
  EXPECT_GT(failed, 0);
  EXPECT_EQ(t.pairs_reporting(engine::EventKind::kStoragePairUnavailable, TripleBed::kCrash, TripleBed::kCrash + 60), std::set<std::string>{"st-1+st-2"});
}

TEST(StorageTripleShell, ClientNoticesAPartitionedCopyOnlyAfterItsRpcTimeout) {
  TripleBed t;
  auto& bed = *t.bed;
  bed.start();
  const double cut_at = 10, first = cut_at + 1;
  t.send_both(first, TripleBed::kEach);
  bed.run_until(cut_at);
  bed.ctx().net.add_cut({bed.node("front-1")}, {bed.node("st-1")}, false);  // st-1 itself stays up
  bed.run_until(cut_at + 60);
  const double seen = first_event_at(bed, engine::EventKind::kStorageCopyUnreachable, "server", "st-1");
  ASSERT_GT(seen, 0);
  EXPECT_GE(seen, first + t.rpc_timeout()) << "no answer is the only sign";
  EXPECT_TRUE(t.pairs_reporting(engine::EventKind::kStoragePairReadOnly, 0, seen - 1e-9).empty()) << "the client's pairs change only when it notices";
  EXPECT_EQ(t.pairs_reporting(engine::EventKind::kStoragePairReadOnly, seen, seen), t.pairs_of(0));
  // Every write is acknowledged (on the pair without st-1), the ones that tried st-1 first
  // after a whole rpc_timeout.
  EXPECT_EQ(TripleBed::count(t.writes, Outcome::kOk), TripleBed::kEach);
  double slowest = 0;
  for (const auto& w : t.writes) slowest = std::max(slowest, w->end - w->at);
  EXPECT_GE(slowest, t.rpc_timeout());
  EXPECT_LT(slowest, 2 * t.rpc_timeout() + 0.5);
}

TEST(StorageTripleShell, ReturningNodeServesAgainWhenItsPairsAreInSyncAndTheClientsProbeFindsIt) {
  TripleBed t;
  auto& bed = *t.bed;
  bed.start();
  const double crash = 10, back = 20;
  t.send_both(crash + 1, TripleBed::kEach);  // the client notices st-1 gone
  bed.run_until(crash);
  bed.crash("st-1");
  bed.run_until(back);
  bed.restart("st-1");
  bed.run_until(back + t.p.probe_interval.seconds + t.rpc_timeout() + 1);
  // Both pairs of st-1 resync with their partners at once. A read-only pair took no writes,
  // so only the copies of attempts that failed half-way (the first writes that tried st-1)
  // travel.
  const auto resyncs = bed.events(engine::EventKind::kStorageResyncStarted);
  ASSERT_EQ(resyncs.size(), 2u);
  for (const auto& e : resyncs) EXPECT_DOUBLE_EQ(e.t_s, back);
  const auto done = bed.events(engine::EventKind::kStorageResyncCompleted);
  ASSERT_EQ(done.size(), 2u);
  const double reachable = first_event_at(bed, engine::EventKind::kStorageCopyReachable, "server", "st-1");
  EXPECT_GE(reachable, std::max(done[0].t_s, done[1].t_s)) << "st-1 refuses until its pairs are in sync";
  EXPECT_LE(reachable, back + t.p.probe_interval.seconds + t.rpc_timeout()) << "the next probe finds it";
  EXPECT_EQ(t.pairs_reporting(engine::EventKind::kStoragePairReadWrite, reachable, reachable), t.pairs_of(0));
}

TEST(StorageTripleShell, ResyncCopiesWhatAHalfFailedWriteLeftOnOneCopyAtTheBottleneckBandwidth) {
  TripleBed t;
  auto& bed = *t.bed;
  bed.start();
  // A partition front-1 | st-1 makes writes to st-1's pairs land on the partner only.
  const double cut_at = 10, crash = 15, back = 20;
  t.send_both(cut_at + 1, TripleBed::kEach);
  bed.run_until(cut_at);
  const int cut = bed.ctx().net.add_cut({bed.node("front-1")}, {bed.node("st-1")}, false);
  bed.run_until(crash);
  bed.crash("st-1");
  bed.ctx().net.remove_cut(cut);
  bed.run_until(back);
  bed.restart("st-1");
  bed.run_until(back + 5);
  const auto disk = models::parse_disk(bed.topology().find_node("st-1")->disks.front(), config::YamlReader(bed.topology().file));
  double bytes = 0;
  for (const auto& e : bed.events(engine::EventKind::kStorageResyncStarted)) {
    const double b = e.fields["bytes"].get<double>();
    bytes += b;
    // The three nodes have the same disks and NICs: any pair's route and disk.
    const double expect = models::PairResync::seconds(b, 2 * bed.platform().latency(bed.node("st-1"), bed.node("st-2")),
                                                      bed.platform().bandwidth(bed.node("st-1"), bed.node("st-2")),
                                                      disk.write_bandwidth.bytes_per_s);
    EXPECT_NEAR(e.fields["duration_s"].get<double>(), expect, 1e-9);
  }
  EXPECT_GT(bytes, 0) << "at least the first write to a pair of st-1 was left on its partner alone";
  EXPECT_DOUBLE_EQ(std::fmod(bytes, 50 * 1024), 0) << "whole 50 KiB messages";
}

}  // namespace
}  // namespace mailsim::testing
