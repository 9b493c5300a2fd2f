#include "runset/merge.hpp"

#include <fmt/format.h>

#include <map>

#include "core/error.hpp"
#include "runset/explore.hpp"
#include "runset/reliability.hpp"
#include "runset/sweep.hpp"

namespace mailsim::runset {

nlohmann::json shard_document(const nlohmann::json& set, const Shard& shard, const std::vector<nlohmann::json>& items) {
  return {{"schema", "mailsim.shard/1"}, {"shard", shard.text()}, {"set", set}, {"items", items}};
}

nlohmann::json finalize_set(const nlohmann::json& set, const std::vector<nlohmann::json>& items) {
  const std::string kind = set.value("kind", "");
  if (kind == "explore") return explore_finalize(set, items);
  if (kind == "reliability") return reliability_finalize(set, items);
  if (kind == "sweep") return sweep_finalize(set, items);
  throw core::InputError({"merge", 0, 0}, "unknown kind of run set '" + kind + "'");
}

Merged merge_shards(const std::vector<std::pair<std::string, nlohmann::json>>& shards) {
  if (shards.empty()) throw core::InputError({"merge", 0, 0}, "no shard files given");
  const nlohmann::json* set = nullptr;
  std::map<size_t, nlohmann::json> items;
  std::map<std::string, std::string> seen;  // shard text -> file
  int count = 0;
  for (const auto& [file, doc] : shards) {
    if (doc.value("schema", "") != "mailsim.shard/1")
      throw core::InputError({file, 0, 0}, "not a shard file (schema mailsim.shard/1); write one with --shard i/N");
    Shard sh = parse_shard(doc["shard"].get<std::string>());
    if (!set) {
      set = &doc["set"];
      count = sh.count;
    } else {
      if (doc["set"] != *set)
        throw core::InputError({file, 0, 0}, fmt::format("this shard belongs to another run set than {} (inputs or "
                                                         "options differ)", shards[0].first));
      if (sh.count != count)
        throw core::InputError({file, 0, 0}, fmt::format("shard {} of a set split {} ways, not {}", sh.text(), sh.count, count));
    }
    if (seen.count(sh.text()))
      throw core::InputError({file, 0, 0}, fmt::format("shard {} is also in {}", sh.text(), seen[sh.text()]));
    seen[sh.text()] = file;
    for (const auto& it : doc["items"]) {
      size_t idx = it["index"];
      if (!sh.owns(idx)) throw core::InputError({file, 0, 0}, fmt::format("item {} does not belong to shard {}", idx, sh.text()));
      items[idx] = it;
    }
  }
  if (static_cast<int>(seen.size()) != count) {
    std::string missing;
    for (int i = 0; i < count; ++i)
      if (!seen.count(fmt::format("{}/{}", i, count))) missing += (missing.empty() ? "" : ", ") + fmt::format("{}/{}", i, count);
    throw core::InputError({"merge", 0, 0}, "missing shard(s) " + missing);
  }
  const size_t total = (*set)["total"];
  if (items.size() != total)
    throw core::InputError({"merge", 0, 0}, fmt::format("the shards hold {} of the set's {} items", items.size(), total));
  std::vector<nlohmann::json> ordered;
  for (auto& [i, it] : items) ordered.push_back(std::move(it));
  return {*set, finalize_set(*set, ordered)};
}

}  // namespace mailsim::runset
