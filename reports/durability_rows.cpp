#include "reports/durability_rows.hpp"

#include <fmt/format.h>

namespace mailsim::reports {

std::vector<DurabilityRow> durability_rows(const nlohmann::json& run) {
  std::vector<DurabilityRow> rows;
  if (!run.contains("durability")) return rows;
  for (const auto& [store, d] : run.at("durability").items()) {
    DurabilityRow r{store, d.value("holds", ""), d.value("acknowledged", uint64_t{0}), d.value("lost", uint64_t{0}),
                    "-", d.value("duplicated", uint64_t{0}), d.value("queued", uint64_t{0})};
    if (r.acknowledged == 0 && r.lost == 0) continue;  // a store nothing wrote to
    const auto& w = d.value("lost_acknowledged_window_s", nlohmann::json());
    if (w.is_array() && w.size() == 2)
      r.lost_window = fmt::format("{:.3f}–{:.3f} s", w[0].get<double>(), w[1].get<double>());
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace mailsim::reports
