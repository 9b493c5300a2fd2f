// The event catalogue's rules: emit() refuses fields the kind does not declare, and every
// declaration carries what its consumers need (a doc, an emitter, a fault's end, a role's
// holder field).
#include "engine/event_catalogue.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/error.hpp"
#include "engine/event_log.hpp"

namespace mailsim::engine {
namespace {

using nlohmann::json;

bool declares(const EventSpec& s, std::string_view field) {
  for (const auto& f : s.fields)
    if (f.name == field) return true;
  return false;
}

TEST(EventLog, EmitWithAnUndeclaredFieldThrows) {
  EventLog log;
  EXPECT_THROW(log.emit(1, EventKind::kVipAcquired,
                        {{"component", "lb"}, {"node", "lb-1"}, {"priority", 100}}),
               core::InternalError);
  EXPECT_TRUE(log.events().empty());
}

TEST(EventLog, EmitWithoutARequiredFieldThrows) {
  EventLog log;
  EXPECT_THROW(log.emit(1, EventKind::kVipAcquired, {{"component", "lb"}}), core::InternalError);
}

TEST(EventLog, EmitWithAFieldOfTheWrongTypeThrows) {
  EventLog log;
  EXPECT_THROW(log.emit(1, EventKind::kVipAcquired, {{"component", "lb"}, {"node", 3}}),
               core::InternalError);
  // An integer field refuses a fraction; a number field takes an integer.
  EXPECT_THROW(
      log.emit(1, EventKind::kMailLost, {{"component", "s"}, {"service", "smtp"}, {"count", 1.5}}),
      core::InternalError);
  EXPECT_NO_THROW(log.emit(1, EventKind::kDiskSlowed, {{"node", "n"}, {"factor", 4}}));
  // A text list refuses a list holding a number.
  EXPECT_THROW(
      log.emit(
          1, EventKind::kEtcdLeaseRevoked,
          {{"component", "etcd"}, {"node", "e1"}, {"lease", 7}, {"keys", json::array({"/a", 2})}}),
      core::InternalError);
}

TEST(EventLog, FieldsThatAreNotAnObjectThrow) {
  EventLog log;
  EXPECT_THROW(log.emit(1, EventKind::kNodeRestarted, json::array({"n"})), core::InternalError);
}

TEST(EventLog, AnOptionalFieldMayBeLeftOut) {
  EventLog log;
  log.emit(2, EventKind::kFailoverCompleted,
           {{"component", "pg"}, {"from", "pg-1"}, {"to", "pg-2"}});
  log.emit(3, EventKind::kFailoverCompleted,
           {{"component", "pg"}, {"from", "pg-2"}, {"to", "pg-3"}, {"lost_commits", 4}});
  EXPECT_EQ(log.events().size(), 2u);
}

TEST(EventLog, ToJsonWritesTheCatalogueNameAndTheFields) {
  EventLog log;
  log.emit(1.5, EventKind::kDiskSlowed, {{"node", "n1"}, {"factor", 4.0}});
  const json j = log.to_json();
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0].at("kind"), "disk.slowed");
  EXPECT_EQ(j[0].at("t_s"), 1.5);
  EXPECT_EQ(j[0].at("node"), "n1");
}

TEST(EventLog, TheCapDropsButStillChecks) {
  EventLog log(1);
  log.emit(1, EventKind::kNodeRestarted, {{"node", "a"}});
  log.emit(2, EventKind::kNodeRestarted, {{"node", "b"}});
  EXPECT_EQ(log.events().size(), 1u);
  EXPECT_EQ(log.dropped(), 1u);
  EXPECT_THROW(log.emit(3, EventKind::kNodeRestarted, {{"nod", "c"}}), core::InternalError);
}

TEST(EventCatalogue, ListsEveryKindOnceInEnumOrderWithAUniqueName) {
  const auto& c = event_catalogue();
  ASSERT_EQ(c.size(), static_cast<size_t>(EventKind::kCount));
  std::set<std::string_view> names;
  for (size_t i = 0; i < c.size(); ++i) {
    EXPECT_EQ(static_cast<size_t>(c[i].kind), i);
    EXPECT_TRUE(names.insert(c[i].name).second) << c[i].name;
    ASSERT_NE(find_event(c[i].name), nullptr);
    EXPECT_EQ(find_event(c[i].name)->kind, c[i].kind);
    EXPECT_EQ(event_name(c[i].kind), c[i].name);
  }
  EXPECT_EQ(find_event("vip.acquire"), nullptr);
}

