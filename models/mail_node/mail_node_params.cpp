#include "models/mail_node/mail_node_params.hpp"

namespace mailsim::models {

using P = MailNodeParams;
using config::param;
using config::range;

const config::ParamTable<P>& mail_node_params() {
  static const config::ParamTable<P> table(
      "mail_node",
      config::join<P>({
          {
              param(&P::workers, "workers", "100", "processes",
                    "concurrent requests per operation and node; more wait in the backlog",
                    "postconf(5): default_process_limit = 100; dovecot default_process_limit = 100",
                    range("1", "1000000")),
              param(
                  &P::op_workers, "op_workers", "{}", "map op -> processes",
                  "per-operation override of `workers`, e.g. {imap: 500}; keys are the model's ops",
                  "mailsim", range("1", "1000000")),
              param(&P::backlog, "backlog", "4096", "requests",
                    "requests waiting for a worker per operation and node; beyond it new ones are "
                    "refused",
                    "Linux net.core.somaxconn default 4096 since 5.4 "
                    "(Documentation/networking/ip-sysctl.rst)",
                    range("0", "1000000")),
              param(&P::local_maildir, "local_maildir", "true", "bool",
                    "on a node with disks, `deliver` writes the message into a Maildir on the "
                    "node's first disk (2 writes + 1 fsync); false when the mailbox lives "
                    "elsewhere (an nfs component, a store, a database): the node's disk then "
                    "holds only Postfix's queue file, written by `smtp`",
                    "Postfix local(8) and dovecot-lda deliver into ~/Maildir on the node itself; "
                    "after a delivery elsewhere Postfix only unlinks the queue file (no fsync)"),
          },
          // postfix's deferred queue of the mail this node accepted and delivers (a
          // service's `delivery:` steps): config/sender_params.cpp.
          config::fragment(&P::queue, config::sender_param_fields()),
      }));
  return table;
}

const NameTable<MailOp>& mail_node_ops() {
  // postfix smtpd (smtp), delivery into the mailbox by LMTP or the local agent (deliver),
  // dovecot (imap, pop3), the webmail front end (https) and CalDAV (caldav).
  static const NameTable<MailOp> ops{{MailOp::kSmtp, "smtp"},   {MailOp::kDeliver, "deliver"},
                                     {MailOp::kImap, "imap"},   {MailOp::kPop3, "pop3"},
                                     {MailOp::kHttps, "https"}, {MailOp::kCaldav, "caldav"}};
  return ops;
}

}  // namespace mailsim::models
