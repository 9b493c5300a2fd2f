// Platform computes each route's one-way latency and bottleneck bandwidth itself, from the
// topology's network spec, as SimGrid's star zone routes it; SimGridPlatform builds the same
// star in SimGrid. Messages travel on Platform's figures and CPU jobs run on SimGrid's
// hosts, so the two must agree exactly: for every topology under topologies/ and every
// ordered pair of distinct hosts (nodes and the clients host), Host::route_to must give
// the same latency and the same smallest link bandwidth, bit for bit. Each topology is
// built in a forked child (one SimGrid engine per process).
#include <gtest/gtest.h>

#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "config/topology.hpp"
#include "engine/platform.hpp"
#include "engine/simgrid_platform.hpp"
#include "runset/child_run.hpp"

namespace fs = std::filesystem;
namespace sg4 = simgrid::s4u;
using mailsim::engine::NodeId;
using mailsim::engine::Platform;

namespace {

std::vector<std::string> topology_files() {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(MAILSIM_TOPOLOGIES_DIR))
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

bool same_bits(double a, double b) { return std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b); }

// In the child: one line per disagreeing pair, then "pairs N".
std::string compare_routes(const std::string& file) {
  xbt_log_control_set("root.thres:critical");
  int argc = 2;
  char arg0[] = "platform_route_test";
  char arg1[] = "--cfg=network/model:CM02";
  char* argv[] = {arg0, arg1, nullptr};
  sg4::Engine engine(&argc, argv);
  const Platform platform(mailsim::config::load_topology(file));
  const mailsim::engine::SimGridPlatform hosts(platform);
  std::string out;
  int pairs = 0;
  for (NodeId a = 0; a <= platform.node_count(); ++a)
    for (NodeId b = 0; b <= platform.node_count(); ++b) {
      if (a == b) continue;
      std::vector<sg4::Link*> links;
      double latency = 0;
      hosts.host(a)->route_to(hosts.host(b), links, &latency);
      double bandwidth = std::numeric_limits<double>::infinity();
      for (auto* l : links) bandwidth = std::min(bandwidth, l->get_bandwidth());
      ++pairs;
      if (!same_bits(latency, platform.latency(a, b)) || !same_bits(bandwidth, platform.bandwidth(a, b)))
        out += fmt::format("{} -> {}: SimGrid {:.17g} s {:.17g} B/s, Platform {:.17g} s {:.17g} B/s\n",
                           platform.name_of(a), platform.name_of(b), latency, bandwidth, platform.latency(a, b),
                           platform.bandwidth(a, b));
    }
  return out + fmt::format("pairs {}\n", pairs);
}

}  // namespace

TEST(PlatformRoute, LatencyAndBandwidthEqualSimGridRouteToBitForBitInEveryTopology) {
  const auto files = topology_files();
  ASSERT_GE(files.size(), 5u) << "expected the seed and tutorial topologies under " << MAILSIM_TOPOLOGIES_DIR;
  for (const auto& file : files) {
    const auto res = mailsim::runset::run_in_child([&file] { return compare_routes(file); });
    ASSERT_EQ(res.exit_code, 0) << file << ": " << res.output;
    const auto last = res.output.rfind("pairs ");
    ASSERT_NE(last, std::string::npos) << file;
    EXPECT_EQ(last, 0u) << file << " disagrees:\n" << res.output.substr(0, last);
    EXPECT_GT(std::stoi(res.output.substr(last + 6)), 0) << file;
  }
}
