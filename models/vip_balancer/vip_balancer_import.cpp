#include "models/vip_balancer/vip_balancer_import.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "config/native/haproxy_cfg.hpp"
#include "config/native/native_values.hpp"
#include "models/common/keepalived_import.hpp"

namespace mailsim::models {

namespace native = config::native;

namespace {

// A param's value and the line that set it. std::map: params in name order, deterministic.
struct Setting {
  std::string value;
  native::Directive from;
};
using Settings = std::map<std::string, Setting>;

// What a `defaults` section hands the sections after it (configuration.txt 4: a new
// `defaults` section replaces the previous one).
struct Defaults {
  Settings proxy;   // timeouts, retries, redispatch, balance, health check
  Settings server;  // default-server options
  bool used = false;  // a backend the component reads follows it
};

// Patroni's REST API endpoints that haproxy checks (Patroni docs, rest_api.rst and its
// haproxy.cfg example), onto health_check.
std::string patroni_check(const std::string& uri) {
  if (uri == "/primary" || uri == "/master" || uri == "/read-write") return "patroni_primary";
  if (uri == "/replica" || uri == "/read-only") return "patroni_replica";
  if (uri == "/leader") return "patroni_leader";
  return "";
}

const char* kNoTiming = "mailsim has no such setting; it changes no failover timing";

// A line of a defaults, backend or listen section that sets a proxy param. Returns false when
// the line is not one mailsim models.
bool proxy_line(const native::Directive& d, Settings& proxy, ImportSink& out) {
  const auto& a = d.args;
  if (d.keyword == "timeout" && a.size() == 2) {
    static const std::map<std::string, std::string> timeouts = {
        {"connect", "timeout_connect"}, {"server", "timeout_server"}, {"check", "timeout_check"}};
    auto it = timeouts.find(a[0]);
    if (it == timeouts.end()) return false;
    proxy[it->second] = {duration_text(native::haproxy_time(d, a[1])), d};
    return true;
  }
  if (d.keyword == "retries") {
    proxy["retries"] = {std::to_string(native::integer(d, native::single_arg(d), 0, 1000)), d};
    return true;
  }
  if (d.keyword == "option" && !a.empty() && a[0] == "redispatch") {
    proxy["redispatch"] = {bool_text(true), d};
    return true;
  }
  if (d.keyword == "no" && a.size() >= 2 && a[0] == "option" && a[1] == "redispatch") {
    proxy["redispatch"] = {bool_text(false), d};
    return true;
  }
  if (d.keyword == "balance" && !a.empty() && (a[0] == "roundrobin" || a[0] == "leastconn")) {
    proxy["balance"] = {a[0], d};
    return true;
  }
  // option httpchk [<method>] <uri> [<version>]; haproxy >= 2.2: http-check send ... uri <uri>
  std::string uri;
  if (d.keyword == "option" && !a.empty() && a[0] == "httpchk") uri = a.size() >= 3 ? a[2] : a.size() == 2 ? a[1] : "/";
  if (d.keyword == "http-check" && !a.empty() && a[0] == "send")
    for (size_t i = 1; i + 1 < a.size(); ++i)
      if (a[i] == "uri") uri = a[i + 1];
  if (!uri.empty()) {
    const std::string check = patroni_check(uri);
    if (check.empty()) {
      out.not_modelled(d, "mailsim models HTTP checks of Patroni's REST API only (/primary, /replica, /leader); "
                          "health_check tcp applies: the server is up while it accepts connections");
      return true;
    }
    proxy["health_check"] = {check, d};
    return true;
  }
  if (d.keyword == "http-check" && !a.empty() && a[0] == "expect") return true;  // Patroni answers 200 or 503
  if ((d.keyword == "option" && !a.empty() && a[0] == "tcp-check") || d.keyword == "tcp-check") return true;
  return false;
}

// haproxy's server keywords that take no value (configuration.txt 5.2).
bool is_flag(const std::string& k) {
  static const std::set<std::string> flags = {"check", "backup", "ssl", "send-proxy", "send-proxy-v2", "send-proxy-v2-ssl",
                                              "send-proxy-v2-ssl-cn", "disabled", "enabled", "non-stick", "stick",
                                              "agent-check", "check-ssl", "check-send-proxy", "tfo", "allow-0rtt",
                                              "check-via-socks4"};
  return flags.count(k) || k.rfind("no-", 0) == 0 || k.rfind("force-", 0) == 0;
}

const char* server_option_why(const std::string& k) {
  if (k == "weight") return "mailsim weighs every server equally";
  if (k == "backup") return "mailsim balances over every node of the backend component";
  if (k == "maxconn" || k == "maxqueue" || k == "minconn")
    return "a server's limit is its worker pool, the backend model's (workers, backlog)";
  if (k == "slowstart") return "a server back UP takes its full share at once";
  if (k == "port" || k == "addr") return "the check goes to the server's service (health_check says which)";
  return kNoTiming;
}

// The options of a `server` or `default-server` line (from args[first]) into `s`.
void server_options(const native::Directive& d, size_t first, const std::string& health_check, Settings& s,
                    bool* check, ImportSink& out) {
  const auto& a = d.args;
  for (size_t i = first; i < a.size(); ++i) {
    const std::string& k = a[i];
    if (is_flag(k)) {
      if (k == "check") *check = true;
      else out.not_modelled({k, {}, d.mark, d.context}, server_option_why(k));
      continue;
    }
    if (i + 1 >= a.size())
      throw core::InputError(d.mark, fmt::format("{}: server option '{}' needs a value", d.keyword, k));
    const std::string& v = a[++i];
    const native::Directive opt{k, {v}, d.mark, d.context};
    if (k == "inter" || k == "fastinter" || k == "downinter") s[k] = {duration_text(native::haproxy_time(opt, v)), d};
    else if (k == "fall" || k == "rise") s[k] = {std::to_string(native::integer(opt, v, 1, 1000000)), d};
    else if (k == "on-marked-down" && v == "shutdown-sessions") s["shutdown_sessions"] = {bool_text(true), d};
    else if (k == "port" && health_check.rfind("patroni_", 0) == 0) continue;  // Patroni's REST API port (8008)
    else out.not_modelled(opt, server_option_why(k));
  }
}

// The values of several backends or servers must agree: mailsim has one setting per balancer.
// `what`: "backends" or "servers".
void agree(const std::vector<Settings>& all, const std::string& what, Settings& into) {
  auto find = [](const Settings& s, const std::string& p) -> const Setting* {
    auto it = s.find(p);
    return it == s.end() ? nullptr : &it->second;
  };
  auto describe = [](const Setting* s) {
    return s ? fmt::format("{} (line {})", s->value, s->from.mark.line) : std::string("haproxy's default");
  };
  std::set<std::string> params;
  for (const auto& s : all)
    for (const auto& [p, v] : s) params.insert(p);
  for (const auto& p : params) {
    const Setting* first = find(all[0], p);
    for (size_t i = 1; i < all.size(); ++i) {
      const Setting* other = find(all[i], p);
      if ((first ? first->value : "") == (other ? other->value : "")) continue;
      throw core::InputError((other ? other : first)->from.mark,
                             fmt::format("the {} disagree on {}: {} vs {}; mailsim has one {} per balancer: make them "
                                         "agree, or name one backend with `section:`",
                                         what, p, describe(first), describe(other), p));
    }
    if (first) into[p] = *first;
  }
}

class HaproxyImport {
 public:
  HaproxyImport(const NativeFile& f, ImportSink& out) : f_(f), out_(out) {}

