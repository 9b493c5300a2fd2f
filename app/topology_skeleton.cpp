#include "app/topology_skeleton.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <utility>

#include "config/native/haproxy_cfg.hpp"
#include "config/native/keepalived_conf.hpp"
#include "config/native/nfs_mount.hpp"
#include "config/native/yaml_config.hpp"
#include "config/yaml_reader.hpp"
#include "core/error.hpp"

namespace mailsim::app {

namespace fs = std::filesystem;
namespace native = config::native;

namespace {

// The kind of a file, from its name as the packages install it; "" when not one mailsim reads.
std::string kind_of(const fs::path& p) {
  const std::string name = p.filename().string(), ext = p.extension().string();
  auto starts = [&](const char* s) { return name.rfind(s, 0) == 0; };
  if (starts("keepalived") && ext == ".conf") return "keepalived";
  if (starts("haproxy") && ext == ".cfg") return "haproxy";
  if (starts("patroni") && (ext == ".yml" || ext == ".yaml")) return "patroni";
  if (starts("etcd") && (ext == ".yml" || ext == ".yaml")) return "etcd";
  if (starts("pgbouncer") && ext == ".ini") return "pgbouncer";
  if (name == "main.cf") return "postfix";
  if (name == "fstab" || starts("fstab.")) return "nfs";
  return "";
}

struct Component {
  std::string name, model;
  std::vector<std::string> nodes;
  std::vector<std::string> params;  // "key: value"
  std::vector<std::string> config;  // "kind: value"
  std::string note;                 // an assumption, written above the component
};

// The size of a node, from the first component placed on it: the files say nothing of
// hosts (written as an assumption in the skeleton's header).
int cores_for(const std::string& model) {
  if (model == "mail_node" || model == "patroni_postgres") return 8;
  if (model == "nfs") return 4;
  return 2;  // balancers, caches, etcd members
}

// The topology's name: the folder's, as a mailsim name.
std::string name_of(const fs::path& dir) {
  std::string name = dir.filename().string();
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
  return name.empty() ? "imported" : name;
}

// "rupost-1" -> "rupost": a component named after its nodes.
std::string stem_of(const std::string& node, const std::string& fallback) {
  std::string s = node;
  while (!s.empty() && std::isdigit(static_cast<unsigned char>(s.back()))) s.pop_back();
  while (!s.empty() && (s.back() == '-' || s.back() == '_')) s.pop_back();
  return s.empty() ? fallback : s;
}

class Builder {
 public:
  Builder(const fs::path& dir, const fs::path& out_file)
      : given_(dir),
        dir_(fs::weakly_canonical(fs::absolute(dir))),
        out_dir_(fs::weakly_canonical(fs::absolute(out_file)).parent_path()) {}

  Skeleton run() {
    Skeleton s;
    std::vector<fs::path> files;
    if (!fs::is_directory(dir_)) throw core::InputError({given_.string(), 0, 0}, "not a folder");
    for (const auto& e : fs::recursive_directory_iterator(dir_))
      if (e.is_regular_file()) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      const std::string k = kind_of(f);
      if (k.empty()) s.unread.push_back(fs::relative(f, dir_).generic_string());
      else by_kind_[k].push_back(f);
    }
    if (by_kind_.empty())
      throw core::InputError({given_.string(), 0, 0}, "no file mailsim reads here (keepalived*.conf, haproxy*.cfg, "
                                                     "patroni*.yml, etcd*.yml, pgbouncer*.ini, main.cf, fstab)");
    database();
    for (const auto& [folder, ka] : keepalived_folders()) vrrp_pair(folder, ka);
    mail();
    maildir();
    pool();
    s.yaml = render();
    return s;
  }

 private:
  std::string rel(const fs::path& p) const { return fs::relative(p, out_dir_).generic_string(); }
  // A file as errors name it: under DIR as the user wrote it.
  std::string shown(const fs::path& p) const { return (given_ / fs::relative(p, dir_)).generic_string(); }
  std::string text(const fs::path& p) const { return config::read_text_file(p.string()); }
  const std::vector<fs::path>& files(const std::string& kind) {
    static const std::vector<fs::path> none;
    auto it = by_kind_.find(kind);
    return it == by_kind_.end() ? none : it->second;
  }
  const Component* find(const std::string& name) const {
    for (const auto& c : comps_)
      if (c.name == name) return &c;
    return nullptr;
  }
  Component* find(const std::string& name) {
    return const_cast<Component*>(std::as_const(*this).find(name));
  }
  Component& add(Component c) {
    comps_.push_back(std::move(c));
    return comps_.back();
  }

