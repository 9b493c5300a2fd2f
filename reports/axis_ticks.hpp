#pragma once
// Chart axes shared by the HTML reports (run, sweep): the step between ticks.
namespace mailsim::reports {

// A round step (1, 2, 2.5 or 5 times a power of ten) giving about `target` ticks over
// `range`; 1 for an empty range.
double nice_step(double range, int target);

}  // namespace mailsim::reports
