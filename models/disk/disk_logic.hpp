#pragma once
// What the models' file operations ask of a disk (no SimGrid, no engine): each becomes a
// core::DiskOp that the node's metered disk (engine/disk.hpp) serves in FIFO order. Chosen
// over SimGrid Io activities because Maildir operations are small files whose cost is per
// operation (IOPS, flush), which SimGrid disks (bandwidth only) lack, and an Io is one
// max-min sharing variable per operation (docs/architecture.md, "Disks").
#include "core/disk_op.hpp"

namespace mailsim::models {

// Maildir operations (dovecot maildir: deliver = write tmp/ file, fsync, rename into new/;
// flag change = rename; fetch = open + read; list = readdir).
enum class MaildirOp { kDeliver, kFetch, kFlag, kList };

inline core::DiskOp maildir_op(MaildirOp op, double bytes) {
  switch (op) {
    case MaildirOp::kDeliver: return {.writes = 2, .write_bytes = bytes, .fsyncs = 1};
    case MaildirOp::kFetch: return {.reads = 1, .read_bytes = bytes};
    case MaildirOp::kFlag: return {.writes = 1};
    case MaildirOp::kList: return {.reads = 1};
  }
  return {};
}

// A durable append to a log (PostgreSQL's WAL at commit, a Raft log entry): one write of
// `bytes`, then a flush (PostgreSQL wal_sync_method fdatasync; Pebble's WAL sync in
// CockroachDB).
inline core::DiskOp log_append_op(double bytes) { return {.writes = 1, .write_bytes = bytes, .fsyncs = 1}; }

// Ingesting a received snapshot (CockroachDB: the snapshot's SSTs written to the store, synced,
// then ingested into Pebble): on the device the same as a log append, its bytes written
// sequentially, then a flush.
inline core::DiskOp sst_ingest_op(double bytes) { return log_append_op(bytes); }

}  // namespace mailsim::models
