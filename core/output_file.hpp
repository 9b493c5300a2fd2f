#pragma once
// Writes an output file atomically: to "PATH.tmp.PID", then rename(2), so a reader (or a
// crash) never sees half a file (DESIGN.md decision 6). Creates missing parent folders.
#include <string>

namespace mailsim::core {

void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace mailsim::core
