#include "models/nfs/nfs_import.hpp"

#include "config/native/native_values.hpp"
#include "config/native/nfs_mount.hpp"

namespace mailsim::models {

namespace native = config::native;

namespace {

void import_options(const native::NfsMount& m, ImportSink& out) {
  for (const auto& d : m.options) {
    const std::string& k = d.keyword;
    // nfs(5): timeo in tenths of a second, retrans a count; hard is the default.
    if ((k == "hard" || k == "soft") && d.args.empty())
      out.set("mount", k, d);
    else if (k == "timeo")
      out.set("timeo", duration_text(native::deciseconds(d, native::single_arg(d))), d);
    else if (k == "retrans")
      out.set("retrans", std::to_string(native::integer(d, native::single_arg(d), 0, 1'000'000'000)), d);
    else if (k == "proto" && (native::single_arg(d) == "tcp" || native::single_arg(d) == "tcp6"))
      continue;  // the model is NFS over TCP
    else if (k == "proto")
      out.not_modelled(d, "mailsim models NFS over TCP (nfs(5): UDP's timeo and backoff differ)");
    else
      out.not_modelled(d, "versions, sizes, caching and access options change no failure timing");
  }
}

}  // namespace

void import_nfs_mount(const NativeFile& file, ImportSink& out) {
  const auto mounts = native::parse_fstab(file.text, file.ref.file);
  std::vector<std::string> points;
  for (const auto& m : mounts)
    if (m.is_nfs()) points.push_back(m.mount_point);
  const size_t chosen = pick_section(file, points, "NFS mount");
  size_t nfs_index = 0;
  for (const auto& m : mounts) {
    if (m.is_nfs() && nfs_index++ == chosen) import_options(m, out);
    else out.not_modelled(m.line, m.is_nfs() ? "another NFS mount" : "not an NFS mount");
  }
}

std::vector<NativeKind> nfs_native_kinds() {
  return {{"nfs", "an fstab line or NFS mount options (nfs(5), fstab(5)): hard/soft, timeo, retrans", import_nfs_mount}};
}

}  // namespace mailsim::models
