// Operators' configuration files read as their software reads them: directives, their
// positions, and a file:line:col error for each kind of malformed line.
#include <gtest/gtest.h>

#include "config/native/haproxy_cfg.hpp"
#include "config/native/keepalived_conf.hpp"
#include "config/native/native_values.hpp"
#include "config/native/nfs_mount.hpp"
#include "config/native/pgbouncer_ini.hpp"
#include "config/native/postfix_main_cf.hpp"
#include "config/native/yaml_config.hpp"

using namespace mailsim::config::native;
using mailsim::core::InputError;

namespace {

template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

const char* kKeepalived = R"(! Configuration File for keepalived
global_defs {
   router_id lb1
   vrrp_garp_master_delay 5
}

vrrp_script chk_haproxy {
    script "/usr/bin/killall -0 haproxy"   # is it alive
    interval 2
    fall 2
    rise 2
}

vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 1
    nopreempt
    virtual_ipaddress {
        10.0.0.100/24 dev eth0
    }
    track_script {
        chk_haproxy
    }
}
)";

}  // namespace

TEST(Keepalived, BlocksNestWithTheirPositions) {
  auto top = parse_keepalived_conf(kKeepalived, "lb1/keepalived.conf");
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].head.keyword, "global_defs");
  EXPECT_EQ(top[1].head.text(), "vrrp_script chk_haproxy");
  const auto* script = top[1].find("script");
  ASSERT_NE(script, nullptr);
  EXPECT_EQ(script->head.args, std::vector<std::string>{"/usr/bin/killall -0 haproxy"});  // quotes group, comment ends
  const auto& vi = top[2];
  EXPECT_EQ(vi.head.text(), "vrrp_instance VI_1");
  const auto* prio = vi.find("priority");
  ASSERT_NE(prio, nullptr);
  EXPECT_EQ(prio->head.args[0], "150");
  EXPECT_EQ(prio->head.mark.line, 18);
  EXPECT_EQ(prio->head.mark.col, 5);
  EXPECT_EQ(prio->head.context, std::vector<std::string>{"vrrp_instance VI_1"});
  ASSERT_NE(vi.find("nopreempt"), nullptr);
  EXPECT_TRUE(vi.find("nopreempt")->head.args.empty());
  const auto* vips = vi.find("virtual_ipaddress");
  ASSERT_NE(vips, nullptr);
  ASSERT_EQ(vips->children.size(), 1u);
  EXPECT_EQ(vips->children[0].head.text(), "10.0.0.100/24 dev eth0");
}

TEST(Keepalived, BraceOnTheNextLineOrGluedToTheWord) {
  auto top = parse_keepalived_conf("vrrp_instance VI_1\n{\n  priority 100\n}\nglobal_defs{\n}\n", "k.conf");
  ASSERT_EQ(top.size(), 2u);
  EXPECT_TRUE(top[0].has_body);
  EXPECT_NE(top[0].find("priority"), nullptr);
  EXPECT_EQ(top[1].head.keyword, "global_defs");
}

TEST(Keepalived, UnbalancedBracesPointAtTheBrace) {
  EXPECT_EQ(error_of([] { parse_keepalived_conf("vrrp_instance VI_1 {\n  priority 100\n", "k.conf"); }),
            "k.conf:1:20: this '{' is never closed");
  EXPECT_EQ(error_of([] { parse_keepalived_conf("priority 100\n}\n", "k.conf"); }), "k.conf:2:1: a '}' closes no block");
  EXPECT_EQ(error_of([] { parse_keepalived_conf("vrrp_script x {\n script \"/bin/true\n}\n", "k.conf"); }),
            "k.conf:2:9: unterminated double quote");
}

