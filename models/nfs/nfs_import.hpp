#pragma once
// NFS mount options (an fstab line or the option string alone) onto the nfs model's
// client params (docs/import.md, "NFS"): hard/soft, timeo, retrans; proto=tcp is what the
// model is. In an fstab with several NFS mounts, `section:` names the mount point; the
// other lines are listed as not modelled.
#include <vector>

#include "models/common/native_import.hpp"

namespace mailsim::models {

void import_nfs_mount(const NativeFile& file, ImportSink& out);

std::vector<NativeKind> nfs_native_kinds();

}  // namespace mailsim::models
