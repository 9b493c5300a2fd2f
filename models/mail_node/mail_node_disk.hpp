#pragma once
// What a mail_node operation writes on its node's disk, for the model and for the capacity
// model's operational laws alike (docs/models/mail_node.md, "Disk only where the node
// declares one").
#include "core/disk_op.hpp"
#include "models/disk/disk_logic.hpp"
#include "models/mail_node/mail_node_params.hpp"

namespace mailsim::models {

// smtp: Postfix's queue file (1 write + fsync before the 250); deliver: a local Maildir
// delivery unless the mailbox is elsewhere (local_maildir: false); other ops read from the
// page cache or only compute: nothing.
inline core::DiskOp mail_node_disk_op(MailOp op, double bytes, bool local_maildir) {
  if (op == MailOp::kSmtp) return log_append_op(bytes);
  if (op == MailOp::kDeliver && local_maildir) return maildir_op(MaildirOp::kDeliver, bytes);
  return {};
}

}  // namespace mailsim::models
