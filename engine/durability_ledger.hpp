#pragma once
// The durability ledger: the one place every store reports what it acknowledged and which of
// those acknowledged items are on no surviving copy. Lost data is counted from the stores'
// own copies (Raft logs, WAL positions, rsync backlogs, disk pairs, the mail queue), never
// from a lag constant.
//
// A store registers once (add_store), saying whether it holds mail messages (a Maildir, a
// storage triple, a service's mail queue) or database commits. It reports each item it
// acknowledges to a client (acknowledged), each acknowledged item it finds on no surviving
// copy (lost, with the time it was acknowledged), each item stored twice (duplicated), and
// at the end what it still holds in a queue (still_queued). A store that can only judge at
// the end registers a check (at_end); the checks run once, before the report.
//
// The rule for "surviving copy", which every store applies: a copy survives if it is on a
// node that is up at the end of the run and the store still serves it. A node down at the
// end counts as lost with its disk (the run never saw it return); a node that crashed and
// returned during the run comes back with its disk where the model keeps it (a Raft log, a
// Maildir) and without it where the real software discards it (pg_rewind of a forked
// timeline, a Maildir master left behind by a switch).
//
// The report (finish) is per store and per service: acknowledged, lost, duplicated, queued,
// and the window of acknowledgement times of the lost items. No SimGrid here.
#include <cstdint>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mailsim::engine {

class DurabilityLedger {
 public:
  enum class Holds { kMessages, kCommits };
  int add_store(const std::string& name, Holds holds);
  // service: the flow's service index, or -1 for items no service is named for.
  void acknowledged(int store, int service, double t);
  // n acknowledged items lost, acknowledged between first and last.
  void lost(int store, int service, double first, double last, uint64_t n);
  void lost(int store, int service, double acknowledged_at) { lost(store, service, acknowledged_at, acknowledged_at, 1); }
  void duplicated(int store, int service);
  void still_queued(int store, int service, uint64_t n);
  void at_end(std::function<void()> check) { at_end_.push_back(std::move(check)); }
  // Runs the end-of-run checks (once), then reports; service_names maps the indexes.
  nlohmann::json finish(const std::vector<std::string>& service_names);

 private:
  struct Counts {
    uint64_t acknowledged = 0, lost = 0, duplicated = 0, queued = 0;
    double lost_first = std::numeric_limits<double>::infinity();
    double lost_last = -std::numeric_limits<double>::infinity();
    bool any() const { return acknowledged + lost + duplicated + queued > 0; }
    nlohmann::json to_json() const;
  };
  struct Store {
    std::string name;
    Holds holds;
    Counts all;
    std::vector<Counts> by_service;  // by service index; grown on demand
  };
  // Applies f to the store's totals and, for a named service, to that service's counts.
  template <class F>
  void update(int store, int service, F f);

  std::vector<Store> stores_;
  std::vector<std::function<void()>> at_end_;
};

}  // namespace mailsim::engine
