// Renderers over a hand-made run result (no engine): expectation verdicts, the HTML page's
// structure (well-formed, charts present, nothing external), CSV, JUnit, Markdown,
// baselines, terminal colours, and the schema validator itself.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "reports/baseline.hpp"
#include "reports/check_report.hpp"
#include "reports/compare_html.hpp"
#include "reports/compare_table.hpp"
#include "reports/csv_series.hpp"
#include "app/incidents.hpp"
#include "app/verdicts.hpp"
#include "reports/verdict_text.hpp"
#include "reports/html_report.hpp"
#include "reports/summary_table.hpp"
#include "config/scenario.hpp"
#include "tests/reports/json_schema.hpp"
#include "tests/reports/xml_check.hpp"

using namespace mailsim;
using nlohmann::json;

namespace {

json service(double avail, double p99_ms, double outage_s) {
  return {{"requests", 1000},
          {"ok", static_cast<int>(1000 * avail)},
          {"failed", 1000 - static_cast<int>(1000 * avail)},
          {"unfinished_at_end", 0},
          {"stalled", 1},
          {"availability", avail},
          {"failures", avail < 1 ? json{{"timeout", 1000 - static_cast<int>(1000 * avail)}} : json::object()},
          {"latency_ms", {{"mean", 5.0}, {"p50", 4.0}, {"p90", 9.0}, {"p99", p99_ms}, {"p999", p99_ms}, {"max", 3000.0}}},
          {"outages", json::array({{{"start_s", 30.0}, {"end_s", 30.0 + outage_s}, {"failed", 3}}})},
          {"outage_max_s", outage_s},
          {"series",
           {{"window_s", 1.0},
            {"requests", {10, 10, 10, 10}},
            {"ok", {10, 7, 0, 10}},
            {"failed", {0, 3, 10, 0}},
            {"stalled", {0, 1, 0, 0}},
            {"latency_mean_ms", {5.0, 900.0, 0.0, 5.5}},
            {"latency_max_ms", {9.0, 3000.0, 0.0, 8.0}}}}};
}

json run_result() {
  json r;
  r["schema"] = "mailsim.run/1";
  r["manifest"] = {{"version", "0.1.0"},
                   {"seed", 7},
                   {"topology", {{"name", "lb-pair"}, {"file", "topologies/tutorial/lb-pair.yaml"}, {"nodes", 4}}},
                   {"scenario", {{"name", "crash<&>"}, {"file", "s.yaml"}, {"duration_s", 4.0}}},
                   {"engine", {{"simgrid", "3.32"}, {"network_model", "CM02"}, {"end_s", 6.0}}},
                   {"params", {{"front_lb", {{"advert_int", "1s"}, {"priority", {150, 100}}}}}}};
  r["services"] = {{"smtp", service(0.987, 812.5, 1.5)}, {"imap", service(1.0, 20.0, 0.0)}};
  const auto rules = config::incident_params().parse(YAML::Node(), config::YamlReader("<defaults>"));
  r["manifest"]["incident_rules"] = config::incident_params().resolved(rules);
  for (auto& [name, svc] : r["services"].items()) svc["incidents"] = app::find_incidents(svc, rules, 4.0);
  r["events"] = json::array({
      {{"t_s", 0.0}, {"kind", "vip.acquired"}, {"component", "front_lb"}, {"node", "lb-1"}},
      {{"t_s", 1.0}, {"kind", "node.crashed"}, {"node", "lb-1"}, {"cause", "fault"}},
      {{"t_s", 1.0}, {"kind", "vip.released"}, {"component", "front_lb"}, {"node", "lb-1"}, {"cause", "crash"}},
      {{"t_s", 1.0}, {"kind", "failover.started"}, {"component", "front_lb"}, {"from", "lb-1"}},
      {{"t_s", 2.5}, {"kind", "vip.acquired"}, {"component", "front_lb"}, {"node", "lb-2"}},
      {{"t_s", 2.5}, {"kind", "failover.completed"}, {"component", "front_lb"}, {"from", "lb-1"}, {"to", "lb-2"}},
      {{"t_s", 2.0}, {"kind", "partition.started"}, {"groups", {{"lb-1"}, {"lb-2"}}}, {"one_way", false}},
      {{"t_s", 3.0}, {"kind", "partition.healed"}, {"groups", {{"lb-1"}, {"lb-2"}}}},
      {{"t_s", 3.5}, {"kind", "raft.leader_elected"}, {"component", "etcd"}, {"node", "db-1"}, {"term", 2}},
      {{"t_s", 3.0}, {"kind", "node.restarted"}, {"node", "lb-1"}},
  });
  r["failovers"] = json::array({{{"component", "front_lb"},
                                 {"from", "lb-1"},
                                 {"to", "lb-2"},
                                 {"start_s", 1.0},
                                 {"end_s", 2.5},
                                 {"duration_s", 1.5},
                                 {"cause", "crash"}}});
  // The durability ledger: one mail store that lost two acknowledged messages.
  json counts = {{"acknowledged", 10}, {"lost", 2}, {"duplicated", 0}, {"queued", 0},
                 {"lost_acknowledged_window_s", {1.0, 1.2}}};
  r["durability"]["maildir"] = counts;
  r["durability"]["maildir"]["holds"] = "messages";
  r["durability"]["maildir"]["services"]["smtp"] = counts;
  return r;
}

std::vector<config::Expectation> parse(const std::vector<std::string>& texts) {
  std::string yaml = "name: m\nduration: 1h\nclient: {timeout: 5s}\nload: []\nexpect:\n";
  for (const auto& t : texts) yaml += "  - \"" + t + "\"\n";
  return config::parse_scenario(yaml, "s.yaml").expectations;
}

json verdict_of(const std::string& text, const json& run) {
  return app::evaluate_expectations(parse({text}), run).at(0);
}

json schema() {
  std::ifstream in(MAILSIM_RUN_SCHEMA);
  return json::parse(in);
}

}  // namespace

