#pragma once
// Params of a patroni_postgres component: PostgreSQL + Patroni on each of its nodes, the
// leader key in an etcd component (`dcs`).
#include <limits>
#include <string>

#include "config/params.hpp"
#include "models/common/names.hpp"
#include "models/patroni_postgres/patroni_postgres_logic.hpp"

namespace mailsim::models {

struct PatroniPostgresParams {
  std::string dcs;
  core::Duration ttl, loop_wait, retry_timeout;
  core::Bytes maximum_lag_on_failover;
  bool failsafe_mode = false;
  bool synchronous_mode = false;
  bool synchronous_mode_strict = false;
  bool use_pg_rewind = false;
  core::Bytes data_size;
  core::Bandwidth disk_write_rate;
  core::Bytes wal_per_write;
  core::Bandwidth wal_replay_rate;
  core::Duration wal_receiver_status_interval, wal_sender_timeout;
  core::Duration failsafe_timeout;
  core::Duration client_connect_timeout;

  // How often a replica reports its position. 0 disables the periodic status updates, but
  // the walsender still asks for a reply when half of wal_sender_timeout has passed in
  // silence (PostgreSQL walsender.c, WalSndKeepaliveIfNecessary); both 0: never (0 here).
  double status_interval() const {
    if (wal_receiver_status_interval.seconds > 0) return wal_receiver_status_interval.seconds;
    return wal_sender_timeout.seconds / 2;
  }
  // A replica silent this long is taken as disconnected; 0 disables the timeout.
  double sender_timeout() const {
    return wal_sender_timeout.seconds > 0 ? wal_sender_timeout.seconds : std::numeric_limits<double>::infinity();
  }
};

const config::ParamTable<PatroniPostgresParams>& patroni_postgres_params();

// Steps name read or write (data_ops()): a write needs the writable primary. Roles a
// fault can target: the writable primary, a streaming replica.
enum class PatroniRole { kPrimary, kReplica };
const NameTable<PatroniRole>& patroni_postgres_roles();

PatroniConfig patroni_config(const PatroniPostgresParams& p);

}  // namespace mailsim::models