  void run() {
    const auto sections = native::parse_haproxy_cfg(f_.text, f_.ref.file);
    const std::vector<std::string> chosen = chosen_sections(sections);
    std::vector<Settings> proxies, servers;
    Defaults defaults;
    for (const auto& s : sections) {
      const std::string& k = s.head.keyword;
      if (k == "defaults") {
        unused(defaults);
        defaults = read_defaults(s);
      } else if ((k == "backend" || k == "listen") && is_chosen(chosen, s.name())) {
        defaults.used = true;
        read_backend(s, defaults, proxies, servers);
      } else if (k == "backend" || k == "listen") {
        out_.block_not_modelled(s.head, s.lines,
                                fmt::format("not component '{}''s backend ({})", f_.component.name, fmt::join(chosen, ", ")));
      } else if (k == "frontend") {
        for (const auto& l : s.lines) out_.not_modelled(l, frontend_why(l));
      } else {
        out_.block_not_modelled(s.head, s.lines, k == "global" ? "process settings change no failover timing" : kNoTiming);
      }
    }
    unused(defaults);
    Settings all;
    agree(proxies, "backends", all);
    agree(servers, "servers", all);
    for (const auto& [param, s] : all) out_.set(param, s.value, s.from);
  }

 private:
  // The backends the component reads: the one `section:` names, else every backend and
  // listen section with servers.
  std::vector<std::string> chosen_sections(const std::vector<native::HaproxySection>& sections) const {
    std::vector<std::string> names, with_servers;
    for (const auto& s : sections) {
      if (s.head.keyword != "backend" && s.head.keyword != "listen") continue;
      names.push_back(s.name());
      for (const auto& l : s.lines)
        if (l.keyword == "server") {
          with_servers.push_back(s.name());
          break;
        }
    }
    if (!f_.ref.section.empty()) return {names[pick_section(f_, names, "backend or listen section")]};
    if (with_servers.empty())
      throw core::InputError({f_.ref.file, 1, 1}, "no backend or listen section with server lines in this file");
    return with_servers;
  }

