#include "models/common/native_import.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace mailsim::models {

ImportSink::ImportSink(std::string model, std::vector<std::string> params)
    : model_(std::move(model)), params_(std::move(params)) {}

void ImportSink::add(const std::string& param, std::string value, bool per_node, const Directive& from) {
  if (std::find(params_.begin(), params_.end(), param) == params_.end()) {
    not_modelled(from, fmt::format("model {} has no param {}", model_, param));
    return;
  }
  values_.push_back({param, std::move(value), per_node, from});
}

void ImportSink::set(const std::string& param, std::string value, const Directive& from) {
  add(param, std::move(value), false, from);
}

void ImportSink::set_per_node(const std::string& param, std::string value, const Directive& from) {
  add(param, std::move(value), true, from);
}

void ImportSink::not_modelled(const Directive& d, const std::string& why) {
  warnings_.push_back({d.mark, fmt::format("'{}' is not modelled: {}", d.text(), why)});
}

void ImportSink::block_not_modelled(const Directive& head, const std::vector<Directive>& lines, const std::string& why) {
  std::vector<std::string> keywords;
  for (const auto& l : lines)
    if (std::find(keywords.begin(), keywords.end(), l.keyword) == keywords.end()) keywords.push_back(l.keyword);
  const std::string body = keywords.empty() ? "" : fmt::format(" {{ {} }}", fmt::join(keywords, ", "));
  warnings_.push_back({head.mark, fmt::format("'{}'{} is not modelled: {}", head.text(), body, why)});
}

size_t pick_section(const NativeFile& file, const std::vector<std::string>& names, const std::string& what) {
  const config::ConfigRef& ref = file.ref;
  if (!ref.section.empty()) {
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i] == ref.section) return i;
    throw core::InputError(ref.mark, fmt::format("{} has no {} '{}'{}", ref.file, what, ref.section,
                                                 core::did_you_mean(ref.section, names)));
  }
  if (names.size() == 1) return 0;
  if (names.empty()) throw core::InputError({ref.file, 1, 1}, fmt::format("no {} in this file", what));
  throw core::InputError(ref.mark, fmt::format("{} has {} {}s ({}): name the one of component '{}' with "
                                               "{{file: {}, section: NAME}}",
                                               ref.file, names.size(), what, fmt::join(names, ", "),
                                               file.component.name, ref.path));
}

std::string duration_text(core::Duration d) { return core::format_duration(d); }

std::string bool_text(bool b) { return b ? "true" : "false"; }

}  // namespace mailsim::models
