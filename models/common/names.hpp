#pragma once
// A model's typed vocabulary: the ops its steps may name, or the roles a fault may target.
// Each value of the model's enum has the one name a YAML file uses for it. The registry
// checks topologies and scenarios against names(); the shell maps a name to its enum value
// once (register_op, resolve_role) and compares enum values from then on, never strings.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace mailsim::models {

template <class E>
class NameTable {
 public:
  NameTable(std::initializer_list<std::pair<E, std::string>> entries) : entries_(entries) {}

  std::optional<E> find(const std::string& name) const {
    for (const auto& [value, n] : entries_)
      if (n == name) return value;
    return std::nullopt;
  }
  // For names the registry has already checked: an unknown one is a bug, not bad input.
  E at(const std::string& name) const {
    auto v = find(name);
    MAILSIM_ASSERT(v.has_value(),
                   "'" + name + "' survived validation without being a declared name");
    return *v;
  }
  const std::string& name(E value) const {
    for (const auto& [v, n] : entries_)
      if (v == value) return n;
    throw core::InternalError("NameTable: a value without a name");
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& e : entries_) out.push_back(e.second);
    return out;
  }
  std::vector<E> values() const {
    std::vector<E> out;
    for (const auto& e : entries_) out.push_back(e.first);
    return out;
  }

 private:
  std::vector<std::pair<E, std::string>> entries_;
};

// The ops of a data store that tells reads from writes (patroni_postgres, cockroachdb,
// storage_triple).
enum class DataOp { kRead, kWrite };
inline const NameTable<DataOp>& data_ops() {
  static const NameTable<DataOp> ops{{DataOp::kRead, "read"}, {DataOp::kWrite, "write"}};
  return ops;
}

// The one role of a model whose instances a fault tells apart only by order: `any`, the
// first running instance in node order (mail_node, pgbouncer, storage_triple).
enum class AnyRole { kAny };
inline const NameTable<AnyRole>& any_role() {
  static const NameTable<AnyRole> roles{{AnyRole::kAny, "any"}};
  return roles;
}

}  // namespace mailsim::models
