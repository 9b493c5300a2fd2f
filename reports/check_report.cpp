#include "reports/check_report.hpp"

#include <fmt/format.h>

#include "app/verdicts.hpp"
#include "reports/config_sources.hpp"
#include "reports/verdict_text.hpp"

namespace mailsim::reports {

namespace {

using nlohmann::json;

const json& verdicts(const CheckRun& r) {
  static const json none = json::array();
  if (r.result.is_object() && r.result.contains("expectations") && r.result.at("expectations").is_array())
    return r.result.at("expectations");
  return none;
}

std::string run_error(const CheckRun& r) {
  return r.exit_code == 2 ? "bad input (exit 2): see the error printed by mailsim check"
                          : fmt::format("internal error (exit {}) in the run", r.exit_code);
}

std::string md_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|' ) out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

}  // namespace

std::string xml_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') out += "\xEF\xBF\xBD";
        else out += c;
    }
  }
  return out;
}

int check_exit_code(const std::vector<CheckRun>& runs) {
  int worst = 0;
  for (const auto& r : runs) {
    int code = r.exit_code != 0 ? r.exit_code : (app::failed_expectations(r.result) > 0 ? 1 : 0);
    if (code == 3 || worst == 3) worst = 3;
    else worst = std::max(worst, code);
  }
  return worst;
}

std::string junit_xml(const std::vector<CheckRun>& runs) {
  size_t tests = 0, failures = 0, errors = 0;
  std::string suites;
  for (const auto& r : runs) {
    const json& vs = verdicts(r);
    std::string cases;
    size_t t = 0, f = 0, e = 0;
    std::string cls = "mailsim." + r.name;
    for (char& c : cls)
      if (c == '/') c = '.';
    // Each testcase names the scenario file and its expectation's line (CI tools link
    // them to the source), and carries an equal share of the run's wall time, so the
    // times of a suite add up to what it took.
    const size_t n_cases = std::max<size_t>(1, r.exit_code != 0 ? 1 + vs.size() : vs.size());
    const std::string time = fmt::format("{:.3f}", r.wall_s / static_cast<double>(n_cases));
    auto open_case = [&](const std::string& name, int line) {
      return fmt::format("    <testcase classname=\"{}\" name=\"{}\" file=\"{}\"{} time=\"{}\"", xml_escape(cls),
                         xml_escape(name), xml_escape(r.scenario_file),
                         line > 0 ? fmt::format(" line=\"{}\"", line) : std::string(), time);
    };
    if (r.exit_code != 0) {
      ++t, ++e;
      cases += open_case("run", 0) +
               fmt::format(">\n      <error message=\"{}\">{}\nreproduce with: {}</error>\n    </testcase>\n",
                           xml_escape(run_error(r)), xml_escape(run_error(r)), xml_escape(r.command));
    } else if (vs.empty()) {
      ++t;
      cases += open_case("run (no expectations)", 0) + "/>\n";
    }
    for (size_t i = 0; i < vs.size(); ++i) {
      const json& v = vs[i];
      ++t;
      std::string text = v.value("text", "");
      const int line = i < r.expectation_lines.size() ? r.expectation_lines[i] : 0;
      if (v.value("pass", false)) {
        cases += open_case(text, line) + "/>\n";
        continue;
      }
      ++f;
      std::string msg = fmt::format("{}: {}", text, measured_text(v));
      std::string sources;
      for (const auto& source : config_sources(r.result, v)) sources += "from " + source + "\n";
      cases += open_case(text, line) +
               fmt::format(">\n      <failure message=\"{}\" type=\"expectation\">expected: {}\n{}\n{}reproduce with: "
                           "{}</failure>\n    </testcase>\n",
                           xml_escape(msg), xml_escape(text), xml_escape(measured_text(v)), xml_escape(sources),
                           xml_escape(r.command));
    }
    tests += t, failures += f, errors += e;
    suites += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" time=\"{:.3f}\">\n",
                          xml_escape(r.name), t, f, e, r.wall_s);
    suites += fmt::format("    <properties>\n      <property name=\"topology\" value=\"{}\"/>\n      <property name=\"scenario\" value=\"{}\"/>\n      <property name=\"command\" value=\"{}\"/>\n    </properties>\n",
                          xml_escape(r.topology_file), xml_escape(r.scenario_file), xml_escape(r.command));
    suites += cases + "  </testsuite>\n";
  }
  return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mailsim check\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n{}</testsuites>\n",
                     tests, failures, errors, suites);
}

