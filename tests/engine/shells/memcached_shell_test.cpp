// The memcached shell in mode mcrouter on a test bed (no SimGrid): mcrouter learns of a
// server it cannot reach only through its own timeouts (server_timeout, failures_until_tko)
// and keeps it TKO while its probes, sent over the network, go unanswered. Windows come from
// the component's params.
#include <gtest/gtest.h>

#include "models/memcached/ketama.hpp"
#include "models/memcached/memcached_params.hpp"
#include "tests/engine/shells/test_bed_helpers.hpp"

namespace mailsim::testing {
namespace {

using engine::Outcome;

struct McrouterBed {
  std::unique_ptr<engine::TestBed> bed = test_bed("topologies/tutorial/memcached-mcrouter.yaml", quiet_scenario("600s", "30s"));
  models::MemcachedParams p = params_of(*bed, "cache", models::memcached_params());
  std::vector<std::unique_ptr<Sent>> sent;
  static constexpr double kSlack = 0.1;  // the web step's CPU and the LAN round trips

  // `n` webmail pages spread over [from, from + span).
  void send(double from, double span, int n) {
    for (int i = 0; i < n; ++i) send_at(*bed, from + span * i / n, "webmail", sent);
  }
  int cut_web_from_mc1() { return bed->ctx().net.add_cut({bed->node("web-1")}, {bed->node("mc-1")}, false); }
};

TEST(MemcachedShell, McrouterMarksAPartitionedServerTkoOnlyAfterItsOwnTimeouts) {
  McrouterBed t;
  auto& bed = *t.bed;
  bed.start();
  const double cut_at = 10;
  t.send(cut_at + 1, 5, 50);  // half of the users' keys live on mc-1
  bed.run_until(cut_at);
  t.cut_web_from_mc1();
  bed.run_until(cut_at + 30);
  const double tko = first_event_at(bed, engine::EventKind::kCacheTko, "server", "mc-1");
  ASSERT_GT(tko, 0) << "the partitioned server is marked TKO";
  // Nothing told mcrouter: the first lookups to mc-1 each waited server_timeout.
  EXPECT_GE(tko, cut_at + 1 + t.p.server_timeout.seconds);
  EXPECT_EQ(first_event_at(bed, engine::EventKind::kCacheTko, "server", "mc-2"), -1) << "mc-2 answers";
  int waited = 0;
  for (const auto& s : t.sent) {
    ASSERT_TRUE(s->ended);
    EXPECT_EQ(s->outcome, Outcome::kOk) << "a lost cache costs the database a query, not an error";
    waited += s->end - s->at >= t.p.server_timeout.seconds;
  }
  EXPECT_GE(waited, t.p.failures_until_tko) << "each of the timeouts that made the TKO cost a lookup server_timeout";
}

TEST(MemcachedShell, APartitionedServerStaysTkoUntilAProbeOverTheNetworkIsAnswered) {
  McrouterBed t;
  auto& bed = *t.bed;
  bed.start();
  t.send(11, 5, 50);
  bed.run_until(10);
  const int cut = t.cut_web_from_mc1();
  // mc-1 is up all along: only the network keeps mcrouter from it.
  const double heal = 200;
  bed.run_until(heal);
  const double tko = first_event_at(bed, engine::EventKind::kCacheTko, "server", "mc-1");
  ASSERT_GT(tko, 0);
  EXPECT_EQ(first_event_at(bed, engine::EventKind::kCacheTkoEnded, "server", "mc-1"), -1) << "probes are lost in the partition";
  bed.ctx().net.remove_cut(cut);
  bed.run_until(heal + t.p.probe_delay_max.seconds + t.p.server_timeout.seconds + 1);
  const double ended = first_event_at(bed, engine::EventKind::kCacheTkoEnded, "server", "mc-1");
  EXPECT_GT(ended, heal);
  EXPECT_LE(ended, heal + t.p.probe_delay_max.seconds + t.p.server_timeout.seconds) << "the next probe gets through";
}

TEST(MemcachedShell, McrouterPlacesEachUsersKeyByKetamaSoOneServersLossMissesOnlyItsUsers) {
  // The ring the shell builds (node names with memcached's port), and a crash of mc-2:
  // lookups of users whose key lives on mc-1 never wait for a timeout.
  McrouterBed t;
  auto& bed = *t.bed;
  const models::KetamaRing ring({"mc-1:11211", "mc-2:11211"});
  bed.start();
  bed.run_until(10);
  bed.crash("mc-2");
  t.send(11, 5, 60);
  bed.run_until(60);
  // Test-bed requests without a session carry user = their arrival number (0, 1, ...).
  int on_mc1 = 0;
  for (size_t i = 0; i < t.sent.size(); ++i) {
    const auto& s = *t.sent[i];
    ASSERT_TRUE(s.ended);
    EXPECT_EQ(s.outcome, Outcome::kOk);
    if (ring.server_of("user:" + std::to_string(i)) == 0) {
      ++on_mc1;
      EXPECT_LT(s.end - s.at, t.p.server_timeout.seconds) << "user " << i << " lives on mc-1";
    }
  }
  EXPECT_GT(on_mc1, 0);
}

}  // namespace
}  // namespace mailsim::testing
