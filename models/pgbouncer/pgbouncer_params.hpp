#pragma once
// Params of a pgbouncer component: PgBouncer on each of its nodes, pooling server
// connections to a patroni_postgres component (`database`).
#include <string>

#include "config/params.hpp"

namespace mailsim::models {

struct PgBouncerParams {
  std::string database;
  std::string target;
  std::string pool_mode;
  int default_pool_size = 0;
  int max_client_conn = 0;
  core::Duration server_connect_timeout, server_login_retry, query_wait_timeout, query_timeout;
  core::Duration server_check_delay;
  core::Duration session_hold;
  int listen_port = 0;
};

const config::ParamTable<PgBouncerParams>& pgbouncer_params();

}  // namespace mailsim::models