TEST(Expectations, PassAndFailWithTheMeasuredValue) {
  json run = run_result();
  json v = verdict_of("availability(smtp) >= 99.9%", run);
  EXPECT_FALSE(v.at("pass").get<bool>());
  EXPECT_DOUBLE_EQ(v.at("measured").get<double>(), 0.987);
  EXPECT_DOUBLE_EQ(v.at("threshold").get<double>(), 0.999);
  EXPECT_EQ(v.at("op"), ">=");
  EXPECT_EQ(v.at("unit"), "fraction");
  EXPECT_EQ(v.at("metric"), "availability(smtp)");
  EXPECT_EQ(reports::measured_text(v), "measured 98.7000%");
  EXPECT_TRUE(verdict_of("availability(imap) >= 99.9%", run).at("pass").get<bool>());
  json p = verdict_of("p99(smtp) < 800ms", run);
  EXPECT_FALSE(p.at("pass").get<bool>());
  EXPECT_DOUBLE_EQ(p.at("measured").get<double>(), 0.8125);
  EXPECT_EQ(reports::measured_text(p), "measured 812.5ms");
  EXPECT_TRUE(verdict_of("p99(smtp) < 1s", run).at("pass").get<bool>());
  EXPECT_TRUE(verdict_of("failover_time(front_lb) <= 1.5s", run).at("pass").get<bool>());
  EXPECT_FALSE(verdict_of("failover_time(front_lb) < 1.5s", run).at("pass").get<bool>());
  EXPECT_TRUE(verdict_of("failovers(front_lb) == 1", run).at("pass").get<bool>());
  EXPECT_TRUE(verdict_of("outage_max(smtp) <= 1.5s", run).at("pass").get<bool>());
  EXPECT_TRUE(verdict_of("failed(smtp) == 13", run).at("pass").get<bool>());
  EXPECT_TRUE(verdict_of("events(vip.acquired) == 2", run).at("pass").get<bool>());
  EXPECT_NEAR(verdict_of("error_rate(smtp) < 2%", run).at("measured").get<double>(), 0.013, 1e-12);
}

TEST(Expectations, AbsentMetricsAreNotMeasuredFailuresNotCrashes) {
  json run = run_result();
  for (const char* text : {"lost_acknowledged_messages == 0", "violations(single_writable_primary) == 0",
                           "availability(webmail) >= 99%", "failover_time(back_lb) <= 40s",
                           "lost_acknowledged_messages(smtp) == 0"}) {
    json v = verdict_of(text, run);
    EXPECT_FALSE(v.at("pass").get<bool>()) << text;
    EXPECT_TRUE(v.at("measured").is_null()) << text;
    EXPECT_EQ(v.at("note").get<std::string>().rfind("not measured: ", 0), 0u) << text;
  }
  // A service with no ok request has no latency.
  run["services"]["smtp"]["ok"] = 0;
  EXPECT_EQ(verdict_of("p99(smtp) < 1s", run).at("note"), "not measured: service 'smtp' had no ok request");
  // A failover that never completed.
  run["failovers"][0]["duration_s"] = nullptr;
  EXPECT_EQ(verdict_of("failover_time(front_lb) < 40s", run).at("note"),
            "not measured: a failover of 'front_lb' did not complete by the end of the run");
  // A result with nothing in it at all.
  EXPECT_FALSE(verdict_of("availability(smtp) >= 1%", json::object()).at("pass").get<bool>());
}

