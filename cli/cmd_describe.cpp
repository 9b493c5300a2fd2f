#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"
#include "models/registry.hpp"
#include "reports/event_table.hpp"

namespace mailsim::cli {

namespace {

std::string op_list(const models::ModelInfo& m, const std::string& quote) {
  if (m.ops.empty()) return "none (no step calls it: it is not on the request path)";
  if (m.ops == models::proxy_ops()) return "none (a proxy: its step names no op)";
  std::vector<std::string> q;
  for (const auto& o : m.ops) q.push_back(quote + o + quote);
  return fmt::format("{}", fmt::join(q, ", "));
}

std::string role_list(const models::ModelInfo& m, const std::string& quote) {
  std::vector<std::string> q;
  for (const auto& r : m.roles) q.push_back(quote + r + quote);
  return fmt::format("{}", fmt::join(q, ", "));
}

// The params table as in docs/models/NAME.md, then the ops and roles lines the page carries.
void print_markdown(const models::ModelInfo& m) {
  std::cout << "| param | default | unit | valid values | meaning | source |\n|---|---|---|---|---|---|\n";
  for (const auto& p : m.params)
    std::cout << fmt::format("| `{}` | {} | {} | {} | {} | {} |\n", p.name,
                             p.default_text.empty() ? "(required)" : "`" + p.default_text + "`",
                             p.unit, p.range.empty() ? "-" : p.range, p.doc, p.source);
  std::cout << fmt::format("\nOps a step may name: {}.\nRoles a fault may target: {}.\n",
                           op_list(m, "`"), role_list(m, "`"));
  std::cout << "\nEvents it emits (from the event catalogue, engine/event_catalogue.cpp):\n\n"
            << reports::event_table_markdown(m.name);
}

void print_text(const models::ModelInfo& m) {
  std::cout << fmt::format("{}: {}\nops: {}\nroles: {}\n", m.name, m.summary, op_list(m, ""),
                           role_list(m, ""));
  std::cout << "events:\n" << reports::event_list_text(m.name) << "\n";
  for (const auto& p : m.params)
    std::cout << fmt::format("  {:<18} = {:<12} [{}]\n      {}\n{}      source: {}\n", p.name,
                             p.default_text.empty() ? "(required)" : p.default_text, p.unit, p.doc,
                             p.range.empty() ? "" : "      valid: " + p.range + "\n", p.source);
}

}  // namespace

Command add_describe(CLI::App& app) {
  struct Opts {
    std::string model;
    bool markdown = false;
    bool events = false;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("model", o->model, "Model name (omit to list the models)");
  app.add_flag("--markdown", o->markdown,
               "Print the params table, ops, roles and events as Markdown (as in docs/models/)");
  app.add_flag("--events", o->events,
               "List every event kind of the catalogue (with --markdown: the table of docs/architecture.md)");
  return [o] {
    if (o->events) {
      if (!o->model.empty())
        throw core::InputError({"<command line>", 0, 0}, "--events lists every model's events: name no model");
      std::cout << (o->markdown ? reports::event_table_markdown("") : reports::event_list_text(""));
      return 0;
    }
    if (o->model.empty()) {
      for (const auto& m : models::all_models())
        std::cout << fmt::format("{:<18} {}\n", m.name, m.summary);
      return 0;
    }
    const models::ModelInfo* m = models::find_model(o->model);
    if (!m)
      throw core::InputError({"<command line>", 0, 0},
                             fmt::format("unknown model '{}'{}", o->model,
                                         core::did_you_mean(o->model, models::model_names())));
    if (o->markdown)
      print_markdown(*m);
    else
      print_text(*m);
    return 0;
  };
}

}  // namespace mailsim::cli
