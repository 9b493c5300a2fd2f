#pragma once
// ScyllaDB's failure detector and consistency levels, without SimGrid.
#include <cmath>
#include <string>

namespace mailsim::models {

// Phi accrual with exponentially distributed heartbeat gaps of mean `mean_interval`, as
// Cassandra's FailureDetector (and Scylla's gossiper before its direct detector) computes
// it: phi(silence) = silence / (mean_interval x ln 10).
inline double phi(double silence, double mean_interval) {
  return silence / (mean_interval * std::log(10.0));
}
// The silence after which phi passes the threshold: the conviction delay.
inline double conviction_delay(double threshold, double mean_interval) {
  return threshold * mean_interval * std::log(10.0);
}

// Replicas a request needs at consistency level `cl` ("one", "quorum", "all") with
// replication factor rf, the coordinator's own copy included.
inline int replicas_needed(const std::string& cl, int rf) {
  if (cl == "all") return rf;
  if (cl == "quorum") return rf / 2 + 1;
  return 1;
}

}  // namespace mailsim::models