TEST(Haproxy, SectionsAndServerLines) {
  auto s = parse_haproxy_cfg(R"(global
    maxconn 4000
defaults
    mode tcp
    timeout connect 5s
    timeout server 50000   # ms without a unit
backend imap
    balance roundrobin
    option redispatch
    server mail-1 10.0.0.11:143 check inter 2s fall 3 rise 2
)",
                             "haproxy.cfg");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[2].head.keyword, "backend");
  EXPECT_EQ(s[2].name(), "imap");
  ASSERT_EQ(s[2].lines.size(), 3u);
  const auto& server = s[2].lines[2];
  EXPECT_EQ(server.keyword, "server");
  EXPECT_EQ(server.args, (std::vector<std::string>{"mail-1", "10.0.0.11:143", "check", "inter", "2s", "fall", "3", "rise", "2"}));
  EXPECT_EQ(server.mark.line, 10);
  EXPECT_EQ(server.context, std::vector<std::string>{"backend imap"});
  EXPECT_DOUBLE_EQ(haproxy_time(s[1].lines[2], s[1].lines[2].args[1]).seconds, 50.0);
}

TEST(Haproxy, LineOutsideAnySectionIsAnError) {
  EXPECT_EQ(error_of([] { parse_haproxy_cfg("  timeout connect 5s\n", "h.cfg"); }),
            "h.cfg:1:3: 'timeout' is outside any section (global, defaults, frontend, backend, listen)");
}

TEST(HaproxyTime, UnitsAndDefault) {
  Directive d{"inter", {}, {"h.cfg", 3, 5}, {}};
  EXPECT_DOUBLE_EQ(haproxy_time(d, "2000").seconds, 2.0);
  EXPECT_DOUBLE_EQ(haproxy_time(d, "2s").seconds, 2.0);
  EXPECT_DOUBLE_EQ(haproxy_time(d, "1m").seconds, 60.0);
  EXPECT_DOUBLE_EQ(haproxy_time(d, "500us").seconds, 5e-4);
  EXPECT_EQ(error_of([&] { haproxy_time(d, "2x"); }),
            "h.cfg:3:5: inter: '2x' is not a haproxy time (a number with us, ms, s, m, h or d; ms without a unit)");
  EXPECT_EQ(error_of([&] { haproxy_time(d, "1e300d"); }), "h.cfg:3:5: inter: '1e300d' is longer than 100 years");
}

TEST(PgBouncer, KeysWithSectionsAndLines) {
  auto ds = parse_pgbouncer_ini(R"(;; PgBouncer configuration
[databases]
mail = host=10.0.0.20 port=5432 dbname=mail

[pgbouncer]
pool_mode = transaction
default_pool_size = 20
server_login_retry = 15
%include /etc/pgbouncer/extra.ini
)",
                                "pgbouncer.ini");
  ASSERT_EQ(ds.size(), 5u);
  EXPECT_EQ(ds[0].keyword, "mail");
  EXPECT_EQ(ds[0].context, std::vector<std::string>{"databases"});
  EXPECT_EQ(ds[1].keyword, "pool_mode");
  EXPECT_EQ(ds[1].args[0], "transaction");
  EXPECT_EQ(ds[1].mark.line, 6);
  EXPECT_EQ(ds[3].keyword, "server_login_retry");
  EXPECT_EQ(ds[3].mark.line, 8);
  EXPECT_EQ(ds[4].keyword, "%include");
  EXPECT_EQ(ds[4].mark.line, 9);
}

TEST(PgBouncer, MalformedLineNamesItsLine) {
  EXPECT_EQ(error_of([] { parse_pgbouncer_ini("[pgbouncer]\npool_mode transaction\n", "p.ini"); }),
            "p.ini:2:1: not a pgbouncer.ini line: expected [section] or key = value");
  EXPECT_NE(error_of([] { parse_pgbouncer_ini("[databases]\nx = " + std::string(300, 'a') + "\n", "p.ini"); })
                .find("p.ini:2:"),
            std::string::npos);
}