  static bool is_chosen(const std::vector<std::string>& chosen, const std::string& name) {
    for (const auto& c : chosen)
      if (c == name) return true;
    return false;
  }

  Defaults read_defaults(const native::HaproxySection& s) {
    Defaults d;
    for (const auto& l : s.lines)
      if (l.keyword != "default-server" && !proxy_line(l, d.proxy, out_)) out_.not_modelled(l, proxy_why(l));
    for (const auto& l : s.lines)  // after the proxy lines: a `port` option depends on the check
      if (l.keyword == "default-server") {
        bool check = false;
        server_options(l, 0, health_check(d.proxy), d.server, &check, out_);
      }
    return d;
  }

  // A defaults section no chosen backend follows: its settings reach nothing mailsim reads.
  void unused(const Defaults& d) {
    if (d.used) return;
    const std::string why = fmt::format("no backend of component '{}' follows this defaults section", f_.component.name);
    std::set<int> warned;  // one warning per line (a default-server line sets several params)
    for (const auto* settings : {&d.proxy, &d.server})
      for (const auto& [param, s] : *settings)
        if (warned.insert(s.from.mark.line).second) out_.not_modelled(s.from, why);
  }

  void read_backend(const native::HaproxySection& s, const Defaults& defaults, std::vector<Settings>& proxies,
                    std::vector<Settings>& servers) {
    Settings proxy = defaults.proxy, server_defaults = defaults.server;
    // The section's own lines first (haproxy reads the whole section before it checks).
    std::vector<const native::Directive*> server_lines, default_server_lines;
    for (const auto& l : s.lines) {
      if (l.keyword == "server") server_lines.push_back(&l);
      else if (l.keyword == "default-server") default_server_lines.push_back(&l);
      else if (!proxy_line(l, proxy, out_)) out_.not_modelled(l, proxy_why(l));
    }
    const std::string check = health_check(proxy);
    for (const auto* l : default_server_lines) {
      bool c = false;
      server_options(*l, 0, check, server_defaults, &c, out_);
    }
    for (const auto* l : server_lines) {
      if (l->args.size() < 2) throw core::InputError(l->mark, "server: expected a name and an address");
      Settings server = server_defaults;
      bool has_check = false;
      server_options(*l, 2, check, server, &has_check, out_);
      if (!has_check)
        out_.not_modelled(*l, "without `check` haproxy never marks this server DOWN; mailsim health-checks every "
                              "server of the backend");
      servers.push_back(std::move(server));
    }
    proxies.push_back(std::move(proxy));
  }

  static std::string health_check(const Settings& proxy) {
    auto it = proxy.find("health_check");
    return it == proxy.end() ? "tcp" : it->second.value;
  }

  static std::string proxy_why(const native::Directive& d) {
    if (d.keyword == "timeout") return "mailsim's timeouts are connect, server and check (the client's is the scenario's)";
    if (d.keyword == "balance") return "mailsim balances roundrobin, leastconn or user_hash; the table's default applies";
    if (d.keyword == "bind") return "clients reach the balancer through the VIP";
    return kNoTiming;
  }

  static std::string frontend_why(const native::Directive& d) {
    if (d.keyword == "timeout" && !d.args.empty() && d.args[0] == "client")
      return "the client's timeout is the scenario's (client.timeout)";
    return "frontends: clients reach the backend through the VIP";
  }

  const NativeFile& f_;
  ImportSink& out_;
};

}  // namespace

void import_haproxy(const NativeFile& file, ImportSink& out) { HaproxyImport(file, out).run(); }

std::vector<NativeKind> vip_balancer_native_kinds() {
  return {keepalived_kind(),
          {"haproxy", "haproxy.cfg (haproxy configuration.txt): defaults, backend and listen sections, server lines",
           import_haproxy}};
}

}  // namespace mailsim::models