  std::map<fs::path, std::vector<fs::path>> keepalived_folders() {
    std::map<fs::path, std::vector<fs::path>> out;
    for (const auto& f : files("keepalived")) out[f.parent_path()].push_back(f);
    return out;
  }

  // patroni.yml and etcd's file: the database and its DCS. Their nodes: the members etcd's
  // initial-cluster names, and the servers of a haproxy backend that checks Patroni (found
  // later); until then an assumption.
  void database() {
    if (!files("patroni").empty()) {
      const fs::path& f = files("patroni").front();
      Component pg{"pg", "patroni_postgres", {"pg-1", "pg-2"}, {"dcs: etcd"}, {"patroni: " + rel(f)},
                   "assumption: two members pg-1, pg-2 (patroni.yml names one; a haproxy backend that checks "
                   "Patroni names them all)"};
      add(std::move(pg));
    }
    std::vector<std::string> members;
    if (!files("etcd").empty()) {
      const fs::path& f = files("etcd").front();
      for (const auto& d : native::parse_yaml_config(text(f), shown(f)))
        if (d.keyword == "initial-cluster" && !d.args.empty())
          for (const auto& part : split(d.args[0], ','))
            if (auto eq = part.find('='); eq != std::string::npos) members.push_back(part.substr(0, eq));
      Component etcd{"etcd", "etcd", members, {}, {"etcd: " + rel(f)}, ""};
      if (members.empty()) {
        etcd.nodes = {"etcd-1", "etcd-2", "etcd-3"};
        etcd.note = "assumption: three members etcd-1..3 (the file has no initial-cluster)";
      }
      add(std::move(etcd));
    } else if (find("pg")) {
      add({"etcd", "etcd", {"etcd-1", "etcd-2", "etcd-3"}, {}, {},
           "assumption: Patroni's DCS, three etcd members (no etcd configuration file in the folder)"});
    }
  }