// A per-service metric without its service judges every service that received requests;
// the verdict names the first failing one, or the one nearest the threshold.
TEST(Expectations, WithoutAServiceEveryServiceWithRequestsIsJudged) {
  json run = run_result();
  run["services"]["pop3"] = service(0.5, 9000, 10);
  run["services"]["pop3"]["requests"] = 0;  // idle: nothing to judge
  json v = verdict_of("availability >= 99%", run);
  EXPECT_FALSE(v.at("pass").get<bool>());
  EXPECT_EQ(v.at("metric"), "availability(smtp)");
  EXPECT_EQ(v.at("text"), "availability >= 99%");
  EXPECT_DOUBLE_EQ(v.at("measured").get<double>(), 0.987);
  json low = verdict_of("availability >= 98%", run);
  EXPECT_TRUE(low.at("pass").get<bool>());
  EXPECT_EQ(low.at("metric"), "availability(smtp)");  // the lowest of 0.987 and 1.0
  json p = verdict_of("p99 < 1s", run);
  EXPECT_TRUE(p.at("pass").get<bool>());
  EXPECT_EQ(p.at("metric"), "p99(smtp)");  // the highest of 812.5 and 20 ms
  json fast = verdict_of("p99 < 100ms", run);
  EXPECT_FALSE(fast.at("pass").get<bool>());
  EXPECT_EQ(fast.at("metric"), "p99(smtp)");
  auto verdicts = app::judge(parse({"p99 < 100ms"}), run);
  EXPECT_EQ(verdicts.at(0).why(), "smtp: p99 < 100ms (measured 812.5ms)");
  for (auto& [name, s] : run["services"].items()) s["requests"] = 0;
  EXPECT_EQ(verdict_of("availability >= 1%", run).at("note"), "not measured: no service received requests");
}

TEST(Expectations, ReadsChecksAndLostMailInTheShapesModelsWrite) {
  json run = run_result();
  run["lost_acknowledged_messages"] = 0;
  run["services"]["smtp"]["lost_acknowledged_messages"] = 2;
  EXPECT_TRUE(verdict_of("lost_acknowledged_messages == 0", run).at("pass").get<bool>());
  EXPECT_DOUBLE_EQ(verdict_of("lost_acknowledged_messages(smtp) == 0", run).at("measured").get<double>(), 2);
  run["checks"] = {{"single_writable_primary", {{"violations", json::array({{{"start_s", 1}}})}}}};
  EXPECT_DOUBLE_EQ(verdict_of("violations(single_writable_primary) == 0", run).at("measured").get<double>(), 1);
  run["checks"] = json::array({{{"name", "single_vip_owner"}, {"violations", 0}}});
  EXPECT_TRUE(verdict_of("violations(single_vip_owner) == 0", run).at("pass").get<bool>());
  EXPECT_EQ(app::failed_expectations(json::object()), 0u);
}

TEST(Expectations, LostAcknowledgedPerStoreReadsTheDurabilityLedger) {
  json run = run_result();
  const json v = verdict_of("lost_acknowledged(maildir) == 0", run);
  EXPECT_FALSE(v.at("pass").get<bool>());
  EXPECT_DOUBLE_EQ(v.at("measured").get<double>(), 2);
  const json none = verdict_of("lost_acknowledged(pg) == 0", run);
  EXPECT_FALSE(none.at("pass").get<bool>());
  EXPECT_NE(none.value("note", "").find("reports nothing to the durability ledger"), std::string::npos);
}

TEST(Reports, TerminalAndHtmlShowTheDurabilityLedgerOncePerStore) {
  json run = run_result();
  run["lost_acknowledged_messages"] = 2;
  run["services"]["smtp"]["lost_acknowledged_messages"] = 2;
  const std::string text = reports::summary_table(run);
  EXPECT_NE(text.find("  maildir      messages 10 acknowledged, 2 lost (acknowledged 1.000–1.200 s)"), std::string::npos)
      << text;
  const std::string html = reports::html_report(run);
  EXPECT_NE(html.find("<h2 id=\"durability\">"), std::string::npos);
  EXPECT_NE(html.find("1.000–1.200 s"), std::string::npos);
  // Lost mail is in the Mail and Durability tables, not repeated as a line of its own.
  EXPECT_EQ(html.find("Lost acknowledged messages:"), std::string::npos);
}

// ---- HTML --------------------------------------------------------------------------------

