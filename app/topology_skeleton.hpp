#pragma once
// `mailsim import DIR` (docs/import.md, "A topology from the files"): a topology skeleton
// from a folder of the files operators keep. Files are recognised by name (keepalived*.conf,
// haproxy*.cfg, patroni*.yml, etcd*.yml, pgbouncer*.ini, main.cf, fstab); each folder of
// keepalived files is a VRRP pair whose nodes are the files' router_ids, the haproxy.cfg
// beside them names the backend's servers, patroni.yml and etcd's file the database and its
// DCS, main.cf the mail nodes, an NFS line of fstab the Maildir server. Components point at
// their files with `config:`, so their params come from there, and the skeleton writes only
// the params the files cannot give (a balancer's backend, Patroni's DCS). Everything the
// files do not say (the network, node sizes, zones, which services run over which
// components, request sizes and CPU costs) is written with an `assumption:` note. The
// result validates and runs; it is a start, to be read and corrected.
#include <string>
#include <vector>

namespace mailsim::app {

struct Skeleton {
  std::string yaml;                // the topology
  std::vector<std::string> unread;  // files of DIR not recognised, relative to DIR
};

// `dir`: the folder of files; `out_file`: where the topology will be written (its `config:`
// paths are relative to its folder). InputError when `dir` holds no file mailsim reads, or
// a file is malformed (at its file:line:col).
Skeleton topology_skeleton(const std::string& dir, const std::string& out_file);

}  // namespace mailsim::app
