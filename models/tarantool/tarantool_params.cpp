#include "models/tarantool/tarantool_params.hpp"

namespace mailsim::models {

using P = TarantoolParams;
using config::param;
using config::range;

namespace {
constexpr const char* kCartridgeDefaults =
    "Tarantool Cartridge cartridge/topology.lua get_failover_params (defaults) and its failover docs "
    "(cartridge_failover_params in tarantool/ansible-cartridge doc/failover.md)";
}

const config::ParamTable<P>& tarantool_params() {
  static const config::ParamTable<P> table(
      "tarantool",
      {
          param(&P::state_provider, "state_provider", "", "component",
                "the etcd component that stores the leader appointments and the coordinator's lock "
                "(required)",
                "Cartridge stateful failover, state_provider etcd2 (its other provider, the stateboard, "
                "is one Tarantool instance)"),
          param(&P::coordinator_node, "coordinator_node", "", "node",
                "the node the failover-coordinator role runs on (required); its membership probes "
                "leave from there",
                "mailsim: the failover-coordinator is a role of a Cartridge instance; where it runs is "
                "the deployment's choice"),
          param(&P::protocol_period, "protocol_period", "1s", "duration",
                "SWIM protocol period: the coordinator's membership pings each instance once per period",
                "tarantool/membership membership/options.lua: PROTOCOL_PERIOD_SECONDS = 1",
                range("100ms", "1h")),
          param(&P::ack_timeout, "ack_timeout", "200ms", "duration",
                "a direct ping unanswered within this time is retried through the other members "
                "(indirect pings); no ack within a second ack_timeout makes the member suspect",
                "tarantool/membership membership/options.lua: ACK_TIMEOUT_SECONDS = 0.2; membership.lua protocol_step waits it for the direct and for the indirect acks",
                range("1ms", "1h")),
          param(&P::failover_timeout, "failover_timeout", "20s", "duration",
                "membership marks a suspect member dead after this long; only a dead leader is "
                "replaced (the coordinator counts suspect members as healthy)",
                kCartridgeDefaults, range("1s", "1h")),
          param(&P::immunity_timeout, "immunity_timeout", "15s", "duration",
                "a leader the coordinator appointed (or found appointed when it took control) is not "
                "replaced for this long",
                "Tarantool Cartridge cartridge/roles/coordinator.lua: IMMUNITY_TIMEOUT = 15",
                range("0s", "1h")),
          param(&P::call_timeout, "call_timeout", "1s", "duration",
                "timeout of the coordinator's and the instances' calls to the state provider",
                "Tarantool Cartridge coordinator.lua and failover.lua: NETBOX_CALL_TIMEOUT = 1",
                range("1ms", "1h")),
          param(&P::reconnect_period, "reconnect_period", "5s", "duration",
                "after a failed call to the state provider the coordinator drops control and tries "
                "again this much later",
                "Tarantool Cartridge cartridge/roles/coordinator.lua: RECONNECT_PERIOD = 5",
                range("0s", "1h")),
          param(&P::lock_delay, "lock_delay", "10s", "duration",
                "TTL of the coordinator's lock in the state provider, renewed every lock_delay / 2: a "
                "coordinator that restarts takes control only once its old lock expired",
                kCartridgeDefaults, range("1s", "1h")),
          param(&P::longpoll_timeout, "longpoll_timeout", "30s", "duration",
                "an instance's longpoll of the appointments returns at a change or after this long, "
                "and is issued again",
                "Tarantool Cartridge cartridge/failover.lua: LONGPOLL_TIMEOUT = 30", range("1s", "1h")),
          param(&P::longpoll_reconnect, "longpoll_reconnect", "1s", "duration",
                "an instance whose longpoll failed asks the state provider again after this long",
                "Tarantool Cartridge cartridge/failover.lua: the state provider connection's "
                "reconnect_after = 1.0",
                range("1ms", "1h")),
          param(&P::fencing_enabled, "fencing_enabled", "false", "bool",
                "a leader that cannot reach the state provider and one of its replicas for "
                "fencing_timeout goes read-only",
                kCartridgeDefaults),
          param(&P::fencing_timeout, "fencing_timeout", "10s", "duration",
                "fencing: how long the checks must fail before the leader steps down", kCartridgeDefaults,
                range("1s", "1h")),
          param(&P::fencing_pause, "fencing_pause", "2s", "duration", "fencing: the period of the checks",
                kCartridgeDefaults, range("100ms", "1h")),
          param(&P::probe_bytes, "probe_bytes", "512B", "size",
                "size of one membership ping or ack, and of one fencing probe of a replica",
                "assumption: one small UDP datagram (membership packs its events into at most 1472 B)",
                range("1B", "64KiB")),
      });
  return table;
}

const NameTable<TarantoolOp>& tarantool_ops() {
  static const NameTable<TarantoolOp> ops{
      {TarantoolOp::kRead, "read"}, {TarantoolOp::kWrite, "write"}, {TarantoolOp::kQuery, "query"}};
  return ops;
}

const NameTable<TarantoolRole>& tarantool_roles() {
  static const NameTable<TarantoolRole> roles{{TarantoolRole::kLeader, "leader"},
                                              {TarantoolRole::kReplica, "replica"}};
  return roles;
}

}  // namespace mailsim::models
