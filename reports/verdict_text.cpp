#include "reports/verdict_text.hpp"

#include <fmt/format.h>

#include "app/verdicts.hpp"

namespace mailsim::reports {

using nlohmann::json;

std::string format_measure(const json& value, const std::string& unit) {
  if (!value.is_number()) return "-";
  return app::measure_text(value.get<double>(), unit);
}

std::string measured_text(const json& verdict) {
  if (verdict.contains("measured") && verdict.at("measured").is_number())
    return "measured " + format_measure(verdict.at("measured"), verdict.value("unit", ""));
  return verdict.value("note", std::string("not measured"));
}

}  // namespace mailsim::reports
