#pragma once
// Params of a pgbouncer component: PgBouncer on each of its nodes, pooling server
// connections to a patroni_postgres component (`database`).
#include <string>

#include "config/params.hpp"
#include "models/common/names.hpp"
#include "models/pgbouncer/pgbouncer_logic.hpp"
#include "models/vip_balancer/haproxy_check_logic.hpp"

namespace mailsim::models {

struct PgBouncerParams {
  std::string database;
  std::string target;
  std::string pool_mode;
  int default_pool_size = 0;
  int max_client_conn = 0;
  core::Duration server_connect_timeout, server_login_retry, query_wait_timeout, query_timeout;
  core::Duration server_check_delay;
  bool server_check_query = true;
  core::Duration leader_check_inter;
  int leader_check_rise = 0, leader_check_fall = 0;
  core::Duration leader_timeout_connect, leader_timeout_check;
  core::Duration session_hold;
  int listen_port = 0;
};

const config::ParamTable<PgBouncerParams>& pgbouncer_params();

// Steps name no op (a proxy in front of its database step). Role a fault can target:
// any_role() (the first running instance).

PgBouncerPoolConfig pool_config(const PgBouncerParams& p);
// target leader: the local haproxy's check of each Patroni (fastinter, downinter = inter).
CheckConfig leader_check_config(const PgBouncerParams& p);

}  // namespace mailsim::models
