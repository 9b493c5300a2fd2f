#pragma once
// NFS mount options as nfs(5) and fstab(5) write them: either an fstab line
// ("server:/export /var/mail nfs4 rw,hard,timeo=600,retrans=2 0 0") or the option string
// alone ("rw,hard,timeo=600"). Each option becomes a directive: keyword = the option's
// name, args = {value} for name=value options.
#include <string>
#include <vector>

#include "config/native/native_file.hpp"

namespace mailsim::config::native {

struct NfsMount {
  std::string source, mount_point, fs_type;  // empty for a bare option string
  std::vector<Directive> options;
  Directive line;  // the whole line: keyword = its first word, for warnings
  bool is_nfs() const { return fs_type.empty() || fs_type == "nfs" || fs_type == "nfs4"; }
};

// The first non-comment line of `text`. InputError for an fstab line whose type is not
// nfs or nfs4, or an empty option.
NfsMount parse_nfs_mount(const std::string& text, const std::string& file);

// Every non-comment line of an fstab (or of a file holding one option string), whatever its
// file system type: the caller picks the NFS mounts. InputError for a malformed line.
std::vector<NfsMount> parse_fstab(const std::string& text, const std::string& file);

}  // namespace mailsim::config::native
