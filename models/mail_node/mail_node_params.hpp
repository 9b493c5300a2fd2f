#pragma once
// Params of a mail_node component: the mail daemons (postfix, dovecot, webmail) on each of
// its nodes, each operation with its own worker pool. CPU demands come from the services'
// steps (topology), not from here.
#include <map>
#include <string>

#include "config/params.hpp"

namespace mailsim::models {

struct MailNodeParams {
  int workers = 0;
  std::map<std::string, int> op_workers;
  int backlog = 0;
};

const config::ParamTable<MailNodeParams>& mail_node_params();

}  // namespace mailsim::models
