#pragma once
// Writing an output file (a run result, a report, a cache entry) as a user names it
// (DESIGN.md decision 6; docs/formats.md, "Output files"):
//  - "-" is standard output.
//  - A regular file, or a path that does not exist yet (its folders are created): the
//    content goes to a temporary file beside it, is flushed to disk (fsync), and replaces
//    the file in one rename(2); the folder is fsynced too. A reader, a crash or a full disk
//    never leaves half a file, and no temporary file is left behind on failure. An existing
//    file keeps its permissions.
//  - A symbolic link is written through: its target is replaced as above, the link stays.
//  - A character device or a FIFO with a reader (/dev/stdout, /dev/null, a pipe) is
//    written directly: nothing to replace atomically there.
//  - A directory, a dangling link, a block device, a socket, a FIFO without a reader, no
//    permission, a full disk: OutputError, one line "path: reason", exit code 2.
//  - A process killed between creating its temporary file (".NAME.tmp.PID" beside NAME)
//    and renaming it leaves that file behind: hidden, never read, and removed by
//    remove_stale_temporaries once no process PID runs.
#include <string>

#include "core/error.hpp"

namespace mailsim::core {

// Bad output path: an InputError (exit 2) positioned at the path itself.
class OutputError : public InputError {
 public:
  OutputError(const std::string& path, const std::string& message) : InputError({path, 0, 0}, message) {}
};

void write_file_atomically(const std::string& path, const std::string& content);

// Checks, without writing, that write_file_atomically(path, ...) can succeed: commands call
// it for every output before a long simulation, so a typo costs nothing.
void check_output_path(const std::string& path);

// True when `name` (a file name, no folder) is a temporary of write_file_atomically whose
// process no longer runs on this machine: ".NAME.tmp.PID" with PID dead.
bool is_stale_temporary(const std::string& name);

// Removes the stale temporaries of one output (".NAME.tmp.PID" beside `path`, PID dead),
// left by a writer that was killed mid-write. Best effort: errors are ignored.
void remove_stale_temporaries(const std::string& path);

}  // namespace mailsim::core
