#pragma once
// Params of a patroni_postgres component: PostgreSQL + Patroni on each of its nodes, the
// leader key in an etcd component (`dcs`).
#include <string>

#include "config/params.hpp"

namespace mailsim::models {

struct PatroniPostgresParams {
  std::string dcs;
  core::Duration ttl, loop_wait, retry_timeout;
  core::Bytes maximum_lag_on_failover;
  bool failsafe_mode = false;
  bool synchronous_mode = false;
  bool synchronous_mode_strict = false;
  core::Duration promote_time, rewind_time;
  core::Bytes wal_per_write;
  core::Duration apply_lag;
  core::Duration wal_receiver_status_interval, wal_sender_timeout;
  core::Duration failsafe_timeout;
};

const config::ParamTable<PatroniPostgresParams>& patroni_postgres_params();

}  // namespace mailsim::models
