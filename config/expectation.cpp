#include "config/expectation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/units.hpp"

namespace mailsim::config {

const std::vector<MetricInfo>& expectation_metrics() {
  using A = MetricArg;
  using U = MetricUnit;
  static const std::vector<MetricInfo> table = {
      {"availability", A::kService, U::kFraction, "ok / requests of the service (`services.S.availability`)"},
      {"error_rate", A::kService, U::kFraction, "1 − availability"},
      {"p50", A::kService, U::kSeconds, "median latency of ok requests (`latency_ms.p50`)"},
      {"p90", A::kService, U::kSeconds, "90th percentile latency of ok requests"},
      {"p99", A::kService, U::kSeconds, "99th percentile latency of ok requests"},
      {"p999", A::kService, U::kSeconds, "99.9th percentile latency of ok requests"},
      {"latency_mean", A::kService, U::kSeconds, "mean latency of ok requests"},
      {"latency_max", A::kService, U::kSeconds, "largest latency of an ok request"},
      {"outage_max", A::kService, U::kSeconds, "the longest outage interval (`outage_max_s`)"},
      {"outages", A::kService, U::kCount, "number of outage intervals"},
      {"requests", A::kService, U::kCount, "requests resolved"},
      {"ok", A::kService, U::kCount, "ok answers"},
      {"failed", A::kService, U::kCount, "requests that did not get an ok answer"},
      {"failover_time", A::kComponent, U::kSeconds,
       "the longest failover of the component (`failovers[].duration_s`); one never completed counts as not measured"},
      {"failovers", A::kComponent, U::kCount, "number of failovers of the component"},
      {"lost_acknowledged_messages", A::kOptionalService, U::kCount,
       "acknowledged mail on no surviving copy at the end (the durability ledger's message stores): the run's total, or one service's with an argument"},
      {"lost_acknowledged", A::kStore, U::kCount,
       "acknowledged items (messages or commits) of one store on no surviving copy at the end (`durability.STORE.lost`)"},
      {"violations", A::kCheck, U::kCount, "violations of an invariant check (`checks`)"},
      {"events", A::kEventKind, U::kCount, "events of one kind in the timeline, e.g. events(fault.skipped)"},
  };
  return table;
}

std::string op_text(CompareOp op) {
  switch (op) {
    case CompareOp::kLt: return "<";
    case CompareOp::kLe: return "<=";
    case CompareOp::kGt: return ">";
    case CompareOp::kGe: return ">=";
    case CompareOp::kEq: return "==";
    case CompareOp::kNe: return "!=";
  }
  return "?";
}

bool compare(double measured, CompareOp op, double threshold) {
  switch (op) {
    case CompareOp::kLt: return measured < threshold;
    case CompareOp::kLe: return measured <= threshold;
    case CompareOp::kGt: return measured > threshold;
    case CompareOp::kGe: return measured >= threshold;
    case CompareOp::kEq: return measured == threshold;
    case CompareOp::kNe: return measured != threshold;
  }
  return false;
}

std::string Expectation::metric_text() const { return subject.empty() ? metric : metric + "(" + subject + ")"; }

bool Expectation::every_service() const {
  if (!subject.empty()) return false;
  for (const auto& m : expectation_metrics())
    if (m.name == metric) return m.arg == MetricArg::kService;
  return false;
}

namespace {

std::string arg_word(MetricArg a) {
  switch (a) {
    case MetricArg::kService:
    case MetricArg::kOptionalService: return "SERVICE";
    case MetricArg::kComponent: return "COMPONENT";
    case MetricArg::kStore: return "STORE";
    case MetricArg::kCheck: return "CHECK";
    case MetricArg::kEventKind: return "EVENT_KIND";
    case MetricArg::kNone: break;
  }
  return "";
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

}  // namespace

Expectation parse_expectation(const std::string& text, const OffsetMark& mark_of) {
  Expectation e;
  e.text = text;
  size_t i = 0;
  auto fail = [&](size_t at, const std::string& msg) -> void { throw core::InputError(mark_of(at), msg); };
  auto skip = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  };
  skip();
  e.mark = mark_of(i);
  size_t start = i;
  while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_')) ++i;
  std::string name = text.substr(start, i - start);
  std::vector<std::string> names;
  for (const auto& m : expectation_metrics()) names.push_back(m.name);
  if (name.empty())
    fail(start, fmt::format("'{}' is not an expectation: write METRIC OP VALUE, e.g. availability(smtp) >= 99.9%",
                            text));
  const MetricInfo* info = nullptr;
  for (const auto& m : expectation_metrics())
    if (m.name == name) info = &m;
  if (!info) {
    // sweep's former SLO syntax, SERVICE.METRIC: say how it is written now.
    size_t end = start;
    while (end < text.size() && is_name_char(text[end])) ++end;
    const std::string word = text.substr(start, end - start);
    const size_t dot = word.rfind('.');
    if (dot != std::string::npos && dot > 0) {
      const std::string metric = word.substr(dot + 1), service = word.substr(0, dot);
      for (const auto& m : expectation_metrics())
        if (m.name == metric && m.arg == MetricArg::kService)
          fail(start, fmt::format("'{}' is not an expectation's metric: write {}({})", word, metric, service));
    }
    std::string hint = core::did_you_mean(name, names);
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
    fail(start, fmt::format("unknown metric '{}' in an expectation{}", name, hint.empty() ? " (known: " + known + ")" : hint));
  }
  e.metric = name;
  e.unit = info->unit;
  size_t after_name = i;
  skip();
  if (i < text.size() && text[i] == '(') {
    if (info->arg == MetricArg::kNone) fail(i, fmt::format("metric '{}' takes no argument", name));
    size_t open = i++;
    skip();
    size_t arg_start = i;
    while (i < text.size() && is_name_char(text[i])) ++i;
    e.subject = text.substr(arg_start, i - arg_start);
    e.subject_mark = mark_of(arg_start);
    skip();
    if (i >= text.size()) fail(open, fmt::format("this '(' is not closed: write {}({})", name, arg_word(info->arg)));
    if (text[i] != ')') {
      if (e.subject.empty() && text[i] != ')')
        fail(i, fmt::format("'{}' cannot start a name: write {}({})", text[i], name, arg_word(info->arg)));
      fail(i, fmt::format("expected ')' after '{}'", e.subject));
    }
    if (e.subject.empty()) fail(i, fmt::format("metric '{}' needs a {} between the parentheses", name, arg_word(info->arg)));
    ++i;
  } else if (info->arg != MetricArg::kNone && info->arg != MetricArg::kOptionalService &&
             info->arg != MetricArg::kService) {
    fail(after_name, fmt::format("metric '{}' needs a {}: write {}({})", name, arg_word(info->arg), name, arg_word(info->arg)));
  }
  skip();
  size_t op_start = i;
  auto starts = [&](const char* s) { return text.compare(i, std::char_traits<char>::length(s), s) == 0; };
  if (starts("<=")) e.op = CompareOp::kLe, i += 2;
  else if (starts(">=")) e.op = CompareOp::kGe, i += 2;
  else if (starts("==")) e.op = CompareOp::kEq, i += 2;
  else if (starts("!=")) e.op = CompareOp::kNe, i += 2;
  else if (starts("=>") || starts("=<")) fail(op_start, fmt::format("'{}' is not an operator: write {}", text.substr(i, 2), text[i + 1] == '>' ? ">=" : "<="));
  else if (starts("<")) e.op = CompareOp::kLt, i += 1;
  else if (starts(">")) e.op = CompareOp::kGt, i += 1;
  else if (starts("=")) fail(op_start, "'=' is not an operator: write == to compare");
  else if (i >= text.size()) fail(i, fmt::format("'{}' needs an operator and a value, e.g. {} >= ...", e.metric_text(), e.metric_text()));
  else fail(op_start, "expected an operator: <, <=, >, >=, == or !=");
  skip();
  size_t value_start = i;
  std::string value = text.substr(i);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
  if (value.empty()) fail(i, fmt::format("a value must follow '{}'", op_text(e.op)));
  try {
    switch (info->unit) {
      case MetricUnit::kFraction: e.threshold = core::parse_fraction(value).value; break;
      case MetricUnit::kSeconds: e.threshold = core::parse_duration(value).seconds; break;
      case MetricUnit::kCount: {
        double v = 0;
        auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
        if (ec != std::errc() || p == value.data()) fail(value_start, fmt::format("'{}' is not a count: write a number like 0", value));
        if (p != value.data() + value.size())
          fail(value_start + static_cast<size_t>(p - value.data()),
               fmt::format("'{}' is not a count: {} is a plain number, without a unit", value, e.metric_text()));
        if (!std::isfinite(v) || v < 0) fail(value_start, fmt::format("'{}' is not a count: it must be 0 or more", value));
        e.threshold = v;
        break;
      }
    }
  } catch (const core::UnitError& err) {
    fail(value_start, err.message);
  }
  return e;
}

std::vector<Expectation> parse_expectation_list(const std::string& text, const std::string& origin) {
  std::vector<Expectation> out;
  if (text.find_first_not_of(" \t") == std::string::npos) return out;
  size_t start = 0;
  while (true) {
    const size_t comma = std::min(text.find(',', start), text.size());
    size_t first = start, last = comma;
    while (first < last && (text[first] == ' ' || text[first] == '\t')) ++first;
    while (last > first && (text[last - 1] == ' ' || text[last - 1] == '\t')) --last;
    auto mark_of = [&](size_t offset) { return core::SourceMark{origin, 1, static_cast<int>(first + offset + 1)}; };
    if (first == last)
      throw core::InputError(mark_of(0), "an empty expectation: write METRIC OP VALUE between the commas, e.g. p99 < 800ms");
    out.push_back(parse_expectation(text.substr(first, last - first), mark_of));
    if (comma == text.size()) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace mailsim::config
