#pragma once
// What a client sees of one request.
#include <cstdint>

namespace mailsim::engine {

enum class Outcome : uint8_t {
  kOk,
  kTimeout,         // no answer within the client timeout (lost on the way, stalled, dead VIP)
  kNoBackend,       // haproxy 503: no server up
  kConnectFailed,   // haproxy 503: connect retries exhausted
  kRefused,         // connection refused: the service is stopped on a live host
  kBackendDown,     // haproxy cut the session: server marked down (on-marked-down shutdown-sessions)
  kServerTimeout,   // haproxy 504: timeout server while the backend was silent
  kOverload,        // the server's backlog was full
  kReadOnly,        // a write reached a server that cannot take writes (a PostgreSQL replica)
  kIoError,         // the storage layer answered an error: soft NFS mount EIO, no writable storage pair
  kUnavailable,     // the called service had no instance able to serve (no active, no quorum)
  kCount
};

inline const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::kOk: return "ok";
    case Outcome::kTimeout: return "timeout";
    case Outcome::kNoBackend: return "no_backend";
    case Outcome::kConnectFailed: return "connect_failed";
    case Outcome::kRefused: return "refused";
    case Outcome::kBackendDown: return "backend_down";
    case Outcome::kServerTimeout: return "server_timeout";
    case Outcome::kOverload: return "overload";
    case Outcome::kReadOnly: return "read_only";
    case Outcome::kIoError: return "io_error";
    case Outcome::kUnavailable: return "unavailable";
    case Outcome::kCount: break;
  }
  return "?";
}

}  // namespace mailsim::engine
