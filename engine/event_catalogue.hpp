#pragma once
// The event catalogue: every kind of event a run's timeline can hold, declared once here
// with its fields, its meaning for consumers and who emits it. Models and the engine emit
// by kind (EventLog::emit checks the fields against the declaration: an undeclared field,
// a missing required one or a wrong type is an internal error); the app (failover pairing,
// the durability ledger), checks/ (invariants) and reports/ (fault shading, role lanes)
// read events through it, never by matching names or suffixes. `mailsim describe MODEL`
// lists a model's events from here, and docs/architecture.md shows the table (checked by
// a test).
//
// Events are state changes only (a VIP moved, a leader was elected, a node crashed), never
// per-request events, so a timeline stays small.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace mailsim::engine {

// In the catalogue's order (event_catalogue() lists them in this order; a test pins it).
enum class EventKind : uint8_t {
  // Faults, applied by the fault injector, and their ends.
  kNodeCrashed,
  kNodeRestarted,
  kComponentStopped,
  kComponentStarted,
  kPartitionStarted,
  kPartitionHealed,
  kDiskSlowed,
  kDiskRestored,
  kLinkDegraded,
  kLinkRestored,
  kFaultSkipped,
  // Failovers and the durability ledger.
  kFailoverStarted,
  kFailoverCompleted,
  kMailLost,
  // Roles and their mechanisms: the VIP, Raft leadership, the writable primary, leases,
  // the serving store.
  kVipAcquired,
  kVipReleased,
  kVipArpRefreshed,
  kVipArpReresolved,
  kRaftLeaderElected,
  kRaftLeaderSteppedDown,
  kPgWritable,
  kPgReadOnly,
  kPgPromoted,
  kPgDemoted,
  kPgRewound,
  kPgResyncStarted,
  kPgSyncStandby,
  kPgReplicationLag,
  kCrdbLeaseAcquired,
  kCrdbRangeUnavailable,
  kCrdbRangeAvailable,
  kCrdbLivenessEpochIncremented,
  kCrdbCircuitBreakerTripped,
  kCrdbStoreDead,
  kCrdbSnapshotApplied,
  kStoreServing,
  kStoreNotServing,
  // Health and state of the mechanisms.
  kBackendDown,
  kBackendUp,
  kPoolExhausted,
  kPoolRecovered,
  kPatroniRace,
  kPatroniNotHealthiest,
  kPatroniLockAcquired,
  kPatroniDcsUnreachable,
  kPatroniFailsafeActive,
  kEtcdLeaseRevoked,
  kPgBouncerLoginFailed,
  kPgBouncerLoginOk,
  kPgBouncerServersClosed,
  kPgBouncerCrashed,
  kPgBouncerStopped,
  kPgBouncerCheckFailed,
  kStoragePairReadWrite,
  kStoragePairReadOnly,
  kStoragePairUnavailable,
  kStorageResyncStarted,
  kStorageResyncCompleted,
  kStorageCopyUnreachable,
  kStorageCopyReachable,
  kNfsNotResponding,
  kNfsOk,
  kNfsGraceStarted,
  kNfsGraceEnded,
  kNfsTakeoverStarted,
  kNfsSyncCompleted,
  kNfsSyncFailed,
  kCacheTko,
  kCacheTkoEnded,
  kCacheServerSkipped,
  kOrchestratorAnalysis,
  kOrchestratorRecovery,
  kMembershipStatus,
  kTarantoolRole,
  kSwitchoverRequested,
  kCount
};

// What an event means to the consumers that handle kinds generically.
enum class EventClass : uint8_t {
  kFault,              // a fault began; `ends` names the kind that ends it (reports shade it)
  kFaultEnd,           // a fault ended
  kRoleTaken,          // an instance took a role (reports draw it on the component's lane)
  kRoleLost,           // an instance lost a role
  kFailoverStarted,    // the role holder was lost (app pairs it with the completion)
  kFailoverCompleted,  // another instance took the role
  kLedger,             // acknowledged data lost at a failover (a timeline marker; engine/durability_ledger counts)
  kState,              // any other state change, shown on the timeline
};

// kNumber takes any JSON number; kInteger only integers; kTextList an array of strings;
// kList any array (a partition's groups: arrays of node names).
enum class FieldType : uint8_t { kText, kNumber, kInteger, kBool, kTextList, kList };

struct FieldSpec {
  std::string_view name;
  FieldType type;
  bool required = true;
};

struct EventSpec {
  EventKind kind;
  std::string_view name;  // as in the run result's `events[].kind`
  EventClass cls;
  std::vector<FieldSpec> fields;
  std::string_view doc;
  std::vector<std::string_view> emitted_by;  // model names, or "engine" (the fault injector)
  // kFault: the kind that ends it, the fields that identify the faulted thing (the end
  // event carries the same fields), and the word reports label its window with.
  EventKind ends = EventKind::kCount;
  std::vector<std::string_view> scope = {};
  std::string_view label = {};
  // kFault: the faulted node loses every role it held (a power-off, not a slow disk).
  bool drops_roles = false;
  // kRoleTaken / kRoleLost: the role in words ("VIP", "leader", ...), the field naming the
  // instance's node, the field naming the group within the component (a Raft group, a
  // range), "" when the component holds one role, and, for a role taken from another
  // instance by the same event (a lease transfer), the field naming the previous holder.
  std::string_view role = {};
  std::string_view holder = {};
  std::string_view group = {};
  std::string_view previous = {};
};

const std::vector<EventSpec>& event_catalogue();
const EventSpec& event_spec(EventKind kind);
std::string_view event_name(EventKind kind);
const EventSpec* find_event(std::string_view name);  // nullptr when no kind has the name
std::string_view class_name(EventClass cls);         // "fault", "role taken", ...
std::string_view field_type_name(FieldType type);    // "text", "number", ...

// Throws core::InternalError when `fields` is not an object, names a field the kind does
// not declare, lacks a required one or holds a value of the wrong type.
void check_event_fields(const EventSpec& spec, const nlohmann::json& fields);

}  // namespace mailsim::engine
