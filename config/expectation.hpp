#pragma once
// Expectations: the `expect:` list of a scenario (docs/formats.md#expect), thresholds over
// the run result in a k6-like syntax: `availability(smtp) >= 99.9%`, `p99(imap) < 800ms`,
// `lost_acknowledged_messages == 0`. Parsed here, at scenario load, into a typed form, so
// a malformed one is bad input (file:line:col of the offending character) before anything
// runs. This is mailsim's one SLO grammar: `run` and `check` read it from scenarios,
// `sweep --slo` and `explore --slo` from the command line (parse_expectation_list).
// A per-service metric written without its service (`p99 < 800ms`) applies to every
// service that received requests. Evaluating them against a run result is app/verdicts.hpp.
#include <functional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace mailsim::config {

// What a metric's argument names; checked against the topology where it can be.
// kService: a service, or none for every service; kOptionalService: a service, or none for
// the run's total.
// kStore: a store of the durability ledger, a component or `SERVICE.queue` (a service's mail queue).
enum class MetricArg { kNone, kService, kOptionalService, kComponent, kStore, kCheck, kEventKind };
// The unit a threshold is written in and stored as: a fraction in [0, 1] (`99.9%` or
// `0.999`), a duration in seconds (`800ms`), or a plain count.
enum class MetricUnit { kFraction, kSeconds, kCount };

struct MetricInfo {
  std::string name;
  MetricArg arg;
  MetricUnit unit;
  std::string doc;  // one line: what is measured, from which field of the run result
};

// The metrics an expectation may use, in the order docs/formats.md lists them.
const std::vector<MetricInfo>& expectation_metrics();

enum class CompareOp { kLt, kLe, kGt, kGe, kEq, kNe };
std::string op_text(CompareOp op);
bool compare(double measured, CompareOp op, double threshold);

struct Expectation {
  std::string text;     // as written, for reports
  std::string metric;   // a name from expectation_metrics()
  std::string subject;  // the argument (service, component, check, event kind); "" when none
  CompareOp op = CompareOp::kGe;
  double threshold = 0;  // in `unit`: fraction, seconds or count
  MetricUnit unit = MetricUnit::kCount;
  core::SourceMark mark;          // the expectation's first character
  core::SourceMark subject_mark;  // the argument's first character

  std::string metric_text() const;  // "p99(imap)", "lost_acknowledged_messages", "p99" (every service)
  // A per-service metric written without a service: it applies to every service.
  bool every_service() const;
};

// Maps an offset in the expectation's text to its position in the file.
using OffsetMark = std::function<core::SourceMark(size_t offset)>;

// Parses one expectation; any mistake is an InputError at mark_of(offset of the offending
// character).
Expectation parse_expectation(const std::string& text, const OffsetMark& mark_of);

// A comma-separated list of expectations as a command-line option gives them
// (`--slo 'availability >= 99.9%, p99(imap) < 800ms'`); spaces around each are ignored.
// Errors are InputErrors at `origin`:1:COLUMN, the column of the offending character in
// `text`. An empty text gives no expectation.
std::vector<Expectation> parse_expectation_list(const std::string& text, const std::string& origin);

}  // namespace mailsim::config