TEST(EventCatalogue, EveryKindHasADocAnEmitterAndDottedLowercaseName) {
  for (const auto& s : event_catalogue()) {
    EXPECT_FALSE(s.doc.empty()) << s.name;
    EXPECT_FALSE(s.emitted_by.empty()) << s.name;
    EXPECT_NE(s.name.find('.'), std::string_view::npos) << s.name;
    for (char ch : s.name)
      EXPECT_TRUE((ch >= 'a' && ch <= 'z') || ch == '.' || ch == '_') << s.name;
    std::set<std::string_view> fields;
    for (const auto& f : s.fields)
      EXPECT_TRUE(fields.insert(f.name).second) << s.name << ": " << f.name;
  }
}

TEST(EventCatalogue, EveryFaultNamesItsEndWhichCarriesTheFaultsScope) {
  for (const auto& s : event_catalogue()) {
    if (s.cls != EventClass::kFault) {
      EXPECT_EQ(s.ends, EventKind::kCount) << s.name << ": only a fault has an end";
      EXPECT_TRUE(s.label.empty() && s.scope.empty() && !s.drops_roles) << s.name;
      continue;
    }
    ASSERT_NE(s.ends, EventKind::kCount) << s.name;
    const EventSpec& end = event_spec(s.ends);
    EXPECT_EQ(end.cls, EventClass::kFaultEnd) << s.name;
    EXPECT_FALSE(s.scope.empty()) << s.name;
    EXPECT_FALSE(s.label.empty()) << s.name;
    for (auto f : s.scope) {
      EXPECT_TRUE(declares(s, f)) << s.name << ": scope field " << f;
      EXPECT_TRUE(declares(end, f)) << end.name << " lacks " << f;
    }
  }
}

TEST(EventCatalogue, EveryFaultEndEndsExactlyOneFault) {
  for (const auto& s : event_catalogue()) {
    if (s.cls != EventClass::kFaultEnd) continue;
    int n = 0;
    for (const auto& f : event_catalogue()) n += f.ends == s.kind;
    EXPECT_EQ(n, 1) << s.name;
  }
}

TEST(EventCatalogue, EveryRoleKindNamesItsRoleAndADeclaredTextHolder) {
  for (const auto& s : event_catalogue()) {
    const bool role = s.cls == EventClass::kRoleTaken || s.cls == EventClass::kRoleLost;
    if (!role) {
      EXPECT_TRUE(s.role.empty() && s.holder.empty() && s.group.empty() && s.previous.empty())
          << s.name;
      continue;
    }
    EXPECT_FALSE(s.role.empty()) << s.name;
    EXPECT_TRUE(declares(s, "component")) << s.name;
    EXPECT_TRUE(declares(s, s.holder)) << s.name;
    if (!s.group.empty()) EXPECT_TRUE(declares(s, s.group)) << s.name;
    if (!s.previous.empty()) EXPECT_TRUE(declares(s, s.previous)) << s.name;
  }
}

TEST(EventCatalogue, EveryRoleTakenHasAKindThatLosesTheSameRole) {
  for (const auto& s : event_catalogue()) {
    if (s.cls != EventClass::kRoleTaken) continue;
    bool lost = !s.previous.empty();  // taken from the previous holder by the same event
    for (const auto& l : event_catalogue())
      lost = lost || (l.cls == EventClass::kRoleLost && l.role == s.role);
    EXPECT_TRUE(lost) << s.name;
  }
}

TEST(EventCatalogue, FailoverAndLedgerKindsCarryWhatThePairingAndTheLedgerRead) {
  for (const auto& s : event_catalogue()) {
    if (s.cls == EventClass::kFailoverStarted || s.cls == EventClass::kFailoverCompleted) {
      EXPECT_TRUE(declares(s, "component")) << s.name;
      EXPECT_TRUE(declares(s, "from")) << s.name;
    }
    if (s.cls == EventClass::kFailoverCompleted) EXPECT_TRUE(declares(s, "to")) << s.name;
    if (s.cls == EventClass::kLedger) {
      EXPECT_TRUE(declares(s, "count")) << s.name;
      EXPECT_TRUE(declares(s, "service")) << s.name;
    }
  }
}

}  // namespace
}  // namespace mailsim::engine
