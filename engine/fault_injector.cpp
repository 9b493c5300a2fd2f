#include "engine/fault_injector.hpp"

#include "core/error.hpp"

namespace mailsim::engine {

FaultInjector::FaultInjector(Context& ctx, const config::Scenario& scenario, std::vector<Component*> components)
    : ctx_(ctx), scenario_(scenario), components_(std::move(components)) {}

void FaultInjector::start() {
  for (const auto& f : scenario_.faults) {
    const config::FaultSpec* fp = &f;
    ctx_.sched.at(f.at.seconds, [this, fp] { fire(*fp); });
  }
}

Component* FaultInjector::find(const std::string& name) const {
  for (auto* c : components_)
    if (c->name() == name) return c;
  return nullptr;
}

NodeId FaultInjector::resolve_node(const config::FaultTarget& t, const config::FaultSpec& f) {
  if (!t.node.empty()) return ctx_.platform.id_of(t.node);
  if (t.role.empty()) {  // a `model:` target on a topology without that model
    ctx_.events.emit(ctx_.sched.now(), EventKind::kFaultSkipped,
                     {{"fault", f.kind_name()}, {"target", t.describe()}, {"reason", "no component of model " + t.model}});
    return -1;
  }
  auto dot = t.role.find('.');
  Component* c = find(t.role.substr(0, dot));
  MAILSIM_ASSERT(c != nullptr, "role of an unknown component survived validation: " + t.role);
  auto n = c->resolve_role(t.role.substr(dot + 1));
  if (!n) {
    ctx_.events.emit(ctx_.sched.now(), EventKind::kFaultSkipped,
                     {{"fault", f.kind_name()}, {"target", t.describe()}, {"reason", "nobody holds the role"}});
    return -1;
  }
  return *n;
}

void FaultInjector::crash_node(NodeId n, const std::string& why) {
  if (!ctx_.platform.is_up(n)) return;
  ctx_.events.emit(ctx_.sched.now(), EventKind::kNodeCrashed, {{"node", ctx_.platform.name_of(n)}, {"cause", why}});
  // Powering the node off fails every CPU job on it (reported to their owners just after
  // this call); each component on the node drops its in-memory state.
  ctx_.platform.set_up(n, false);
  ctx_.cpu.power_off(n);
  for (auto* c : components_)
    if (c->instance_of(n) >= 0) c->on_node_down(n);
}

void FaultInjector::restart_node(NodeId n) {
  if (ctx_.platform.is_up(n)) return;
  ctx_.platform.set_up(n, true);
  ctx_.cpu.power_on(n);
  ctx_.events.emit(ctx_.sched.now(), EventKind::kNodeRestarted, {{"node", ctx_.platform.name_of(n)}});
  for (auto* c : components_)
    if (c->instance_of(n) >= 0) c->on_node_up(n);
}

void FaultInjector::fire(const config::FaultSpec& f) {
  using Kind = config::FaultSpec::Kind;
  const double now = ctx_.sched.now();
  switch (f.kind) {
    case Kind::kCrash: {
      NodeId n = resolve_node(f.target, f);
      if (n < 0) return;
      crash_node(n, "fault: crash " + f.target.describe());
      if (f.duration) ctx_.sched.at(now + f.duration->seconds, [this, n] { restart_node(n); });
      return;
    }
    case Kind::kStop: {
      NodeId n = resolve_node(f.target, f);  // skipped first: a `model:` stop may find no component
      if (n < 0) return;
      Component* c = find(f.target.component);
      MAILSIM_ASSERT(c != nullptr, "stop of an unknown component survived validation");
      ctx_.events.emit(now, EventKind::kComponentStopped, {{"component", c->name()}, {"node", ctx_.platform.name_of(n)}});
      c->stop_instance(n);
      if (f.duration)
        ctx_.sched.at(now + f.duration->seconds, [this, c, n] {
          if (!ctx_.platform.is_up(n)) return;  // a crash in between: the reboot started it
          ctx_.events.emit(ctx_.sched.now(), EventKind::kComponentStarted,
                           {{"component", c->name()}, {"node", ctx_.platform.name_of(n)}});
          c->start_instance(n);
        });
      return;
    }
    case Kind::kPartition: {
      std::vector<NodeId> a, b;
      for (const auto& name : f.groups[0]) a.push_back(ctx_.platform.id_of(name));
      for (const auto& name : f.groups[1]) b.push_back(ctx_.platform.id_of(name));
      int id = ctx_.net.add_cut(a, b, f.one_way);
      ctx_.events.emit(now, EventKind::kPartitionStarted, {{"groups", f.groups}, {"one_way", f.one_way}});
      if (f.duration)
        ctx_.sched.at(now + f.duration->seconds, [this, id, groups = f.groups] {
          ctx_.net.remove_cut(id);
          ctx_.events.emit(ctx_.sched.now(), EventKind::kPartitionHealed, {{"groups", groups}});
        });
      return;
    }
    case Kind::kSwitchover: {
      if (f.target.component.empty()) {  // a `model:` switchover on a topology without that model
        ctx_.events.emit(now, EventKind::kFaultSkipped, {{"fault", f.kind_name()}, {"target", f.target.describe()},
                                                         {"reason", "no component of model " + f.target.model}});
        return;
      }
      Component* c = find(f.target.component);
      MAILSIM_ASSERT(c != nullptr, "switchover of an unknown component survived validation");
      std::optional<NodeId> to;
      if (!f.target.node.empty()) to = ctx_.platform.id_of(f.target.node);
      ctx_.events.emit(now, EventKind::kSwitchoverRequested, {{"component", c->name()}, {"candidate", f.target.node}});
      c->switchover(to);
      return;
    }
    case Kind::kSlowDisk: {
      NodeId n = resolve_node(f.target, f);
      if (n < 0) return;
      ctx_.platform.set_disk_slowdown(n, f.disk_factor);
      ctx_.events.emit(now, EventKind::kDiskSlowed, {{"node", ctx_.platform.name_of(n)}, {"factor", f.disk_factor}});
      if (f.duration)
        ctx_.sched.at(now + f.duration->seconds, [this, n] {
          ctx_.platform.set_disk_slowdown(n, 1);
          ctx_.events.emit(ctx_.sched.now(), EventKind::kDiskRestored, {{"node", ctx_.platform.name_of(n)}});
        });
      return;
    }
    case Kind::kDegrade: {
      NodeId n = resolve_node(f.target, f);
      if (n < 0) return;
      ctx_.net.set_degrade(n, f.extra_latency.seconds, f.loss.value);
      ctx_.events.emit(now, EventKind::kLinkDegraded,
                       {{"node", ctx_.platform.name_of(n)}, {"extra_latency_s", f.extra_latency.seconds}, {"loss", f.loss.value}});
      if (f.duration)
        ctx_.sched.at(now + f.duration->seconds, [this, n] {
          ctx_.net.set_degrade(n, 0, 0);
          ctx_.events.emit(ctx_.sched.now(), EventKind::kLinkRestored, {{"node", ctx_.platform.name_of(n)}});
        });
      return;
    }
  }
}

}  // namespace mailsim::engine
