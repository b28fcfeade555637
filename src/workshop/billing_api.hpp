// The workshop as billing sees it: everything billing needs of job cards, customers, vehicles
// and the parts they used, with no workshop table or internal header behind it. Billing includes
// no other workshop header and names no workshop table in SQL (tests/CMakeLists.txt checks both);
// whatever else billing needs of the workshop is added here.
//
// Each call runs in the caller's write transaction; those that change a job card go through the
// workshop's transitions (workflow check, status history, audit row, event).
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dms/context.hpp"
#include "dms/money.hpp"
#include "dms/quantity.hpp"
#include "dms/time.hpp"
#include "storage/list_query.hpp"
#include "storage/store.hpp"

namespace dms::workshop {

// ---- Job cards ----------------------------------------------------------------------------------

struct BillableJobCard {
  std::string id;
  std::string number;
  std::string status;  // its kJobCardFlow name
  std::string service_center_id;
  std::string customer_id;
  std::string vehicle_id;
  // COMPLETED, or INVOICED with its invoice cancelled by a credit note: it may be invoiced.
  bool invoiceable = false;
};

// A job card the actor may see (NOT_FOUND naming `field` otherwise), locked when `lock`.
BillableJobCard load_billable_job_card(storage::Transaction& tx, const Context& ctx,
                                       const std::string& id, bool lock,
                                       std::string_view field = "jobCardId");

// A COMPLETED service line that is approved or needs no approval, in line order.
struct BillableService {
  std::string id;
  std::string service_type;
  std::optional<std::string> description;
  std::string hsn_sac;
  bool is_service = false;  // a "service" line, else labour
  Quantity quantity;
  Money rate;
  Percent gst_rate;
};
std::vector<BillableService> billable_services(storage::Transaction& tx,
                                               const std::string& job_card_id);

// The net quantity of each issued part line still on the job card (issued - returned), with
// what billing needs to invoice it (the part's current HSN code and GST rate).
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

// The job cards of a vehicle (ids), for its paid-service history.
std::vector<std::string> job_cards_of_vehicle(storage::Transaction& tx,
                                              const std::string& vehicle_id);

// The job card's list description (an invoice's expand=jobCard).
const storage::ListSpec& job_card_list_spec();

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

// ---- Customers ----------------------------------------------------------------------------------

// What an invoice's recipient snapshot takes from a customer record.
struct CustomerContact {
  std::string id;
  std::string name;
  std::string phone;
  std::optional<std::string> email;
  std::optional<std::string> address;
  std::optional<std::string> city_state;  // "Mumbai, Maharashtra"
  std::optional<std::string> pincode;
  std::optional<std::string> gstin;
  std::string customer_type;
};
// The contact of a customers row (for modules that already hold the row).
CustomerContact customer_contact_of(const storage::Row& customer);
// A customer that is not deleted; NOT_FOUND naming `field` otherwise.
CustomerContact load_customer_contact(storage::Transaction& tx, const std::string& id,
                                      std::string_view field);
// Any stored customer (a job card's, even when deleted since), or nullopt.
std::optional<CustomerContact> find_customer_contact(storage::Transaction& tx,
                                                     const std::string& id);
// The customer records' phone check (seed 002: ^\+91[6-9]\d{9}$), VALIDATION naming `field`.
void check_customer_phone(std::string_view phone, std::string_view field);

// ---- Parts of a manual invoice ------------------------------------------------------------------

// What a stock move is for, for the ledger row.
struct StockReference {
  std::string type;  // "PARTS_REQUEST", "JOB_CARD", "INVOICE", "CREDIT_NOTE"
  std::string id;
  std::string number;  // for people
  std::string line_id;
  std::string reason;
};

// NOT_FOUND naming `field` when the catalog part does not exist.
void require_catalog_part(storage::Transaction& tx, const std::string& part_id,
                          const std::string& field);
// The part leaves the center's store for the customer (INSUFFICIENT_STOCK when the store lacks
// it); returns the unit cost the ledger moved it at.
Money ship_part_to_customer(storage::Transaction& tx, const Context& ctx,
                            const std::string& service_center_id, const std::string& part_id,
                            Quantity quantity, const StockReference& reference);
// The opposite move: back from the customer into the center's store at `unit_cost`.
void take_part_back_from_customer(storage::Transaction& tx, const Context& ctx,
                                  const std::string& service_center_id, const std::string& part_id,
                                  Quantity quantity, Money unit_cost,
                                  const StockReference& reference);

}  // namespace dms::workshop
