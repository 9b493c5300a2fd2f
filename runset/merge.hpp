#pragma once
// Shards and their merge. A sharded command writes a shard document: the set (every
// parameter the result depends on, with `kind` and `total` items) and the items it owns.
// `mailsim merge` checks that the shards describe the same set and together hold every
// item exactly once, then finalizes exactly as an unsharded run does, by the same
// function on the same items in the same order: the outputs are byte-identical.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "runset/shard.hpp"

namespace mailsim::runset {

nlohmann::json shard_document(const nlohmann::json& set, const Shard& shard, const std::vector<nlohmann::json>& items);

// The result of a set from its items (in index order), by the set's kind.
nlohmann::json finalize_set(const nlohmann::json& set, const std::vector<nlohmann::json>& items);

struct Merged {
  nlohmann::json set;     // what every shard described (reports/run_set_table.hpp needs it)
  nlohmann::json result;  // finalize_set over all the shards' items
};

// Shard documents with the files they came from (for errors, which are core::InputError).
Merged merge_shards(const std::vector<std::pair<std::string, nlohmann::json>>& shards);

}  // namespace mailsim::runset
