// The storage_triple shell on a test bed (no SimGrid): VK WorkSpace's store, three disk
// pairs on the three node pairs of a group, two synchronous copies of every message. The
// pairs are TripleLayout's (the model's SimGrid-free logic); resync_time comes from params.
#include <gtest/gtest.h>

#include <initializer_list>
#include <set>

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
  // Pairs (as "st-a+st-b") that reported `state` at time t.
  std::set<std::string> pairs_reporting(const std::string& state, double t) const {
    std::set<std::string> out;
    for (const auto& e : bed->events("storage.pair_" + state))
      if (e.t_s == t) out.insert(e.fields["nodes"][0].get<std::string>() + "+" + e.fields["nodes"][1].get<std::string>());
    return out;
  }
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
  EXPECT_EQ(t.pairs_reporting("read_only", TripleBed::kCrash), t.pairs_of(0)) << "both pairs of the lost node keep one copy";
  t.bed->run_until(TripleBed::kCrash + 60);
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
  EXPECT_EQ(t.pairs_reporting("unavailable", TripleBed::kCrash), std::set<std::string>{"st-1+st-2"});
}

TEST(StorageTripleShell, ReturningNodeResyncsForResyncTimeBeforeItsPairsTakeWritesAgain) {
  TripleBed t;
  auto& bed = *t.bed;
  bed.start();
  const double crash = 10, back = 20;
  bed.run_until(crash);
  bed.crash("st-1");
  bed.run_until(back);
  bed.restart("st-1");
  bed.run_until(back + t.p.resync_time.seconds - 1);
  EXPECT_TRUE(t.pairs_reporting("read_write", back).empty()) << "resyncing pairs stay read-only";
  bed.run_until(back + t.p.resync_time.seconds + 1);
  EXPECT_EQ(t.pairs_reporting("read_write", back + t.p.resync_time.seconds), t.pairs_of(0));
}

}  // namespace
}  // namespace mailsim::testing