TEST(Html, IsWellFormedSelfContainedAndHasTheCharts) {
  json run = run_result();
  run["expectations"] = app::evaluate_expectations(parse({"availability(smtp) >= 99.9%", "p99(imap) < 1s"}), run);
  run["checks"] = {{"single_writable_primary", {{"violations", 0}, {"intervals", json::array()}}}};
  std::string html = reports::html_report(run);
  std::string why;
  EXPECT_TRUE(testing_xml::well_formed(html.substr(html.find("<html")), &why)) << why;
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<tr><td>single_writable_primary</td><td class=\"n pass\">0</td></tr>"), std::string::npos);
  // Self-contained: no URL, no external resource, no script.
  for (const char* bad : {"http:", "https:", "//cdn", "src=", "<script", "<link", "@import", "url("})
    EXPECT_EQ(html.find(bad), std::string::npos) << bad;
  // Two charts per service (rates, latency) and the timeline.
  size_t svgs = 0;
  for (size_t at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1)) ++svgs;
  EXPECT_EQ(svgs, 5u);
  EXPECT_NE(html.find("class=\"ok-line\""), std::string::npos);
  EXPECT_NE(html.find("class=\"err-line\""), std::string::npos);
  EXPECT_NE(html.find("class=\"mean-line\""), std::string::npos);
  // Fault windows: the crash of lb-1 (1 s to 3 s) and the partition, shaded on every chart.
  EXPECT_NE(html.find("<title>crash lb-1 from 1s to 3s</title>"), std::string::npos);
  EXPECT_NE(html.find("<title>partition lb-1 | lb-2 from 2s to 3s</title>"), std::string::npos);
  // The timeline: lb-1 held the VIP until its crash, lb-2 from the failover on; etcd's leader.
  EXPECT_NE(html.find("<title>front_lb VIP @ lb-1 from 0s to 1s</title>"), std::string::npos);
  EXPECT_NE(html.find("<title>front_lb VIP @ lb-2 from 2.5s to the end</title>"), std::string::npos);
  EXPECT_NE(html.find("<title>etcd leader @ db-1 from 3.5s to the end</title>"), std::string::npos);
  // Tables and escaping.
  EXPECT_NE(html.find("crash&lt;&amp;&gt;"), std::string::npos);
  EXPECT_EQ(html.find("crash<&>"), std::string::npos);
  EXPECT_NE(html.find("1 of 2 expectations failed"), std::string::npos);
  EXPECT_NE(html.find("mailsim run topologies/tutorial/lb-pair.yaml s.yaml --seed 7"), std::string::npos);
  EXPECT_NE(html.find("<td>advert_int</td>"), std::string::npos);
}

TEST(Html, RendersAResultWithoutFaultsFailoversOrExpectations) {
  json run = run_result();
  run["events"] = json::array();
  run["failovers"] = json::array();
  std::string html = reports::html_report(run);
  std::string why;
  EXPECT_TRUE(testing_xml::well_formed(html.substr(html.find("<html")), &why)) << why;
  EXPECT_NE(html.find("No failover in this run."), std::string::npos);
  EXPECT_NE(html.find("No fault was injected."), std::string::npos);
  EXPECT_NE(html.find("no expectations"), std::string::npos);
  EXPECT_EQ(html.find("class=\"fault\""), std::string::npos);
}

TEST(Html, ShowsIncidentsMailAndAnIdleServiceWithoutFigures) {
  json run = run_result();
  run["services"]["smtp"]["messages"] = {{"accepted", 120}, {"accepted_after_retry", 4}, {"deferred_messages", 9},
                                         {"deferred_attempts", 11}, {"bounced", 1}, {"duplicates", 0},
                                         {"queued_at_end", 2},
                                         {"delivery_delay_s", {{"p50", 0.01}, {"p99", 61.5}, {"max", 300.0}}}};
  run["services"]["smtp"]["lost_acknowledged_messages"] = 3;
  json idle = service(1.0, 0.0, 0.0);
  idle["requests"] = 0, idle["ok"] = 0, idle["failed"] = 0, idle["incidents"] = json::array();
  run["services"]["caldav"] = idle;
  const std::string html = reports::html_report(run);
  std::string why;
  EXPECT_TRUE(testing_xml::well_formed(html.substr(html.find("<html")), &why)) << why;
  // smtp's windows 1 and 2 (6 good answers of 20) are one down incident, recovered.
  const size_t incidents = html.find("<h2 id=\"incidents\">");
  ASSERT_NE(incidents, std::string::npos);
  const std::string section = html.substr(incidents, html.find("<h2", incidents + 1) - incidents);
  EXPECT_NE(section.find("<td>smtp</td><td class=\"fail\">down</td><td class=\"n\">1.0</td><td class=\"n\">3.0</td>"),
            std::string::npos)
      << section;
  EXPECT_NE(section.find("less than 90% good answers (ok and faster than 1s)"), std::string::npos) << section;
  // Mail: the ledger's counts and the lost acknowledged messages, marked.
  EXPECT_NE(html.find("<td>smtp</td><td class=\"n\">120</td><td class=\"n\">4</td><td class=\"n\">9</td>"),
            std::string::npos);
  EXPECT_NE(html.find("<td class=\"n fail\">3</td>"), std::string::npos);
  // An idle service shows no figures, not "100%".
  EXPECT_NE(html.find("<tr><td>caldav</td><td class=\"n\">-</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>no load</td>"), std::string::npos);
  EXPECT_EQ(html.find("<h3>caldav</h3>"), std::string::npos) << "an idle service gets no empty chart";
}

