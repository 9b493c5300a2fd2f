#include "models/common/availability.hpp"

#include <fmt/format.h>

namespace mailsim::models {

using E = AvailabilityExpr;

E E::node(std::string n) {
  E e;
  e.kind = Kind::kNode;
  e.name = std::move(n);
  return e;
}

E E::component(std::string c) {
  E e;
  e.kind = Kind::kComponent;
  e.name = std::move(c);
  return e;
}

E E::at_least(int k, std::vector<E> of) {
  E e;
  e.kind = Kind::kAtLeast;
  e.k = k;
  e.of = std::move(of);
  return e;
}

E E::all_of(std::vector<E> of) {
  int n = static_cast<int>(of.size());
  return at_least(n, std::move(of));
}

E E::any_of(std::vector<E> of) { return at_least(1, std::move(of)); }

E E::k_of_nodes(int k, const std::vector<std::string>& nodes) {
  std::vector<E> of;
  for (const auto& n : nodes) of.push_back(node(n));
  return at_least(k, std::move(of));
}

std::string E::describe() const {
  switch (kind) {
    case Kind::kNode:
      return name;
    case Kind::kComponent:
      return "component " + name;
    case Kind::kAtLeast:
      break;
  }
  if (of.size() == 1 && k == 1) return of[0].describe();
  std::vector<std::string> parts;
  bool all_nodes = true;
  for (const auto& e : of) {
    parts.push_back(e.describe());
    all_nodes = all_nodes && e.kind == Kind::kNode;
  }
  if (k == static_cast<int>(of.size()) && !all_nodes) {
    std::vector<std::string> wrapped;
    for (const auto& p : parts) wrapped.push_back(p.find(' ') != std::string::npos && p.rfind("component ", 0) != 0 ? "(" + p + ")" : p);
    return fmt::format("{}", fmt::join(wrapped, " AND "));
  }
  if (k == 1 && !all_nodes) return fmt::format("({})", fmt::join(parts, " OR "));
  return fmt::format("{} of {{{}}}", k, fmt::join(parts, ", "));
}

}  // namespace mailsim::models
