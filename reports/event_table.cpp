#include "reports/event_table.hpp"

#include <fmt/format.h>

#include <vector>

#include "engine/event_catalogue.hpp"

namespace mailsim::reports {

namespace {

using engine::EventSpec;

// "component (text), lost_commits (integer, optional)", names quoted with `quote`.
std::string field_list(const EventSpec& e, const std::string& quote) {
  std::vector<std::string> out;
  for (const auto& f : e.fields)
    out.push_back(fmt::format("{0}{1}{0} ({2}{3})", quote, f.name, engine::field_type_name(f.type),
                              f.required ? "" : ", optional"));
  return out.empty() ? "none" : fmt::format("{}", fmt::join(out, ", "));
}

// The class and what consumers read from it: a fault's end, a role's name.
std::string class_text(const EventSpec& e, const std::string& quote) {
  std::string out(engine::class_name(e.cls));
  if (e.cls == engine::EventClass::kFault)
    out += fmt::format(", ended by {0}{1}{0}", quote, engine::event_name(e.ends));
  if (!e.role.empty()) out += fmt::format(": {}", e.role);
  return out;
}

bool listed(const EventSpec& e, const std::string& model) {
  if (model.empty()) return true;
  for (auto m : e.emitted_by)
    if (m == model) return true;
  return false;
}

std::string emitters(const EventSpec& e) {
  return fmt::format("{}", fmt::join(e.emitted_by, ", "));
}

}  // namespace

std::string event_table_markdown(const std::string& model) {
  std::string out =
      model.empty() ? "| event | class | fields | emitted by | meaning |\n|---|---|---|---|---|\n"
                    : "| event | class | fields | meaning |\n|---|---|---|---|\n";
  for (const auto& e : engine::event_catalogue()) {
    if (!listed(e, model)) continue;
    out += fmt::format("| `{}` | {} | {} | ", e.name, class_text(e, "`"), field_list(e, "`"));
    if (model.empty()) out += emitters(e) + " | ";
    out += fmt::format("{} |\n", e.doc);
  }
  return out;
}

std::string event_list_text(const std::string& model) {
  std::string out;
  for (const auto& e : engine::event_catalogue()) {
    if (!listed(e, model)) continue;
    out += fmt::format("  {:<32} [{}]\n      {}\n      fields: {}\n", e.name, class_text(e, ""),
                       e.doc, field_list(e, ""));
    if (model.empty()) out += "      emitted by: " + emitters(e) + "\n";
  }
  return out;
}

}  // namespace mailsim::reports
