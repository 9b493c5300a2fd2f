#pragma once
// Params of a mail_node component: the mail daemons (postfix, dovecot, webmail) on each of
// its nodes, each operation with its own worker pool. CPU demands come from the services'
// steps (topology), not from here.
#include <map>
#include <string>

#include "config/params.hpp"
#include "config/sender_params.hpp"
#include "models/common/names.hpp"

namespace mailsim::models {

struct MailNodeParams {
  int workers = 0;
  std::map<std::string, int> op_workers;
  int backlog = 0;
  bool local_maildir = true;   // `deliver` writes into a Maildir on this node's first disk
  config::SenderParams queue;  // postfix's deferred queue (main.cf): its delivery into the store
};

const config::ParamTable<MailNodeParams>& mail_node_params();

// The operations a step may name; each has its own worker pool on every instance, in this
// order (the enum's value is the pool's index). `op_workers` keys are these names.
enum class MailOp { kSmtp, kDeliver, kImap, kPop3, kHttps, kCaldav };
const NameTable<MailOp>& mail_node_ops();
// Role a fault can target: any_role() (the first running instance).

}  // namespace mailsim::models