TEST(XmlCheck, CatchesMismatchedTags) {
  std::string why;
  EXPECT_TRUE(testing_xml::well_formed("<a><b x=\"1\"/>t &amp; u</a>", &why)) << why;
  EXPECT_FALSE(testing_xml::well_formed("<a><b></a></b>", &why));
  EXPECT_FALSE(testing_xml::well_formed("<a>x < y</a>", &why));
  EXPECT_FALSE(testing_xml::well_formed("<a x=1></a>", &why));
  EXPECT_FALSE(testing_xml::well_formed("<a>", &why));
  EXPECT_FALSE(testing_xml::well_formed("<a>&nbsp;</a>", &why));
}

// ---- CSV ---------------------------------------------------------------------------------

TEST(Csv, OneRowPerWindowPerService) {
  std::string csv = reports::csv_series(run_result());
  std::istringstream in(csv);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  ASSERT_EQ(lines.size(), 9u);
  EXPECT_EQ(lines[0], "service,window_start_s,window_end_s,requests,ok,failed,availability,latency_mean_ms,latency_max_ms");
  EXPECT_EQ(lines[1], "imap,0,1,10,10,0,1,5,9");
  EXPECT_EQ(lines[6], "smtp,1,2,10,7,3,0.7,900,3000");
  EXPECT_EQ(lines[7], "smtp,2,3,10,0,10,0,0,0");
}

// ---- check reports -----------------------------------------------------------------------

TEST(CheckReport, JunitHasOneTestcasePerExpectationWithFileLineTimeAndTheReproducingCommand) {
  json run = run_result();
  run["expectations"] = app::evaluate_expectations(parse({"availability(smtp) >= 99.9%", "p99(imap) < 1s"}), run);
  std::vector<reports::CheckRun> runs = {
      {"t.yaml", "s.yaml", "lb-pair/crash", "mailsim run t.yaml s.yaml --seed 7", 0, run, {12, 13}, 0.5},
      {"t.yaml", "u.yaml", "lb-pair/other", "mailsim run t.yaml u.yaml --seed 3", 3, nullptr, {}, 0.25}};
  std::string xml = reports::junit_xml(runs);
  std::string why;
  EXPECT_TRUE(testing_xml::well_formed(xml.substr(xml.find("<testsuites")), &why)) << why;
  EXPECT_NE(xml.find("<testsuites name=\"mailsim check\" tests=\"3\" failures=\"1\" errors=\"1\">"), std::string::npos) << xml;
  EXPECT_NE(xml.find("name=\"availability(smtp) &gt;= 99.9%\""), std::string::npos);
  EXPECT_NE(xml.find("<failure message=\"availability(smtp) &gt;= 99.9%: measured 98.7000%\" type=\"expectation\">"),
            std::string::npos);
  EXPECT_NE(xml.find("reproduce with: mailsim run t.yaml s.yaml --seed 7</failure>"), std::string::npos);
  // file and line: the expectation's place in the scenario; time: the run's wall time
  // shared among its testcases.
  EXPECT_NE(xml.find("<testcase classname=\"mailsim.lb-pair.crash\" name=\"p99(imap) &lt; 1s\" file=\"s.yaml\" "
                     "line=\"13\" time=\"0.250\"/>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("name=\"availability(smtp) &gt;= 99.9%\" file=\"s.yaml\" line=\"12\" time=\"0.250\">"),
            std::string::npos);
  EXPECT_NE(xml.find("<testcase classname=\"mailsim.lb-pair.other\" name=\"run\" file=\"u.yaml\" time=\"0.250\">"),
            std::string::npos);
  EXPECT_NE(xml.find("skipped=\"0\" time=\"0.500\">"), std::string::npos);
  EXPECT_NE(xml.find("<error message=\"internal error (exit 3) in the run\">"), std::string::npos);
  EXPECT_EQ(reports::check_exit_code(runs), 3);
  runs.pop_back();
  EXPECT_EQ(reports::check_exit_code(runs), 1);
  std::string md = reports::check_markdown(runs);
  EXPECT_NE(md.find("### mailsim check: 1 of 1 runs failed (1 of 2 expectations failed)"), std::string::npos) << md;
  EXPECT_NE(md.find("- `availability(smtp) >= 99.9%`: measured 98.7000%"), std::string::npos) << md;
  EXPECT_NE(md.find("reproduce with `mailsim run t.yaml s.yaml --seed 7`"), std::string::npos) << md;
  runs[0].result["expectations"] = app::evaluate_expectations(parse({"p99(imap) < 1s"}), run);
  EXPECT_EQ(reports::check_exit_code(runs), 0);
  EXPECT_NE(reports::check_markdown(runs).find("all 1 runs passed (1 expectations)"), std::string::npos);
}

