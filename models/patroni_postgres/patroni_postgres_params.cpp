#include "models/patroni_postgres/patroni_postgres_params.hpp"

namespace mailsim::models {

using P = PatroniPostgresParams;
using config::param;
using config::range;

const config::ParamTable<P>& patroni_postgres_params() {
  static const config::ParamTable<P> table(
      "patroni_postgres",
      {
          param(&P::dcs, "dcs", "", "component", "the etcd component holding the leader key (required)", "mailsim"),
          param(&P::ttl, "ttl", "30s", "duration", "TTL of the leader key's lease: time before automatic failover starts",
                "Patroni docs, dynamic_configuration.rst: ttl, default 30",
                range("20s", "1d").because("Patroni's minimum 20 s, dynamic_configuration.rst")),
          param(&P::loop_wait, "loop_wait", "10s", "duration", "sleep between two HA cycles (a watch on the leader key wakes replicas early)",
                "Patroni docs, dynamic_configuration.rst: loop_wait, default 10",
                range("1s", "1h").because("Patroni's minimum 1 s")),
          param(&P::retry_timeout, "retry_timeout", "10s", "duration",
                "DCS and PostgreSQL retries; a primary that cannot update the leader key for this long demotes",
                "Patroni docs, dynamic_configuration.rst: retry_timeout, default 10; rule loop_wait + 2*retry_timeout <= ttl",
                range("3s", "1h").because("Patroni's minimum 3 s")),
          param(&P::maximum_lag_on_failover, "maximum_lag_on_failover", "1MiB", "size",
                "a replica further behind the leader's last published WAL position does not race",
                "Patroni docs, dynamic_configuration.rst / patroni/config.py: maximum_lag_on_failover 1048576",
                range("0B", "1TiB")),
          param(&P::failsafe_mode, "failsafe_mode", "false", "bool",
                "without the DCS, the primary keeps running if every member answers POST /failsafe",
                "Patroni docs, dcs_failsafe_mode.rst: failsafe_mode, off by default"),
          param(&P::synchronous_mode, "synchronous_mode", "false", "bool",
                "commits wait for one synchronous standby; only it may be promoted",
                "Patroni docs, replication_modes.rst: synchronous_mode, default off"),
          param(&P::synchronous_mode_strict, "synchronous_mode_strict", "false", "bool",
                "with no standby available, writes block instead of falling back to asynchronous",
                "Patroni docs, replication_modes.rst: synchronous_mode_strict, default off"),
          param(&P::use_pg_rewind, "use_pg_rewind", "false", "bool",
                "a returning primary whose timeline diverged is rewound (pg_rewind) instead of re-initialised "
                "with pg_basebackup",
                "Patroni docs, yaml_configuration.rst: postgresql.use_pg_rewind, default false"),
          param(&P::data_size, "data_size", "10GiB", "size",
                "the PostgreSQL data directory a pg_basebackup copies to re-initialise a node",
                "ASSUMPTION: settings, address book and calendars of a few thousand users; set yours "
                "(pg_database_size)",
                range("0B", "1PiB")),
          param(&P::disk_write_rate, "disk_write_rate", "500MB/s", "bandwidth",
                "sequential write rate of a base backup on a node; also of a replica's streamed WAL on a node "
                "that declares no disks (with disks, the node's first disk writes and fsyncs it)",
                "ASSUMPTION: a SATA SSD's sequential writes",
                range("1KB/s", "1000GB/s")),
          param(&P::wal_per_write, "wal_per_write", "8KiB", "size",
                "WAL written per committed write transaction and streamed to each replica (the WAL rate is "
                "writes/s x this)",
                "PostgreSQL docs, runtime-config-wal full_page_writes (on by default): the first change of a page "
                "after a checkpoint writes the whole 8 kB page to WAL; ASSUMPTION: one such page per small "
                "transaction",
                range("0B", "1GiB")),
          param(&P::wal_replay_rate, "wal_replay_rate", "100MB/s", "bandwidth",
                "rate at which a replica's startup process replays flushed WAL (a promotion first replays "
                "everything received)",
                "ASSUMPTION: PostgreSQL replays WAL in one process (docs, wal-configuration / hot-standby); "
                "tens to hundreds of MB/s on SSDs; measure yours (pg_stat_replication replay_lag)",
                range("1KB/s", "1000GB/s")),
          param(&P::wal_receiver_status_interval, "wal_receiver_status_interval", "10s", "duration",
                "how often a replica reports its position to the primary when idle",
                "PostgreSQL docs, runtime-config-replication: wal_receiver_status_interval, default 10s",
                range("1s", "2147483s").zero_means("status updates disabled; a replica still answers the walsender's keepalive, sent at wal_sender_timeout / 2").because("PostgreSQL: whole seconds up to INT_MAX / 1000")),
          param(&P::wal_sender_timeout, "wal_sender_timeout", "60s", "duration",
                "the primary considers a silent replica disconnected after this (sync standby choice)",
                "PostgreSQL docs, runtime-config-replication: wal_sender_timeout, default 60s",
                range("1ms", "2147483647ms").zero_means("disabled: a silent replica is never dropped").because("PostgreSQL: milliseconds up to INT_MAX")),
          param(&P::client_connect_timeout, "client_connect_timeout", "0s", "duration, 0s = the kernel's 127 s",
                "a client without a balancer (libpq host list): how long it waits for each host before the next",
                "PostgreSQL docs, libpq-connect: connect_timeout, default 0 (wait indefinitely: Linux tcp_syn_retries 6)",
                range("2s", "1d").zero_means("the kernel's 127 s: tcp_syn_retries 6").because("libpq: connect_timeout below 2 s is taken as 2 s")),
          param(&P::failsafe_timeout, "failsafe_timeout", "2s", "duration",
                "how long the primary waits for the other members' answers to POST /failsafe",
                "ASSUMPTION: Patroni posts /failsafe to each member with a short REST timeout",
                range("1ms", "1h")),
      });
  return table;
}

const NameTable<PatroniRole>& patroni_postgres_roles() {
  static const NameTable<PatroniRole> roles{{PatroniRole::kPrimary, "primary"}, {PatroniRole::kReplica, "replica"}};
  return roles;
}

PatroniConfig patroni_config(const PatroniPostgresParams& p) {
  PatroniConfig c;
  c.ttl = p.ttl.seconds;
  c.loop_wait = p.loop_wait.seconds;
  c.retry_timeout = p.retry_timeout.seconds;
  c.maximum_lag_on_failover = p.maximum_lag_on_failover.bytes;
  c.synchronous_mode = p.synchronous_mode;
  c.synchronous_mode_strict = p.synchronous_mode_strict;
  c.failsafe_mode = p.failsafe_mode;
  return c;
}

}  // namespace mailsim::models
