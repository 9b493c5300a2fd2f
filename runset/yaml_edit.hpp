#pragma once
// Edits of a YAML document by path, for sweeps and generated scenarios. A path is
// dot-separated: map keys, sequence indexes (`load.0.rate`), or, in a sequence of maps,
// the element whose `name` or `service` equals the segment (`load.smtp.rate`,
// `components.mail.params.workers`). Missing map keys are created; the edited document is
// then parsed by the strict config readers like any input, so a misspelt key is still an
// error with its position.
#include <string>

#include "config/topology.hpp"

namespace mailsim::runset {

// Returns `text` with PATH set to VALUE (parsed as YAML: "50/s", "3", "[a, b]").
// Throws core::InputError (at `origin`, e.g. "--set") when the path cannot be followed.
std::string yaml_set(const std::string& text, const std::string& path, const std::string& value,
                     const std::string& origin);

// A rewritten copy of a topology lives under CACHE/inputs, not beside its original: when its
// components read operators' files (`config:`), the copy names the original's config folder
// (absolute: the copy is this machine's cache), so its relative paths keep their meaning and
// the run manifests record them as the user wrote them. Returns `copy` unchanged otherwise.
std::string keep_config_folder(const std::string& copy, const config::Topology& original, const std::string& origin);

}  // namespace mailsim::runset
