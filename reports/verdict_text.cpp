#include "reports/verdict_text.hpp"

#include <fmt/format.h>

namespace mailsim::reports {

using nlohmann::json;

std::string format_measure(const json& value, const std::string& unit) {
  if (!value.is_number()) return "-";
  double v = value.get<double>();
  if (unit == "fraction") return fmt::format("{:.4f}%", 100 * v);
  if (unit == "s") {
    if (v != 0 && v < 1) return fmt::format("{:.6g}ms", v * 1000);
    return fmt::format("{:.6g}s", v);
  }
  return fmt::format("{:.10g}", v);
}

std::string measured_text(const json& verdict) {
  if (verdict.contains("measured") && verdict.at("measured").is_number())
    return "measured " + format_measure(verdict.at("measured"), verdict.value("unit", ""));
  return verdict.value("note", std::string("not measured"));
}

}  // namespace mailsim::reports
