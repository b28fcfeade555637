// "Stock available" alerts (issue 13, item 5): when a receipt brings a part into a service
// center's store (inventory/arrivals.hpp), every job card of that center with a PENDING parts
// request for the part is told, in the receiving transaction: event parts.arrived {jobCardId,
// partId, serviceCenterId, engineerUserId} for the job card's assigned engineer (the notify
// rules turn it into the engineer's in-app notification). One event per job card and part per
// receipt line; a receipt at the central warehouse tells nobody (centers wait on their store).
#include <string>

#include "events/outbox.hpp"
#include "inventory/arrivals.hpp"
#include "service/transition.hpp"
#include "workshop/workflows.hpp"

namespace dms::workshop {
namespace {

void tell_waiting_engineers(storage::Transaction& tx, const Context& ctx,
                            const inventory::StockArrival& arrival) {
  if (!arrival.service_center_id) return;
  const std::string sql =
      "SELECT DISTINCT pr.job_card_id, jc.assigned_engineer_id, jc.job_card_number "
      "FROM parts_requests pr JOIN parts_request_lines l ON l.parts_request_id = pr.id "
      "JOIN job_cards jc ON jc.id = pr.job_card_id "
      "WHERE pr.service_center_id = ? AND pr.status = ? AND l.part_id = ? "
      "ORDER BY pr.job_card_id";
  for (const auto& row :
       tx.query(sql, {*arrival.service_center_id,
                      std::string(kPartsRequestFlow.name(PartsRequestStatus::kPending)),
                      arrival.part_id})) {
    const auto engineer = row.opt_str("assigned_engineer_id");
    events::emit(tx, ctx, "parts.arrived",
                 {{"jobCardId", row.str("job_card_id")},
                  {"jobCardNumber", row.str("job_card_number")},
                  {"partId", arrival.part_id},
                  {"serviceCenterId", *arrival.service_center_id},
                  {"engineerUserId", engineer ? Json(*engineer) : Json()},
                  {"quantity", arrival.quantity.to_string()},
                  {"onHand", arrival.on_hand.to_string()},
                  {"referenceType", arrival.reference_type},
                  {"referenceNumber", arrival.reference_number}},
                 *arrival.service_center_id, "service_engineer");
  }
}

const inventory::ArrivalListenerRegistration kListener(tell_waiting_engineers);

}  // namespace
}  // namespace dms::workshop
