#include "models/common/keepalived_import.hpp"

#include <fmt/format.h>

#include "config/native/keepalived_conf.hpp"
#include "config/native/native_values.hpp"

namespace mailsim::models {

namespace native = config::native;

namespace {

// Why keepalived's directives that mailsim reads but does not model make no difference to
// it, or what it does instead (keepalived.conf(5) for each keyword).
const char* why_not(const std::string& keyword) {
  if (keyword == "state")
    return "the run starts after the election, which priority decides (the highest priority holds the VIP at "
           "t = 0, ties to the later-listed node)";
  if (keyword == "garp_master_delay" || keyword == "vrrp_garp_master_delay" || keyword == "garp_master_repeat" ||
      keyword == "garp_master_refresh" || keyword == "vrrp_garp_master_repeat" || keyword == "vrrp_garp_master_refresh")
    return "a new master sends one gratuitous ARP at once, and the gateway follows it";
  if (keyword == "interface" || keyword == "virtual_router_id" || keyword == "unicast_src_ip" ||
      keyword == "unicast_peer" || keyword == "virtual_ipaddress" || keyword == "virtual_ipaddress_excluded" ||
      keyword == "track_interface" || keyword == "dont_track_primary" || keyword == "authentication" ||
      keyword == "native_ipv6" || keyword == "mcast_src_ip")
    return "addresses and interfaces: the VIP is the component's, advertised over the simulated network";
  if (keyword == "track_script")
    return "keepalived and haproxy are one component: a stopped haproxy stops keepalived, and no script lowers "
           "the priority (docs/architecture.md, Known limitations)";
  if (keyword.rfind("notify", 0) == 0 || keyword == "smtp_alert")
    return "notifications change no timing";
  return "mailsim has no such setting";
}

// global_defs: vrrp_version is the one setting that changes timing (the skew time formula).
void import_global_defs(const native::KeepalivedBlock& g, ImportSink& out) {
  for (const auto& c : g.children) {
    if (c.head.keyword == "vrrp_version") {
      out.set("vrrp_version", std::to_string(native::integer(c.head, native::single_arg(c.head), 2, 3)), c.head);
      continue;
    }
    if (c.head.keyword.rfind("vrrp_garp", 0) == 0) {
      out.not_modelled(c.head, why_not(c.head.keyword));
      continue;
    }
    out.not_modelled(c.head, "process, identity and notification settings change no failover timing");
  }
}

std::vector<native::Directive> heads(const std::vector<native::KeepalivedBlock>& blocks) {
  std::vector<native::Directive> out;
  for (const auto& b : blocks) out.push_back(b.head);
  return out;
}

void import_instance(const native::KeepalivedBlock& vi, ImportSink& out) {
  for (const auto& c : vi.children) {
    const native::Directive& d = c.head;
    if (d.keyword == "priority") {
      // keepalived accepts 1 to 255 (255: the address owner).
      out.set_per_node("priority", std::to_string(native::integer(d, native::single_arg(d), 1, 255)), d);
    } else if (d.keyword == "advert_int") {
      out.set("advert_int", duration_text(native::seconds(d, native::single_arg(d))), d);
    } else if (d.keyword == "nopreempt") {
      out.set("preempt", bool_text(false), d);
    } else if (d.keyword == "preempt") {
      out.set("preempt", bool_text(true), d);
    } else if (d.keyword == "preempt_delay") {
      out.set("preempt_delay", duration_text(native::seconds(d, native::single_arg(d))), d);
    } else if (d.keyword == "version") {
      out.set("vrrp_version", std::to_string(native::integer(d, native::single_arg(d), 2, 3)), d);
    } else if (c.has_body) {
      out.block_not_modelled(d, heads(c.children), why_not(d.keyword));
    } else {
      out.not_modelled(d, why_not(d.keyword));
    }
  }
}

}  // namespace

void import_keepalived(const NativeFile& file, ImportSink& out) {
  const auto blocks = native::parse_keepalived_conf(file.text, file.ref.file);
  std::vector<std::string> instances;
  for (const auto& b : blocks)
    if (b.head.keyword == "vrrp_instance") instances.push_back(b.head.args.empty() ? "" : b.head.args[0]);
  const std::string chosen = instances[pick_section(file, instances, "vrrp_instance")];
  for (const auto& b : blocks) {
    const std::string& k = b.head.keyword;
    if (k == "global_defs") {
      import_global_defs(b, out);
    } else if (k == "vrrp_instance" && !b.head.args.empty() && b.head.args[0] == chosen) {
      import_instance(b, out);
    } else if (k == "vrrp_instance") {
      out.block_not_modelled(b.head, heads(b.children),
                             fmt::format("another VIP: component '{}' reads vrrp_instance {}", file.component.name, chosen));
    } else if (k == "vrrp_script") {
      out.block_not_modelled(b.head, heads(b.children), why_not("track_script"));
    } else if (k == "include") {
      out.not_modelled(b.head, "included files are not followed: name each file under `config:`");
    } else {
      out.block_not_modelled(b.head, heads(b.children), "LVS, sync groups and static addresses change no VRRP timing");
    }
  }
}

NativeKind keepalived_kind() {
  return {"keepalived", "keepalived.conf (keepalived.conf(5)): one vrrp_instance; one file per node or one for all",
          import_keepalived};
}

}  // namespace mailsim::models
