#include "app/impact.hpp"

#include <tuple>

#include "app/incidents.hpp"

namespace mailsim::app {

Impact service_impact(const nlohmann::json& service) {
  Impact i;
  i.availability = service.value("availability", 1.0);
  i.incident_class = worst_incident_class(service.value("incidents", nlohmann::json::array()));
  i.lost_mail = service.value("lost_acknowledged_messages", uint64_t{0});
  i.outage_max_s = service.value("outage_max_s", 0.0);
  return i;
}

bool more_harmful(const Impact& a, const Impact& b) {
  // Larger is more harmful in every term but availability.
  return std::make_tuple(-a.availability, incident_class_rank(a.incident_class), a.lost_mail, a.outage_max_s) >
         std::make_tuple(-b.availability, incident_class_rank(b.incident_class), b.lost_mail, b.outage_max_s);
}

}  // namespace mailsim::app
