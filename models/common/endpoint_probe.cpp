#include "models/common/endpoint_probe.hpp"

namespace mailsim::models {

void probe_endpoint(engine::Context& ctx, engine::NodeId from, engine::NodeId server, const engine::Component& backend,
                    const std::string& check, double bytes, ProbeDeadlines deadlines,
                    std::function<void(double t, ProbeResult result)> finish_at) {
  auto there = ctx.net.transit(from, server, bytes);
  // Lost, or (links being shared) held behind other traffic past the connect deadline.
  if (!there || ctx.sched.now() + *there > deadlines.connect) return finish_at(deadlines.connect, ProbeResult::kSilent);
  const engine::Component* b = &backend;
  ctx.sched.after(*there, [&ctx, from, server, b, check, bytes, deadlines, finish_at = std::move(finish_at)] {
    if (!ctx.platform.is_up(server)) return finish_at(deadlines.connect, ProbeResult::kSilent);
    // The server's own answer: its process accepts (tcp) or its endpoint answers 200.
    const bool answering = check == "tcp" ? b->accepts(server) : b->health(server, check);
    auto back = ctx.net.transit(server, from, bytes);
    if (!back || ctx.sched.now() + *back > deadlines.answer) return finish_at(deadlines.answer, ProbeResult::kSilent);
    finish_at(ctx.sched.now() + *back, answering ? ProbeResult::kOk : ProbeResult::kFailed);
  });
}

}  // namespace mailsim::models