// ---- baselines ---------------------------------------------------------------------------

TEST(Baseline, FlagsRegressionsBeyondTolerance) {
  json old_run = run_result();
  json same = run_result();
  reports::Tolerances tol;
  EXPECT_TRUE(reports::compare_with_baseline(old_run, same, tol).empty());
  json worse = run_result();
  worse["services"]["imap"]["availability"] = 0.99;
  worse["services"]["smtp"]["latency_ms"]["p99"] = 1000.0;  // +23%
  worse["failovers"][0]["duration_s"] = 1.8;               // +20%
  worse["lost_acknowledged_messages"] = 3;
  auto regs = reports::compare_with_baseline(old_run, worse, tol);
  std::vector<std::string> what;
  for (const auto& r : regs) what.push_back(r.what);
  EXPECT_EQ(what, (std::vector<std::string>{"availability(imap)", "p99(smtp)", "lost_acknowledged_messages",
                                            "failover_time(front_lb)"}));
  reports::set_tolerance(tol, "availability=2%");
  reports::set_tolerance(tol, "p99=30%");
  reports::set_tolerance(tol, "failover_time=500ms");
  reports::set_tolerance(tol, "lost_acknowledged_messages=5");
  EXPECT_TRUE(reports::compare_with_baseline(old_run, worse, tol).empty());
  // Better is never a regression; a failover that stops completing is.
  json better = run_result();
  better["services"]["smtp"]["availability"] = 1.0;
  EXPECT_TRUE(reports::compare_with_baseline(old_run, better, reports::Tolerances{}).empty());
  better["failovers"][0]["duration_s"] = nullptr;
  ASSERT_EQ(reports::compare_with_baseline(old_run, better, reports::Tolerances{}).size(), 1u);
  EXPECT_THROW(reports::set_tolerance(tol, "p99"), core::InputError);
  EXPECT_THROW(reports::set_tolerance(tol, "p99=fast"), core::InputError);
  EXPECT_THROW(reports::set_tolerance(tol, "p90=10%"), core::InputError);
}

// ---- terminal ----------------------------------------------------------------------------

TEST(SummaryTable, ColoursOnlyWhenAsked) {
  json run = run_result();
  run["expectations"] = app::evaluate_expectations(parse({"availability(smtp) >= 99.9%"}), run);
  std::string plain = reports::summary_table(run);
  EXPECT_EQ(plain.find('\033'), std::string::npos);
  EXPECT_NE(plain.find("expectations: 0 of 1 passed"), std::string::npos);
  EXPECT_NE(plain.find("FAIL availability(smtp) >= 99.9%  measured 98.7000%"), std::string::npos) << plain;
  std::string colored = reports::summary_table(run, {true});
  EXPECT_NE(colored.find("\033[31;1mFAIL\033[0m"), std::string::npos);
}

// ---- the schema validator ----------------------------------------------------------------

TEST(Schema, ValidatorRejectsWhatTheSchemaForbids) {
  json s = schema();
  json run = run_result();
  run["expectations"] = app::evaluate_expectations(parse({"availability(smtp) >= 99.9%"}), run);
  mailsim::testing::SchemaValidator v;
  auto errors = v.validate(s, run);
  EXPECT_TRUE(errors.empty()) << errors.front();
  json bad = run;
  bad.erase("services");
  bad["schema"] = "mailsim.run/2";
  bad["manifest"]["seed"] = -1;
  bad["failovers"][0]["to"] = 3;
  bad["expectations"][0]["op"] = "=~";
  bad["expectations"][0]["measured"] = "high";
  bad["durability"]["maildir"]["holds"] = "mail";
  errors = v.validate(s, bad);
  EXPECT_EQ(errors.size(), 7u);
  json extra = run;
  extra["checks"] = json::object();  // other models may add keys
  EXPECT_TRUE(v.validate(s, extra).empty());
}

TEST(Html, DrawsTheTopologyAndMarksNodesHitByFaults) {
  json run = run_result();
  run["manifest"]["topology"]["layout"] = {
      {"nodes", json::array({{{"name", "lb-1"}, {"zone", "a"}}, {{"name", "lb-2"}, {"zone", "b"}}})},
      {"components", json::array({{{"name", "front_lb"}, {"model", "vip_balancer"}, {"nodes", {"lb-1", "lb-2"}}},
                                  {{"name", "mail"}, {"model", "mail_node"}, {"nodes", {"mail-1", "mail-2"}}}})},
      {"services", json::array({{{"name", "smtp"}, {"steps", {"front_lb", "mail"}}}})}};
  std::string html = reports::html_report(run);
  std::string why;
  EXPECT_TRUE(testing_xml::well_formed(html.substr(html.find("<html")), &why)) << why;
  EXPECT_NE(html.find("<h2 id=\"topology\">Topology</h2>"), std::string::npos);
  // lb-1 crashed in this run: its box is marked; mail-1 was never hit.
  EXPECT_NE(html.find("<title>lb-1: hit by a fault in this run</title>"), std::string::npos);
  EXPECT_NE(html.find("<title>mail-1</title>"), std::string::npos);
  EXPECT_NE(html.find("<b>smtp</b>: clients → front_lb → mail"), std::string::npos);
}

