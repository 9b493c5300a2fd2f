#include "reports/explore_table.hpp"

#include <fmt/format.h>

namespace mailsim::reports {

std::string explore_table(const nlohmann::json& result, int top) {
  std::string out;
  out += fmt::format("explore {} under {}: crashes of up to {} node(s) at {} s{}; {} runs\n",
                     result["topology"].get<std::string>(), result["scenario"].get<std::string>(),
                     result["faults"].get<int>(), result["at_s"].get<double>(),
                     result["for_s"].is_null() ? " (permanent)" : fmt::format(" for {} s", result["for_s"].get<double>()),
                     result["runs"].size());
  for (const auto& [svc, list] : result["ranking"].items()) {
    out += fmt::format("\n{}: most harmful first (lost availability, then incident, then lost mail)\n"
                       "  {:<32} {:>10} {:>9} {:>9} {:>10}  {}\n",
                       svc, "crashed", "avail", "incident", "lost mail", "outage s", "impact");
    int n = 0;
    for (const auto& r : list) {
      if (n++ >= top) break;
      std::string nodes;
      for (const auto& x : r["nodes"]) nodes += (nodes.empty() ? "" : "+") + x.get<std::string>();
      out += fmt::format("  {:<32} {:>9.4f}% {:>9} {:>9} {:>10.3f}  {}\n", nodes, 100 * r["availability"].get<double>(),
                         r.value("incident_class", std::string("none")), r.value("lost_mail", uint64_t{0}),
                         r["outage_max_s"].get<double>(), r["impact"].get<std::string>());
    }
  }
  out += "\nsingle-node loss (compare with analyze's SPOFs):\n";
  for (const auto& [svc, cls] : result["single_node"].items()) {
    out += fmt::format("  {}:", svc);
    for (const char* c : {"down", "degraded", "transient", "none"}) {
      std::string nodes;
      for (const auto& x : cls[c]) nodes += (nodes.empty() ? "" : ",") + x.get<std::string>();
      out += fmt::format(" {}=[{}]", c, nodes);
    }
    out += "\n";
  }
  out += "minimal cut sets found:\n";
  for (const auto& [svc, sets] : result["cut_sets"].items()) {
    std::string s;
    for (const auto& set : sets) {
      std::string one;
      for (const auto& x : set) one += (one.empty() ? "" : "+") + x.get<std::string>();
      s += (s.empty() ? "" : " ") + std::string("{") + one + "}";
    }
    out += fmt::format("  {}: {}\n", svc, s.empty() ? "none" : s);
  }
  if (result.contains("slo")) {
    const auto& slo = result["slo"];
    out += fmt::format("SLO {}: holds in {} of {} runs{}\n", slo["expectations"].get<std::string>(),
                       slo["holds"].get<size_t>(), slo["runs"].get<size_t>(), slo["broken_by"].empty() ? "" : "; broken by:");
    for (const auto& b : slo["broken_by"]) {
      std::string nodes;
      for (const auto& x : b["nodes"]) nodes += (nodes.empty() ? "" : "+") + x.get<std::string>();
      out += fmt::format("  {}: {}\n", nodes.empty() ? "baseline" : "{" + nodes + "}", b["why"].get<std::string>());
    }
  }
  if (result.contains("agreement")) {
    const auto& ag = result["agreement"];
    auto set_text = [](const nlohmann::json& nodes) {
      std::string one;
      for (const auto& x : nodes) one += (one.empty() ? "" : "+") + x.get<std::string>();
      return "{" + one + "}";
    };
    out += fmt::format("agreement with mailsim analyze (cut sets of up to {} node(s)):\n", ag["max_cut_size"].get<int>());
    if (ag.contains("error")) out += "  not compared: analyze failed: " + ag["error"].get<std::string>() + "\n";
    for (const auto& [svc, a] : ag["services"].items()) {
      std::string sets;
      for (const auto& c : a["cut_sets_analyze"]) sets += " " + set_text(c);
      out += fmt::format("  {}: {} (analyze's cut sets:{})\n", svc, a["agree"].get<bool>() ? "agree" : "DISAGREE",
                         sets.empty() ? " none" : sets);
      for (const auto& d : a["only_in_explore"])
        out += fmt::format("    only in explore: {} (measured down; analyze says the service survives){}\n", set_text(d["nodes"]),
                           d.contains("hint") ? ": " + d["hint"].get<std::string>() : "");
      for (const auto& d : a["only_in_analyze"])
        out += fmt::format("    only in analyze: {} (explore measured {})\n", set_text(d["nodes"]),
                           d["explore_impact"].get<std::string>());
      for (const auto& d : a["expected_differences"])
        out += fmt::format("    expected: {} only in {}: {}\n", set_text(d["nodes"]), d["in"].get<std::string>(),
                           d["why"].get<std::string>());
    }
  }
  for (const auto& f : result["failed_runs"]) out += "failed run: " + f["error"].get<std::string>() + "\n";
  return out;
}

}  // namespace mailsim::reports
