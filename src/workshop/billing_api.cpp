// The workshop's side of workshop/billing_api.hpp, over its own tables and internal headers.
#include "workshop/billing_api.hpp"

#include "workshop/common.hpp"
#include "workshop/job_cards.hpp"
#include "workshop/records.hpp"
#include "workshop/stock_link.hpp"
#include "workshop/validation.hpp"

namespace dms::workshop {
CustomerContact customer_contact_of(const storage::Row& c) {
  CustomerContact contact;
  contact.id = c.str("id");
  contact.name = c.str("name");
  contact.phone = c.str("phone");
  contact.email = c.opt_str("email");
  contact.address = c.opt_str("address");
  contact.city_state = c.opt_str("city_state");
  contact.pincode = c.opt_str("pincode");
  contact.gstin = c.opt_str("gstin");
  contact.customer_type = c.str("customer_type");
  return contact;
}


BillableJobCard load_billable_job_card(storage::Transaction& tx, const Context& ctx,
                                       const std::string& id, bool lock, std::string_view field) {
  const storage::Row row = load_job_card(tx, ctx, id, lock, field);
  BillableJobCard card;
  card.id = row.str("id");
  card.number = row.str("job_card_number");
  card.status = row.str("status");
  card.service_center_id = row.str("service_center_id");
  card.customer_id = row.str("customer_id");
  card.vehicle_id = row.str("vehicle_id");
  const JobCardStatus status = job_card_status(row);
  card.invoiceable = status == JobCardStatus::kCompleted ||
                     (status == JobCardStatus::kInvoiced && row.is_null("invoice_id"));
  return card;
}

std::vector<BillableService> billable_services(storage::Transaction& tx,
                                               const std::string& job_card_id) {
  std::vector<BillableService> out;
  for (const auto& s : completed_billable_lines(tx, job_card_id)) {
    BillableService line;
    line.id = s.str("id");
    line.service_type = s.str("service_type");
    line.description = s.opt_str("description");
    line.hsn_sac = s.str("hsn_sac");
    line.is_service = s.str("line_type") == "service";
    line.quantity = quantity_or_zero(s, "quantity");
    line.rate = money_or_zero(s, "rate");
    line.gst_rate = percent_of(s, "gst_rate");
    out.push_back(std::move(line));
  }
  return out;
}

std::vector<std::string> job_cards_of_vehicle(storage::Transaction& tx,
                                              const std::string& vehicle_id) {
  std::vector<std::string> ids;
  for (const auto& row :
       tx.query("SELECT id FROM job_cards WHERE vehicle_id = ? ORDER BY id", {vehicle_id})) {
    ids.push_back(row.str("id"));
  }
  return ids;
}

CustomerContact load_customer_contact(storage::Transaction& tx, const std::string& id,
                                      std::string_view field) {
  return customer_contact_of(load_customer(tx, id, field));
}

std::optional<CustomerContact> find_customer_contact(storage::Transaction& tx,
                                                     const std::string& id) {
  auto row = tx.query_one("SELECT * FROM customers WHERE id = ?", {id});
  if (!row) return std::nullopt;
  return customer_contact_of(*row);
}

void check_customer_phone(std::string_view phone, std::string_view field) {
  check_indian_mobile(phone, field);
}

void require_catalog_part(storage::Transaction& tx, const std::string& part_id,
                          const std::string& field) {
  load_catalog_part(tx, part_id, field);
}

Money ship_part_to_customer(storage::Transaction& tx, const Context& ctx,
                            const std::string& service_center_id, const std::string& part_id,
                            Quantity quantity, const StockReference& reference) {
  return move_out_of_store(tx, ctx, service_center_id, part_id, quantity,
                           StockCounterpart::kCustomer, reference);
}

void take_part_back_from_customer(storage::Transaction& tx, const Context& ctx,
                                  const std::string& service_center_id, const std::string& part_id,
                                  Quantity quantity, Money unit_cost,
                                  const StockReference& reference) {
  move_back_to_store(tx, ctx, service_center_id, part_id, quantity, StockCounterpart::kCustomer,
                     unit_cost, reference);
}

}  // namespace dms::workshop