TEST(CompareHtml, EveryMarkdownTableAHeaderAndOneScaleForAllCharts) {
  auto svc = [](const char* name, json spofs, double avail, json worst, json scenarios) {
    return json{{"name", name},          {"spofs", spofs},         {"min_failures", 1},
                {"availability", avail}, {"p99_ms", 24.5},         {"worst_crash", worst},
                {"lost_mail", {{"count", 3}, {"run", "crash nfs-1"}}}, {"scenarios", scenarios},
                {"scenarios_lost_mail", {{"nfs-loss", 3}}}};
  };
  json deep_worst = {{"node", "nfs-1"},     {"availability", 0.40},  {"incident_class", "down"},
                     {"down", true},        {"outage_s", 69.4},      {"command", "mailsim run d.yaml c1.yaml --seed 1"}};
  json ru_worst = {{"node", "rupost-2"},  {"availability", 0.9939}, {"incident_class", "degraded"},
                   {"down", false},       {"outage_s", 0.6},        {"command", "mailsim run r.yaml c2.yaml --seed 1"}};
  json compare = {
      {"schema", "mailsim.compare/1"},
      {"version", "9.8.7"},
      {"command", "mailsim compare d.yaml r.yaml --rate 20"},
      {"load", {{"rate_per_s", 20}, {"duration_s", 90}, {"crash_at_s", 20.5}, {"node_availability", 0.999}}},
      {"topologies",
       json::array({{{"topology", "deepmail-11"},
                     {"file", "d.yaml"},
                     {"nodes", 12},
                     {"unused_nodes", json::array()},
                     {"failed_runs", json::array()},
                     {"baseline_command", "mailsim run d.yaml c0.yaml --seed 1"},
                     {"services", json::array({svc("smtp", {"nfs-1"}, 0.998998, deep_worst, {{"nfs-loss", 0.91}}),
                                               svc("imap", json::array(), 0.9999, deep_worst, json::object())})},
                     {"failovers", json::array({{{"component", "pg"}, {"max_s", 30.5}, {"node", "pg-1"}}})}},
                    {{"topology", "rupost-13"},
                     {"file", "r.yaml"},
                     {"nodes", 16},
                     {"unused_nodes", json::array()},
                     {"failed_runs", json::array()},
                     {"services", json::array({svc("smtp", json::array(), 0.999997, ru_worst, json::object()),
                                               svc("imap", json::array(), 0.999997, ru_worst, json::object())})},
                     {"failovers", json::array()}}})}};
  std::string html = reports::compare_html(compare);
  std::string why;
  EXPECT_TRUE(testing_xml::well_formed(html.substr(html.find("<html")), &why)) << why;
  for (const char* bad : {"http:", "https:", "src=", "<script", "<link"}) EXPECT_EQ(html.find(bad), std::string::npos) << bad;
  // The header: version, load, topologies and the command.
  EXPECT_NE(html.find("mailsim 9.8.7 · generated runs: every service at 20/s for 90 s"), std::string::npos);
  EXPECT_NE(html.find("<code>mailsim compare d.yaml r.yaml --rate 20</code>"), std::string::npos);
  // Every table of the Markdown: its cells are the HTML's.
  EXPECT_NE(html.find("<td class=\"fail\">40.000% DOWN (nfs-1)</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>99.390% degraded (rupost-2)</td>"), std::string::npos);
  EXPECT_NE(html.find("<h2 id=\"scenarios\">"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"fail\">91.000%, 3 mail lost</td>"), std::string::npos);
  const std::string md = reports::compare_markdown(compare);
  EXPECT_NE(md.find("| 91.000%, 3 mail lost |"), std::string::npos) << md;
  EXPECT_NE(html.find("<td>pg</td><td>30.500</td><td>pg-1</td>"), std::string::npos);
  // Reproduce: the baseline and each worst crash.
  EXPECT_NE(html.find("<code>mailsim run d.yaml c1.yaml --seed 1</code>"), std::string::npos);
  EXPECT_NE(html.find("<code>mailsim run d.yaml c0.yaml --seed 1</code>"), std::string::npos);
  // One scale: both charts end at the same tick (60%, above deepmail's 60% loss), so
  // rupost's 0.61% bar is drawn 1/100 as long, not as long as deepmail's.
  size_t charts = 0, ends = 0;
  for (size_t p = html.find("<svg class=\"chart\""); p != std::string::npos; p = html.find("<svg class=\"chart\"", p + 1)) {
    ++charts;
    const size_t end = html.find("</svg>", p);
    if (html.substr(p, end - p).find(">60%</text>") != std::string::npos) ++ends;
  }
  EXPECT_EQ(charts, 2U);
  EXPECT_EQ(ends, 2U);
  EXPECT_NE(html.find("width=\"600.0\" height=\"20\"><title>deepmail-11"), std::string::npos) << html;
  EXPECT_NE(html.find("width=\"6.1\" height=\"20\"><title>rupost-13"), std::string::npos) << html;
}