  static std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= s.size()) {
      size_t end = s.find(sep, start);
      if (end == std::string::npos) end = s.size();
      if (end > start) out.push_back(s.substr(start, end - start));
      start = end + 1;
    }
    return out;
  }

  // A folder of keepalived files: one VRRP pair, its nodes the files' router_ids (or the
  // files' names), its backend the servers of the haproxy.cfg beside them.
  void vrrp_pair(const fs::path& folder, const std::vector<fs::path>& ka) {
    std::vector<std::string> nodes, entries;
    bool memcached = false;
    for (const auto& f : ka) {
      std::string name;
      for (const auto& b : native::parse_keepalived_conf(text(f), shown(f))) {
        if (b.head.keyword == "global_defs")
          if (const auto* id = b.find("router_id"); id && !id->head.args.empty()) name = id->head.args[0];
        if (b.head.keyword == "vrrp_script")
          if (const auto* s = b.find("script"); s && !s->head.args.empty())
            memcached = memcached || s->head.args[0].find("memcached") != std::string::npos;
      }
      if (name.empty()) {
        name = f.stem().string();
        for (const char* prefix : {"keepalived-", "keepalived_", "keepalived"})
          if (name.rfind(prefix, 0) == 0) name = name.substr(std::string(prefix).size());
      }
      if (name.empty()) name = fmt::format("{}-{}", folder.filename().string(), nodes.size() + 1);
      nodes.push_back(name);
      entries.push_back(fmt::format("{}: {}", name, rel(f)));
    }
    const std::string config = fmt::format("keepalived: {{{}}}", fmt::join(entries, ", "));
    std::string name = folder == dir_ ? "vip" : folder.filename().string();
    for (char& c : name)
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    if (memcached) {
      add({name, "memcached", nodes, {"mode: vip"}, {config}, ""});
      cache_ = name;
      return;
    }
    Component lb{name + (find(name) || name == "pg" || name == "etcd" ? "_lb" : ""), "vip_balancer", nodes, {}, {config}, ""};
    const fs::path haproxy = folder / "haproxy.cfg";
    std::vector<std::string> servers;
    bool patroni = false;
    if (fs::exists(haproxy)) {
      lb.config.push_back("haproxy: " + rel(haproxy));
      backend_of(haproxy, &servers, &patroni);
    }
    std::string backend;
    if (patroni && find("pg")) {
      Component* pg = find("pg");
      pg->nodes = servers;
      pg->note.clear();
      backend = "pg";
    } else {
      backend = stem_of(servers.empty() ? "" : servers.front(), "mail");
      if (!find(backend)) {
        Component m{backend, "mail_node", servers, {}, {}, ""};
        if (servers.empty()) {
          m.nodes = {backend + "-1", backend + "-2"};
          m.note = "assumption: two mail nodes behind the VIP (no haproxy.cfg with server lines beside keepalived's files)";
        }
        add(std::move(m));
        mail_nodes_.push_back(backend);
      }
    }
    lb.params.push_back("backend: " + backend);
    balancers_.push_back({lb.name, backend});
    add(std::move(lb));
  }

  // The servers of the file's first backend or listen section with `server` lines, and
  // whether its health check asks Patroni's REST API.
  void backend_of(const fs::path& f, std::vector<std::string>* servers, bool* patroni) {
    for (const auto& s : native::parse_haproxy_cfg(text(f), shown(f))) {
      if (s.head.keyword != "backend" && s.head.keyword != "listen") continue;
      for (const auto& l : s.lines) {
        if (l.keyword == "server" && !l.args.empty()) servers->push_back(l.args[0]);
        if (l.keyword == "option" || l.keyword == "http-check")
          for (const auto& a : l.args)
            for (const char* uri : {"/primary", "/master", "/leader", "/replica", "/read-write", "/read-only"})
              *patroni = *patroni || a == uri;
      }
      if (!servers->empty()) return;
      *patroni = false;
    }
  }

  // main.cf: Postfix on the mail nodes behind the first balancer (or on mail-1, mail-2).
  void mail() {
    if (files("postfix").empty()) return;
    if (mail_nodes_.empty()) {
      add({"mail", "mail_node", {"mail-1", "mail-2"}, {}, {},
           "assumption: two mail nodes (no balancer in the folder names them)"});
      mail_nodes_.push_back("mail");
    }
    find(mail_nodes_.front())->config.push_back("postfix: " + rel(files("postfix").front()));
  }

  // An NFS line of fstab: the Maildir server it mounts from, one knfsd node with one disk.
  void maildir() {
    for (const auto& f : files("nfs")) {
      const auto mounts = native::parse_fstab(text(f), shown(f));
      const auto nfs = std::count_if(mounts.begin(), mounts.end(), [](const auto& m) { return m.is_nfs(); });
      for (const auto& m : mounts) {
        if (!m.is_nfs() || m.source.empty()) continue;
        std::string host = m.source.substr(0, m.source.find(':'));
        if (host.empty()) host = "nfs-server";
        add({"maildir", "nfs", {host}, {},
             {nfs == 1 ? "nfs: " + rel(f) : fmt::format("nfs: {{file: {}, section: {}}}", rel(f), m.mount_point)},
                          "assumption: one knfsd server with an SSD (fstab names the server, not its disks)"});
        maildir_ = true;
        return;
      }
    }
  }

  // pgbouncer.ini: PgBouncer on each database node, in front of the local PostgreSQL.
  void pool() {
    if (files("pgbouncer").empty() || !find("pg")) return;
    add({"pgbouncer", "pgbouncer", find("pg")->nodes, {"database: pg"}, {"pgbouncer: " + rel(files("pgbouncer").front())},
         "assumption: PgBouncer runs on every database node"});
  }

  // Each node once, in the order the components name them, sized by the first one.
  std::string render_nodes() const {
    std::string out;
    std::vector<std::string> seen;
    for (const auto& c : comps_)
      for (const auto& n : c.nodes) {
        if (std::find(seen.begin(), seen.end(), n) != seen.end()) continue;
        seen.push_back(n);
        const std::string disks = c.model == "nfs" ? ", disks: [{name: maildir, profile: sata_ssd}]" : "";
        out += fmt::format("  - {{name: {}, cores: {}, speed: 2Gf{}}}\n", n, cores_for(c.model), disks);
      }
    return out;
  }

  using Steps = std::vector<std::string>;  // "{component: ...}", "queue: X", "delivery: {...}"

  // One service per mail balancer (smtp when a main.cf is there, imap, webmail over the
  // cache), one per database balancer, one through PgBouncer: guesses at the request paths.
  std::vector<std::pair<std::string, Steps>> services() const {
    std::vector<std::pair<std::string, Steps>> out;
    std::string db_lb;
    bool mail_named = false;
    for (const auto& [lb, backend] : balancers_)
      if (backend == "pg" && db_lb.empty()) db_lb = lb;
    for (const auto& [lb, backend] : balancers_) {
      // The first balancer's services get the plain names, a second one's the balancer's.
      const bool first_mail = backend != "pg" && !mail_named;
      mail_named = mail_named || first_mail;
      const std::string suffix = (backend == "pg" ? lb == db_lb : first_mail) ? "" : "_" + lb;
      const std::string first = "{component: " + lb + "}";
      if (backend == "pg") {
        out.push_back({"db" + suffix, {first, "{component: pg, op: read, cpu: exponential 1ms}"}});
        continue;
      }
      const Component* m = find(backend);
      if (m && !m->config.empty()) {
        // postfix accepts into its queue (the 250), then delivers into the Maildir, on the
        // deferred-queue settings of its main.cf.
        Steps smtp = {first, "{component: " + backend + ", op: smtp, cpu: exponential 4ms, request: 50KiB}"};
        if (maildir_) {
          smtp.push_back("queue: " + backend);
          smtp.push_back("delivery: {component: " + backend + ", op: deliver, cpu: exponential 2ms}");
          smtp.push_back("delivery: {component: maildir, op: deliver, request: 50KiB, hold_worker: true}");
        }
        out.push_back({"smtp" + suffix, smtp});
      }
      Steps imap = {first, "{component: " + backend + ", op: imap, cpu: exponential 2ms}"};
      if (maildir_) imap.push_back("{component: maildir, op: fetch, request: 20KiB, hold_worker: true}");
      out.push_back({"imap" + suffix, imap});
      if (cache_.empty() || !first_mail) continue;
      // Webmail: user data from the cache, from the database on a miss.
      Steps web = {first, "{component: " + backend + ", op: https, cpu: exponential 5ms}"};
      if (db_lb.empty()) {
        web.push_back("{component: " + cache_ + ", op: get, request: 200B}");
      } else {
        web.push_back("{component: " + cache_ + ", op: get, request: 200B, fallback: true, on_hit_skip: 2}");
        web.push_back("{component: " + db_lb + "}");
        web.push_back("{component: pg, op: read, cpu: exponential 1ms}");
      }
      out.push_back({"webmail", web});
    }
    if (find("pgbouncer"))
      out.push_back({"db_pool", {"{component: pgbouncer}", "{component: pg, op: read, cpu: exponential 1ms}"}});
    return out;
  }

  std::string render() const {
    std::string out = fmt::format(
        "# Generated by `mailsim import {}`: a skeleton to read and correct. The params come from\n"
        "# the files under `config:`; every `assumption:` is a guess the files do not settle.\n"
        "name: {}\n\n"
        "network:                   # assumption: the files give no network figures\n"
        "  nic_latency: 50us        # assumption: one switch hop of a 10 GbE LAN, one way\n"
        "  nic_bandwidth: 10Gbps\n"
        "  backbone_latency: 10us   # assumption: the switch fabric\n"
        "  backbone_bandwidth: 40Gbps\n"
        "  client_latency: 2ms      # assumption: users reach the site over a metro network\n"
        "  client_bandwidth: 1Gbps\n\n"
        "# assumption: the files do not size the hosts: 2 cores for balancers, caches and etcd, 8 for\n"
        "# mail and database nodes, 4 and an SSD for an NFS server, 2 GHz cores; no zones.\n"
        "nodes:\n{}",
        given_.generic_string(), name_of(dir_), render_nodes());
    out += "\ncomponents:\n";
    for (const auto& c : comps_) {
      if (!c.note.empty()) out += "  # " + c.note + "\n";
      out += fmt::format("  - name: {}\n    model: {}\n    nodes: [{}]\n", c.name, c.model, fmt::join(c.nodes, ", "));
      if (!c.params.empty()) out += fmt::format("    params: {{{}}}\n", fmt::join(c.params, ", "));
      if (!c.config.empty()) {
        out += "    config:\n";
        for (const auto& line : c.config) out += "      " + line + "\n";
      }
    }
    out += "\n# assumption: which services run over which components, and their CPU costs, are not in\n"
           "# the files: one service per balancer, to be replaced by the real request paths.\nservices:\n";
    for (const auto& [name, steps] : services()) {
      out += fmt::format("  - name: {}\n", name);
      std::string phase;
      for (const auto& st : steps) {
        // A step is a map; "queue: X" and "delivery: STEP" start the delivery phase.
        if (st.rfind("queue: ", 0) == 0) {
          out += "    " + st + "\n";
          continue;
        }
        const bool delivery = st.rfind("delivery: ", 0) == 0;
        const std::string key = delivery ? "delivery" : "steps";
        if (phase != key) out += "    " + key + ":\n";
        phase = key;
        out += "      - " + (delivery ? st.substr(10) : st) + "\n";
      }
    }
    return out;
  }

  fs::path given_, dir_, out_dir_;
  std::map<std::string, std::vector<fs::path>> by_kind_;
  std::vector<Component> comps_;
  std::vector<std::string> mail_nodes_;                               // mail_node components, in order
  std::vector<std::pair<std::string, std::string>> balancers_;        // balancer, backend
  std::string cache_;  // the memcached VIP pair, if any
  bool maildir_ = false;
};

}  // namespace

Skeleton topology_skeleton(const std::string& dir, const std::string& out_file) {
  return Builder(dir, out_file).run();
}

}  // namespace mailsim::app
