// Job cards: the lifecycle operations shared by the jobCards.* methods, bulk status updates,
// parts requests and billing. Each operation runs inside the caller's write transaction on a job
// card row loaded (and locked) by load_job_card(), moves the status only through kJobCardFlow
// (INVALID_STATUS_TRANSITION naming both states otherwise), writes a status-history row, an audit
// row and an outbox event, and keeps the vehicle's currentStatus/activeJobCardId in step.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dms/context.hpp"
#include "dms/json.hpp"
#include "dms/money.hpp"
#include "storage/store.hpp"
#include "workshop/common.hpp"
#include "workshop/components.hpp"
#include "workshop/workflows.hpp"

namespace dms::workshop {

// A job card the actor may see (NOT_FOUND naming `field` otherwise), locked when `lock`.
storage::Row load_job_card(storage::Transaction& tx, const Context& ctx, const std::string& id,
                           bool lock, std::string_view field = "id");
JobCardStatus job_card_status(const storage::Row& job_card);
// The job card's payment status (NONE while it has no live invoice).
JobCardPaymentStatus job_card_payment_status(const storage::Row& job_card);

// The columns that come with a status move (timestamps, actor, reason...).
using JobCardColumns = std::vector<std::pair<std::string, Value>>;

// The service line's status moves to `to` (with `extra` columns: completion stamps, hours),
// audited with `details` added, event "job_card_service.status_changed".
void move_service_line(storage::Transaction& tx, const Context& ctx, const storage::Row& line,
                       ServiceLineStatus to, const std::string& center, Json details,
                       JobCardColumns extra);

// The job card's service lines still to be worked on that may be (approved or not requiring
// approval), in line order.
storage::Rows open_billable_lines(storage::Transaction& tx, const std::string& job_card_id);
// Its COMPLETED lines that are approved or need no approval: what its invoice charges.
storage::Rows completed_billable_lines(storage::Transaction& tx, const std::string& job_card_id);

// The vehicle becomes ACTIVE_JOB_CARD, held by `job_card_id` (a transition: audited, event).
void hold_vehicle(storage::Transaction& tx, const Context& ctx, const storage::Row& vehicle,
                  const std::string& job_card_id, const std::string& center);
// The vehicle held by `job_card` becomes AVAILABLE with no activeJobCardId; nothing when the
// job card no longer holds it (freed already when its invoice was paid).
void free_vehicle(storage::Transaction& tx, const Context& ctx, const storage::Row& job_card);

// The job card header document (seed 002 section 6).
Json job_card_json(const storage::Row& row);
// The header plus its service lines ("services") and part lines ("parts").
Json job_card_document(storage::Transaction& tx, const storage::Row& row);
// Reloads the job card and returns job_card_document().
Json reload_job_card(storage::Transaction& tx, const Context& ctx, const std::string& id);

// Moves the job card to `to` through service::transition() (the workflow check), setting `extra`
// columns too; writes the status history, the audit row and a "job_card.status_changed" event.
void move_job_card(storage::Transaction& tx, const Context& ctx, const storage::Row& job_card,
                   JobCardStatus to, const std::optional<std::string>& notes,
                   JobCardColumns extra = {});

// Without job_cards:view_all (by default: the service engineer) a user works only on the job
// cards assigned to them: FORBIDDEN otherwise.
void require_assigned_engineer(const Context& ctx, const storage::Row& job_card);
// Without job_cards:view_all a user sees only the job cards assigned to them (the scope of
// jobCards.List too): NOT_FOUND for the others.
void require_job_card_visible(const Context& ctx, const storage::Row& job_card);

// ---- Operations (each also reachable through jobCards.UpdateStatus) -------------------------

// CREATED -> ASSIGNED with a service engineer of the job card's center; while work is under way
// (ASSIGNED .. WAITING_CUSTOMER_APPROVAL) reassigns without a status change.
void assign_engineer(storage::Transaction& tx, const Context& ctx, const storage::Row& job_card,
                     const std::string& engineer_id, const std::optional<std::string>& notes);
// ASSIGNED -> IN_PROGRESS (start), or PARTS_PENDING -> IN_PROGRESS (resume) once no parts request
// is pending. WAITING_CUSTOMER_APPROVAL needs RespondAdditionalService (CUSTOMER_ANSWER_PENDING).
void start_or_resume(storage::Transaction& tx, const Context& ctx, const storage::Row& job_card,
                     const std::optional<std::string>& notes);

struct CompletionInput {
  std::optional<std::string> notes;
  struct LineTime {
    std::string line_id;
    std::optional<Quantity> actual_hours;
    std::optional<std::string> status;  // COMPLETED (default) or SKIPPED
  };
  std::vector<LineTime> lines;
  std::vector<ComponentService> components;
};
// IN_PROGRESS -> COMPLETED: open service lines become COMPLETED, serviced components are
// recorded, a linked service request is completed.
void complete_job_card(storage::Transaction& tx, const Context& ctx, const storage::Row& job_card,
                       const CompletionInput& input);

// Any pre-completion state -> CANCELLED: pending parts requests are cancelled, unused issued
// parts go back to the center's store, the vehicle is freed, a linked service request is
// cancelled.
void cancel_job_card(storage::Transaction& tx, const Context& ctx, const storage::Row& job_card,
                     const std::string& reason);

struct DeliveryInput {
  std::optional<std::string> notes;
  bool waive_payment = false;  // needs job_cards:waive_payment and a reason; audited
  std::optional<std::string> waiver_reason;
  std::optional<std::string> customer_feedback;
  std::optional<int64_t> feedback_rating;  // 1-5
};
// INVOICED -> DELIVERED when the invoice is PAID (or payment is waived): frees the vehicle.
void deliver_job_card(storage::Transaction& tx, const Context& ctx, const storage::Row& job_card,
                      const DeliveryInput& input);

// jobCards.UpdateStatus: checks the move against the table, then runs the operation for the
// target state. `request` may carry notes, engineerId, reason, waivePayment...
void update_job_card_status(storage::Transaction& tx, const Context& ctx,
                            const storage::Row& job_card, JobCardStatus to, const Json& request);

// ---- Called by billing ----------------------------------------------------------------------

// COMPLETED -> INVOICED when the job card's invoice is finalized; records the invoice and the
// service history's cost figures.
void mark_job_card_invoiced(storage::Transaction& tx, const Context& ctx,
                            const std::string& job_card_id, const std::string& invoice_id,
                            const std::string& invoice_number, Money parts_cost, Money labour_cost,
                            Money total_cost);

// A part payment of the job card's invoice: its payment status becomes PARTIALLY_PAID.
void record_partial_payment(storage::Transaction& tx, const Context& ctx,
                            const std::string& job_card_id);

// Seed 002 workflow 4, when a job card's invoice becomes PAID: the job card's payment status
// PAID, the customer's last service center/date/invoice number, the vehicle's last service
// date/center, totalServices + 1 and totalSpent + the grand total, and the vehicle is freed
// (AVAILABLE, no activeJobCardId).
void record_paid_service(storage::Transaction& tx, const Context& ctx,
                         const std::string& job_card_id, const std::string& invoice_number,
                         Money grand_total);

// When a credit note cancels the job card's invoice: clears the job card's invoice figures and
// its payment status (-> NONE); for a paid invoice, undoes record_paid_service's totals and puts
// the customer's and vehicle's last-service fields back to their previous paid invoice's (or
// empty). Parts that left with a DELIVERED vehicle stay consumed; otherwise the unused parts go
// back to the store. `reason` names the credit note.
struct LastService {
  std::string service_center_id;
  Timestamp date;
  std::string invoice_number;
};
// The paid job-card invoice before the cancelled one, of the customer and of the vehicle (billing
// owns invoices and finds them).
struct PreviousService {
  std::optional<LastService> customer;
  std::optional<LastService> vehicle;
};
void reverse_invoiced_service(storage::Transaction& tx, const Context& ctx,
                              const std::string& job_card_id, bool was_paid, Money grand_total,
                              const std::string& reason, const PreviousService& previous);

// The net quantity of each issued part line still on the job card (issued - returned), with
// what billing needs to invoice it.
struct UsedPart {
  std::string line_id;
  std::string part_id;
  std::string part_number;
  std::string part_name;
  std::string hsn_code;
  Quantity quantity;
  Money unit_price;
  Percent gst_rate;
  bool is_warranty = false;
};
std::vector<UsedPart> used_parts(storage::Transaction& tx, const std::string& job_card_id);

// Every used part goes back from workshop consumption to the center's store (credit notes).
void return_all_parts(storage::Transaction& tx, const Context& ctx, const storage::Row& job_card,
                      const std::string& reason);

}  // namespace dms::workshop
