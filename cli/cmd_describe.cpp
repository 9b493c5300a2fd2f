#include <fmt/format.h>

#include <iostream>

#include "models/registry.hpp"
#include "cli/commands.hpp"

namespace mailsim::cli {

Command add_describe(CLI::App& app) {
  struct Opts {
    std::string model;
    bool markdown = false;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("model", o->model, "Model name (omit to list the models)");
  app.add_flag("--markdown", o->markdown, "Print the params table as Markdown (as in docs/models/)");
  return [o] {
    if (o->model.empty()) {
      for (const auto& m : models::all_models()) std::cout << fmt::format("{:<14} {}\n", m.name, m.summary);
      return 0;
    }
    const models::ModelInfo* m = models::find_model(o->model);
    if (!m) {
      std::vector<std::string> names;
      for (const auto& x : models::all_models()) names.push_back(x.name);
      throw core::InputError({"<command line>", 0, 0},
                             fmt::format("unknown model '{}'{}", o->model, core::did_you_mean(o->model, names)));
    }
    if (o->markdown) {
      std::cout << "| param | default | unit | meaning | source |\n|---|---|---|---|---|\n";
      for (const auto& p : m->params)
        std::cout << fmt::format("| `{}` | {} | {} | {} | {} |\n", p.name, p.default_text.empty() ? "(required)" : "`" + p.default_text + "`",
                                 p.unit, p.doc, p.source);
      return 0;
    }
    std::cout << fmt::format("{}: {}\nroles: ", m->name, m->summary);
    for (const auto& r : m->roles) std::cout << r << " ";
    std::cout << "\n\n";
    for (const auto& p : m->params)
      std::cout << fmt::format("  {:<18} = {:<12} [{}]\n      {}\n      source: {}\n", p.name,
                               p.default_text.empty() ? "(required)" : p.default_text, p.unit, p.doc, p.source);
    return 0;
  };
}

}  // namespace mailsim::cli
