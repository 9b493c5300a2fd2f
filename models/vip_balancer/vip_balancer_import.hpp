#pragma once
// The files a vip_balancer's params are read from (docs/import.md): keepalived.conf for the
// VRRP group (models/common/keepalived_import.hpp) and haproxy.cfg for the proxy.
//
// haproxy.cfg: the backend or listen section named by `section:`, else every backend and
// listen section with `server` lines, which must then agree (mailsim has one health-check
// setting per balancer). Each takes its settings from the `defaults` section before it, its
// own lines, and each server's `default-server` and `server` options; servers must agree
// too. A disagreement is an error at the line that differs.
#include <vector>

#include "models/common/native_import.hpp"

namespace mailsim::models {

void import_haproxy(const NativeFile& file, ImportSink& out);

// keepalived and haproxy.
std::vector<NativeKind> vip_balancer_native_kinds();

}  // namespace mailsim::models