namespace {

// Resources as the engine writes them (engine/resources.hpp): sorted by sustained
// utilisation (here 0.9 x the peak), the last idle.
json with_resources(json run) {
  json list = json::array();
  const std::vector<std::pair<std::string, double>> peaks = {{"mail-1.cpu", 0.97}, {"mail-2.cpu", 0.9}, {"db-1.cpu", 0.4},
                                                             {"mail-1.mail.imap", 0.3}, {"lb-1.cpu", 0.2},
                                                             {"lb-2.cpu", 0.1}, {"db-2.cpu", 0.0}};
  for (const auto& [name, peak] : peaks)
    list.push_back({{"name", name}, {"kind", "cpu"}, {"node", name.substr(0, name.find('.'))}, {"component", nullptr},
                    {"capacity", 4}, {"unit", "cores"}, {"utilisation", peak / 2}, {"peak_utilisation", peak},
                    {"sustained_utilisation", 0.9 * peak},
                    {"mean_queue", 1.5}, {"max_queue", 7}, {"mean_wait_s", 0.012}, {"served", 1000},
                    {"series", {{"window_s", 1.0}, {"utilisation", {peak / 2, peak, 0.0, 0.1}}, {"queue", {0, 3, 0, 0}}}}});
  run["resources"] = list;
  run["bottleneck"] = {{"name", "mail-1.cpu"},
                       {"kind", "cpu"},
                       {"sustained_utilisation", 0.873},
                       {"peak_utilisation", 0.97},
                       {"utilisation", 0.485}};
  return run;
}

}  // namespace

TEST(SummaryTable, ListsTheFiveMostLoadedResourcesAndTheBottleneck) {
  const std::string text = reports::summary_table(with_resources(run_result()));
  const size_t at = text.find("top resources");
  ASSERT_NE(at, std::string::npos) << text;
  EXPECT_NE(text.find("mail-1.cpu", at), std::string::npos);
  EXPECT_NE(text.find("lb-1.cpu", at), std::string::npos);  // the fifth
  EXPECT_EQ(text.find("lb-2.cpu", at), std::string::npos) << "only the five most loaded";
  EXPECT_NE(text.find("87.3% /  97.0% /  48.5%"), std::string::npos) << text;
  EXPECT_NE(text.find("bottleneck: mail-1.cpu (cpu) at 87.3% sustained (97.0% peak), 48.5% mean utilisation"),
            std::string::npos)
      << text;

  json idle = with_resources(run_result());
  idle["bottleneck"] = nullptr;
  EXPECT_NE(reports::summary_table(idle).find("bottleneck: none (no resource reached 50% sustained utilisation)"),
            std::string::npos);
}

TEST(Html, ChartsTheMostLoadedResourcesAndNamesTheBottleneck) {
  const std::string html = reports::html_report(with_resources(run_result()));
  std::string why;
  EXPECT_TRUE(testing_xml::well_formed(html.substr(html.find("<html")), &why)) << why;
  const size_t at = html.find("<h2 id=\"resources\">");
  ASSERT_NE(at, std::string::npos);
  const std::string section = html.substr(at, html.find("<h2", at + 1) - at);
  EXPECT_NE(section.find("Bottleneck: <b>mail-1.cpu</b> (cpu) at 87.3% sustained (97.0% peak)"), std::string::npos)
      << section;
  EXPECT_NE(section.find("aria-label=\"utilisation of the most loaded resources\""), std::string::npos);
  for (int k = 0; k < 5; ++k) EXPECT_NE(section.find(fmt::format("class=\"r{}\"", k)), std::string::npos) << k;
  EXPECT_EQ(section.find("class=\"r5\""), std::string::npos);
  EXPECT_NE(section.find("<td>mail-1.cpu</td><td>cpu</td><td class=\"n\">4 cores</td><td class=\"n\">87.3%</td>"
                         "<td class=\"n\">97.0%</td>"),
            std::string::npos)
      << section;
  EXPECT_EQ(section.find("lb-2.cpu"), std::string::npos);
}
