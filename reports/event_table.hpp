#pragma once
// The event catalogue as `mailsim describe` shows it: a model's events on its reference
// page (docs/models/NAME.md), every kind in docs/architecture.md (`describe --events`).
#include <string>

namespace mailsim::reports {

// Markdown: | event | class | fields | meaning |, the kinds `model` emits; with model ""
// every kind, with an `emitted by` column.
std::string event_table_markdown(const std::string& model);

// Plain text: name [class], its meaning and fields, one block per kind `model` emits;
// with model "" every kind and its emitters.
std::string event_list_text(const std::string& model);

}  // namespace mailsim::reports