TEST(PostfixMainCf, ContinuationsCommentsAndTimeUnits) {
  auto ds = parse_postfix_main_cf(R"(# main.cf
queue_run_delay = 300s
minimal_backoff_time = 5m
maximal_queue_lifetime = 5
mynetworks = 127.0.0.0/8
    10.0.0.0/8   # not a comment here
)",
                                  "main.cf");
  ASSERT_EQ(ds.size(), 4u);
  EXPECT_DOUBLE_EQ(postfix_time(ds[0], 's').seconds, 300);
  EXPECT_DOUBLE_EQ(postfix_time(ds[1], 's').seconds, 300);
  EXPECT_DOUBLE_EQ(postfix_time(ds[2], 'd').seconds, 5 * 86400);  // maximal_queue_lifetime's unit is days
  EXPECT_EQ(ds[3].args[0], "127.0.0.0/8 10.0.0.0/8   # not a comment here");
  EXPECT_EQ(error_of([] { parse_postfix_main_cf("queue_run_delay 300s\n", "main.cf"); }),
            "main.cf:1:1: not a main.cf line: expected name = value");
  EXPECT_EQ(error_of([&] { postfix_time(ds[3], 's'); }),
            "main.cf:5:1: mynetworks: '127.0.0.0/8 10.0.0.0/8   # not a comment here' is not a Postfix time value (a "
            "number with s, m, h, d or w)");
}

TEST(NfsMount, FstabLineAndOptionString) {
  auto m = parse_nfs_mount("# mail store\nnfs-1:/export/mail /var/mail nfs4 rw,hard,timeo=600,retrans=2 0 0\n", "fstab");
  EXPECT_EQ(m.fs_type, "nfs4");
  ASSERT_EQ(m.options.size(), 4u);
  EXPECT_EQ(m.options[1].keyword, "hard");
  EXPECT_EQ(m.options[2].keyword, "timeo");
  EXPECT_DOUBLE_EQ(deciseconds(m.options[2], m.options[2].args[0]).seconds, 60.0);
  EXPECT_EQ(m.options[2].mark.col, 43);
  auto o = parse_nfs_mount("soft,timeo=100", "opts");
  EXPECT_EQ(o.options.size(), 2u);
  EXPECT_EQ(error_of([] { parse_nfs_mount("srv:/x /mnt ext4 rw 0 0\n", "fstab"); }),
            "fstab:1:13: file system type 'ext4' is not nfs or nfs4");
  EXPECT_EQ(error_of([] { parse_nfs_mount("hard,,timeo=600", "opts"); }), "opts:1:6: an empty mount option");
}

TEST(YamlConfig, PatroniYmlFlattensToDottedKeysAtTheirKeys) {
  auto ds = parse_yaml_config(R"(scope: mail
etcd3:
  hosts: [10.0.0.31:2379, 10.0.0.32:2379]
bootstrap:
  dcs:
    ttl: 30
    postgresql:
      use_pg_rewind: true
tags:
  - {nofailover: false}
)",
                              "patroni.yml");
  ASSERT_EQ(ds.size(), 5u);
  EXPECT_EQ(ds[0].keyword, "scope");
  EXPECT_EQ(ds[1].keyword, "etcd3.hosts");
  EXPECT_EQ(ds[1].args, (std::vector<std::string>{"10.0.0.31:2379", "10.0.0.32:2379"}));
  EXPECT_EQ(ds[2].keyword, "bootstrap.dcs.ttl");
  EXPECT_EQ(ds[2].args, std::vector<std::string>{"30"});
  EXPECT_EQ(ds[2].mark.line, 6);
  EXPECT_EQ(ds[2].mark.col, 5);
  EXPECT_EQ(ds[3].keyword, "bootstrap.dcs.postgresql.use_pg_rewind");
  EXPECT_EQ(ds[4].keyword, "tags[0].nofailover");
  EXPECT_EQ(error_of([] { parse_yaml_config("- a\n- b\n", "etcd.yml"); }),
            "etcd.yml:1:1: a YAML configuration file must be a map, not a list");
}
