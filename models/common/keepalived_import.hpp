#pragma once
// keepalived.conf onto the VRRP params that vip_balancer and memcached's mode vip share
// (docs/import.md, "keepalived"). One vrrp_instance describes the component: the file's
// only one, or the one named by `section:`. Its priority is per node (each node's own
// keepalived.conf gives its own); advert_int, nopreempt and the VRRP version must agree
// between the nodes' files.
#include "models/common/native_import.hpp"

namespace mailsim::models {

void import_keepalived(const NativeFile& file, ImportSink& out);

// The `config:` kind: "keepalived".
NativeKind keepalived_kind();

}  // namespace mailsim::models
