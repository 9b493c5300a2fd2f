// mailsim import DIR [-o FILE]: a topology skeleton from a folder of the files operators
// keep (app/topology_skeleton.hpp, docs/import.md). The skeleton is checked as every
// topology is (its files imported, its components validated) before it is written, so a
// malformed file is exit 2 at its file:line:col and nothing is written.
#include <fmt/format.h>

#include <iostream>

#include "app/topology_skeleton.hpp"
#include "cli/commands.hpp"
#include "config/topology.hpp"
#include "core/output_file.hpp"
#include "models/registry.hpp"

namespace mailsim::cli {

Command add_import(CLI::App& app) {
  struct Opts {
    std::string dir, out;
  };
  auto o = std::make_shared<Opts>();
  app.add_option("dir", o->dir, "Folder of configuration files (keepalived*.conf, haproxy*.cfg, patroni*.yml, "
                                "etcd*.yml, pgbouncer*.ini, Postfix's main.cf, fstab), searched recursively")
      ->required();
  add_output(app, "-o,--out", o->out,
             "Write the topology to this file (its `config:` paths are relative to its folder); "
             "without it, to stdout, with paths relative to the current folder");
  return [o] {
    // Without -o the topology's folder is the current one, as the paths printed say.
    const std::string where = o->out.empty() ? "imported.yaml" : o->out;
    const app::Skeleton s = app::topology_skeleton(o->dir, where);
    config::Topology topo = config::parse_topology(s.yaml, where);
    models::import_configs(topo);
    models::validate_topology(topo);
    if (o->out.empty()) {
      std::cout << s.yaml << std::flush;
    } else {
      core::write_file_atomically(o->out, s.yaml);
    }
    for (const auto& f : s.unread) std::cerr << fmt::format("{}: not read (not a kind of file mailsim reads)\n", f);
    size_t not_modelled = 0;
    for (const auto& c : topo.configs) not_modelled += c.warnings.size();
    std::cerr << fmt::format("{}: topology {} ({} nodes, {} components, {} services); read its `assumption:` notes. "
                             "{} directives of the files are not modelled: `mailsim validate` lists them\n",
                             o->out.empty() ? "stdout" : o->out, topo.name, topo.nodes.size(),
                             topo.components.size(), topo.services.size(), not_modelled);
    return 0;
  };
}

}  // namespace mailsim::cli
