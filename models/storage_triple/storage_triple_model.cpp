// storage_triple's entry in the registry: its checks, its availability rule and its factory.
#include "models/storage_triple/storage_triple_model.hpp"

#include <fmt/format.h>

#include "models/storage_triple/storage_triple.hpp"

namespace mailsim::models {

namespace {

constexpr const char* kSummary =
    "VK WorkSpace storage: nodes in threes, disk pairs on node pairs, synchronous two-copy writes, "
    "read-only "
    "pairs when a node is down";

void check(const ComponentCheck& c) {
  StorageTripleParams p = c.params(storage_triple_params());
  if (c.node_count() % 3 != 0)
    c.fail(fmt::format(
        "storage_triple needs a multiple of 3 nodes (disk pairs spread over node pairs), {} given",
        c.node_count()));
  c.require_disks("storage", p.disk);
  c.require_caller();
}

AvailabilityRule availability(const config::ComponentSpec& c, const config::Topology&,
                              const std::string& op) {
  using E = AvailabilityExpr;
  // Pairs as models/storage_triple/storage_triple_logic.cpp lays them out: (a,b), (b,c), (c,a)
  // within each group of three nodes.
  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t g = 0; g + 2 < c.nodes.size(); g += 3) {
    pairs.emplace_back(c.nodes[g], c.nodes[g + 1]);
    pairs.emplace_back(c.nodes[g + 1], c.nodes[g + 2]);
    pairs.emplace_back(c.nodes[g + 2], c.nodes[g]);
  }
  std::vector<E> terms;
  const auto kind = data_ops().find(op);  // no op: the rule of a component another one names
  if (kind == DataOp::kWrite) {
    // A write needs one read-write pair: both of its nodes up.
    for (const auto& [a, b] : pairs) terms.push_back(E::all_of({E::node(a), E::node(b)}));
    return {E::any_of(std::move(terms)), "write: some disk pair read-write (both of its nodes up)"};
  }
  // A read of any message needs a live copy of every pair: one node of each pair.
  for (const auto& [a, b] : pairs) terms.push_back(E::any_of({E::node(a), E::node(b)}));
  return {E::all_of(std::move(terms)),
          kind == DataOp::kRead
              ? "read: every disk pair keeps a live copy (1 of its 2 nodes)"
              : "read (shown): every disk pair keeps a live copy (1 of its 2 nodes); "
                "write: some pair has both nodes up"};
}

}  // namespace

ModelInfo storage_triple_model() {
  return make_model<StorageTriple>("storage_triple", kSummary, storage_triple_params(),
                                   data_ops().names(), any_role().names(), check, availability);
}

}  // namespace mailsim::models