std::string check_markdown(const std::vector<CheckRun>& runs) {
  size_t runs_failed = 0, total = 0, failed = 0;
  for (const auto& r : runs) {
    size_t f = app::failed_expectations(r.result);
    total += verdicts(r).size();
    failed += f;
    if (r.exit_code != 0 || f > 0) ++runs_failed;
  }
  int code = check_exit_code(runs);
  std::string out = fmt::format("### mailsim check: {}\n\n",
                                code == 0 ? fmt::format("all {} runs passed ({} expectations)", runs.size(), total)
                                          : fmt::format("{} of {} runs failed ({} of {} expectations failed)", runs_failed,
                                                        runs.size(), failed, total));
  out += "| | run | expectations | availability | longest outage | failovers | lost mail |\n|---|---|---|---|---|---|---|\n";
  for (const auto& r : runs) {
    size_t f = app::failed_expectations(r.result);
    std::string mark = r.exit_code != 0 ? ":warning:" : f > 0 ? ":x:" : ":white_check_mark:";
    std::string avail = "-", outage = "-", fo = "-", lost = "-";
    if (r.result.is_object() && r.result.contains("services")) {
      avail.clear();
      outage.clear();
      for (const auto& [name, s] : r.result.at("services").items()) {
        avail += fmt::format("{}{} {:.4f}%", avail.empty() ? "" : ", ", name, 100 * s.value("availability", 1.0));
        outage += fmt::format("{}{} {:.3f}s", outage.empty() ? "" : ", ", name, s.value("outage_max_s", 0.0));
      }
      fo.clear();
      for (const auto& x : r.result.value("failovers", json::array())) {
        std::string d = x.contains("duration_s") && x.at("duration_s").is_number()
                            ? fmt::format("{:.3f}s", x.at("duration_s").get<double>())
                            : "not completed";
        fo += fmt::format("{}{} {}", fo.empty() ? "" : ", ", x.value("component", ""), d);
      }
      if (fo.empty()) fo = "none";
      // The durability ledger's lost mail, per service that lost any (the run page's figures).
      lost = fmt::format("{}", r.result.value("lost_acknowledged_messages", uint64_t{0}));
      for (const auto& [name, s] : r.result.at("services").items())
        if (const auto n = s.value("lost_acknowledged_messages", uint64_t{0}); n > 0) lost += fmt::format(", {} {}", name, n);
    }
    std::string exp = r.exit_code != 0 ? run_error(r) : fmt::format("{}/{} passed", verdicts(r).size() - f, verdicts(r).size());
    out += fmt::format("| {} | `{}` | {} | {} | {} | {} | {} |\n", mark, md_escape(r.name), md_escape(exp), md_escape(avail),
                       md_escape(outage), md_escape(fo), md_escape(lost));
  }
  bool header = false;
  for (const auto& r : runs) {
    if (r.exit_code == 0 && app::failed_expectations(r.result) == 0) continue;
    if (!header) out += "\n#### Failures\n";
    header = true;
    out += fmt::format("\n**{}**, reproduce with `{}`\n", r.name, r.command);
    if (r.exit_code != 0) out += fmt::format("- {}\n", run_error(r));
    for (const auto& v : verdicts(r))
      if (!v.value("pass", false)) {
        out += fmt::format("- `{}`: {}\n", v.value("text", ""), measured_text(v));
        for (const auto& source : config_sources(r.result, v)) out += fmt::format("  - from {}\n", source);
      }
  }
  return out;
}

std::string failed_verdicts_text(const json& run, const std::string& indent, const TableStyle& style) {
  std::string out;
  if (run.is_object() && run.contains("expectations"))
    for (const auto& v : run.at("expectations"))
      if (!v.value("pass", false)) {
        out += fmt::format("{}{} {}  {}\n", indent, style.paint(kRed, "FAIL"), v.value("text", std::string()),
                           measured_text(v));
        for (const auto& source : config_sources(run, v)) out += fmt::format("{}     from {}\n", indent, source);
      }
  return out;
}

std::string check_run_text(const CheckRun& run, bool quiet, const TableStyle& style) {
  const size_t failed = run.exit_code == 0 ? app::failed_expectations(run.result) : 0;
  const size_t total = run.exit_code == 0 ? run.result.at("expectations").size() : 0;
  const bool ok = run.exit_code == 0 && failed == 0;
  if (quiet && ok) return "";
  std::string status = run.exit_code != 0 ? style.paint(kRed, "ERROR") : ok ? style.paint(kGreen, "PASS ")
                                                                             : style.paint(kRed, "FAIL ");
  std::string detail = run.exit_code != 0 ? fmt::format("exit {}", run.exit_code)
                       : total == 0       ? "no expectations"
                                          : fmt::format("{}/{} expectations passed", total - failed, total);
  std::string out = fmt::format("{} {}  {}\n", status, run.name, detail);
  if (run.exit_code == 0) out += failed_verdicts_text(run.result, "      ", style);
  if (!ok) out += fmt::format("      reproduce with: {}\n", run.command);
  return out;
}

std::string check_summary_text(const std::vector<CheckRun>& runs, const TableStyle& style) {
  size_t bad_runs = 0;
  for (const auto& r : runs)
    if (r.exit_code != 0 || app::failed_expectations(r.result) > 0) ++bad_runs;
  return fmt::format("{}: {} of {} runs passed\n",
                     check_exit_code(runs) == 0 ? style.paint(kGreen, "ok") : style.paint(kRed, "failed"),
                     runs.size() - bad_runs, runs.size());
}

}  // namespace mailsim::reports
