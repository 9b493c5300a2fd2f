#include "analysis/capacity_disks.hpp"

#include "models/cockroachdb/cockroachdb_params.hpp"
#include "models/disk/disk_logic.hpp"
#include "models/disk/disk_params.hpp"
#include "models/mail_node/mail_node_disk.hpp"
#include "models/nfs/nfs_params.hpp"
#include "models/patroni_postgres/patroni_postgres_params.hpp"
#include "models/storage_triple/storage_triple_params.hpp"

namespace mailsim::analysis {

namespace {

// The node's disk named `name` (its first when empty); null when it has none.
const config::DiskSpec* find_disk(const config::Topology& topo, const std::string& node, const std::string& name) {
  const config::NodeSpec* ns = topo.find_node(node);
  if (ns == nullptr || ns->disks.empty()) return nullptr;
  for (const auto& d : ns->disks)
    if (d.name == name) return &d;
  return &ns->disks.front();
}

// What the shells submit per call (models/*: the same disk_logic functions).
core::DiskOp op_of(const config::Topology& topo, const config::ComponentSpec& comp, const config::StepSpec& step,
                   double* copies, std::string* disk_name) {
  const config::YamlReader r = topo.params_reader();
  const double bytes = step.request_bytes.bytes;
  *copies = 1;
  if (comp.model == "nfs") {
    *disk_name = models::nfs_params().parse(comp.params, r).disk;
    return models::maildir_op(models::nfs_ops().at(step.op), bytes);
  }
  if (comp.model == "storage_triple") {
    *disk_name = models::storage_triple_params().parse(comp.params, r).disk;
    if (step.op == "write") {
      *copies = 2;  // both copies of the pair
      return models::maildir_op(models::MaildirOp::kDeliver, bytes);
    }
    return models::maildir_op(models::MaildirOp::kFetch, bytes);
  }
  if (comp.model == "mail_node")
    return models::mail_node_disk_op(models::mail_node_ops().at(step.op), bytes,
                                     models::mail_node_params().parse(comp.params, r).local_maildir);
  if (comp.model == "patroni_postgres" && step.op == "write") {
    // One flush per commit on the primary and on each replica: an upper bound (group
    // commit merges flushes once they overlap, i.e. near saturation).
    *copies = static_cast<double>(comp.nodes.size());
    return models::log_append_op(models::patroni_postgres_params().parse(comp.params, r).wal_per_write.bytes);
  }
  if (comp.model == "cockroachdb" && step.op == "write") {
    const auto p = models::cockroachdb_params().parse(comp.params, r);
    *copies = p.replication_factor;  // every replica of the range appends the entry
    return models::log_append_op(p.request_bytes.bytes);
  }
  return {};
}

}  // namespace

std::vector<DiskDemand> step_disk_demand(const config::Topology& topo, const config::ComponentSpec& comp,
                                         const config::StepSpec& step, const std::string& node, double* copies) {
  std::string disk_name;
  const core::DiskOp op = op_of(topo, comp, step, copies, &disk_name);
  if (op.reads + op.writes + op.fsyncs == 0) return {};
  const config::DiskSpec* d = find_disk(topo, node, disk_name);
  if (d == nullptr) return {};
  const auto figures = models::disk_figures(models::parse_disk(*d, config::YamlReader(topo.file)));
  return {{d->name, figures, core::disk_occupancy(figures, op)}};
}

}  // namespace mailsim::analysis
