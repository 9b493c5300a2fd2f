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

struct Finalized {
  nlohmann::json result;
  std::string table;  // the text a command prints
};

// The result and table of a set from its items (in index order), by the set's kind.
Finalized finalize_set(const nlohmann::json& set, const std::vector<nlohmann::json>& items);

// Shard documents with the files they came from (for errors, which are core::InputError).
Finalized merge_shards(const std::vector<std::pair<std::string, nlohmann::json>>& shards);

}  // namespace mailsim::runset
