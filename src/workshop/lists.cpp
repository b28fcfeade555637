#include "workshop/lists.hpp"

#include "dms/error.hpp"
#include "dms/money.hpp"
#include "dms/quantity.hpp"
#include "service/entity.hpp"
#include "service/service.hpp"
#include "workshop/common.hpp"

namespace dms::workshop {
namespace {

using storage::FieldType;
using storage::kFilter;
using storage::kNullable;
using storage::kSearch;
using storage::kSort;
using storage::ListSpec;

constexpr unsigned kFS = kFilter | kSort;
constexpr unsigned kOpt = kFilter | kNullable;
constexpr unsigned kOptSort = kFilter | kSort | kNullable;

ListSpec customer_fields() {
  ListSpec s;
  s.from = "(SELECT * FROM customers WHERE deleted_at IS NULL) c";
  s.default_sort = "-createdAt";
  s.field("id", "c.id", FieldType::kText)
      .field("customerNumber", "c.customer_number", FieldType::kText, kFS | kSearch)
      .field("name", "c.name", FieldType::kText, kFS | kSearch)
      .field("phone", "c.phone", FieldType::kText, kFilter | kSearch)
      .field("whatsappNumber", "c.whatsapp_number", FieldType::kText, kOpt)
      .field("alternateNumber", "c.alternate_number", FieldType::kText, kOpt)
      .field("email", "c.email", FieldType::kText, kOpt | kSearch)
      .field("address", "c.address", FieldType::kText, kOpt)
      .field("cityState", "c.city_state", FieldType::kText, kOptSort | kSearch)
      .field("pincode", "c.pincode", FieldType::kText, kOpt)
      .field("customerType", "c.customer_type", FieldType::kText, kFS)
      .field("gstin", "c.gstin", FieldType::kText, kOpt)
      .field("lastServiceCenterId", "c.last_service_center_id", FieldType::kText, kOpt)
      .field("lastServiceDate", "c.last_service_date", FieldType::kTimestamp, kOptSort)
      .field("lastInvoiceNumber", "c.last_invoice_number", FieldType::kText, kOpt)
      // Kept by sales (src/sales/customer_totals.hpp): paid invoices net of credit notes.
      .field("totalOrders", "c.total_orders", FieldType::kInt, kFS)
      .field("totalSpent", "c.total_spent", FieldType::kMoney, kFS)
      .field("loyaltyPoints", "c.loyalty_points", FieldType::kInt, kFS)
      .field("createdAt", "c.created_at", FieldType::kTimestamp, kFS)
      .field("updatedAt", "c.updated_at", FieldType::kTimestamp, kFS);
  return s;
}

ListSpec vehicle_fields() {
  ListSpec s;
  s.from = "vehicles v";
  s.default_sort = "-createdAt";
  s.field("id", "v.id", FieldType::kText)
      .field("customerId", "v.customer_id", FieldType::kText)
      .field("registration", "v.registration", FieldType::kText, kFS | kSearch)
      .field("vin", "v.vin", FieldType::kText, kFS | kSearch)
      .field("vehicleMake", "v.vehicle_make", FieldType::kText, kFS | kSearch)
      .field("vehicleModel", "v.vehicle_model", FieldType::kText, kFS | kSearch)
      .field("vehicleYear", "v.vehicle_year", FieldType::kInt, kOptSort)
      .field("variant", "v.variant", FieldType::kText, kOpt)
      .field("vehicleColor", "v.vehicle_color", FieldType::kText, kOpt)
      .field("motorNumber", "v.motor_number", FieldType::kText, kOpt)
      .field("chargerSerialNumber", "v.charger_serial_number", FieldType::kText, kOpt)
      .field("purchaseDate", "v.purchase_date", FieldType::kDate, kOptSort)
      .field("warrantyStatus", "v.warranty_status", FieldType::kText, kOpt)
      .field("insuranceStartDate", "v.insurance_start_date", FieldType::kDate, kOptSort)
      .field("insuranceEndDate", "v.insurance_end_date", FieldType::kDate, kOptSort)
      .field("insuranceCompanyName", "v.insurance_company_name", FieldType::kText, kOpt)
      .field("currentStatus", "v.current_status", FieldType::kText, kFS)
      .field("activeJobCardId", "v.active_job_card_id", FieldType::kText, kOpt)
      .field("lastServiceDate", "v.last_service_date", FieldType::kTimestamp, kOptSort)
      .field("lastServiceCenterId", "v.last_service_center_id", FieldType::kText, kOpt)
      .field("totalServices", "v.total_services", FieldType::kInt, kFS)
      .field("totalSpent", "v.total_spent", FieldType::kMoney, kFS)
      .field("createdAt", "v.created_at", FieldType::kTimestamp, kFS)
      .field("updatedAt", "v.updated_at", FieldType::kTimestamp, kFS);
  return s;
}

Money money_field(const Json& row, const char* name) {
  return Money::parse(row.at(name).get<std::string>());
}
Quantity quantity_field(const Json& row, const char* name) {
  return Quantity::parse(row.at(name).get<std::string>());
}

// A job card's service lines ("services"): amount = rate x quantity, rounded half away from zero.
const ListSpec& job_card_service_spec() {
  static const ListSpec spec = [] {
    ListSpec s;
    s.from = "job_card_services sl";
    s.default_sort = "lineNo";
    s.field("id", "sl.id", FieldType::kText)
        .field("jobCardId", "sl.job_card_id", FieldType::kText)
        .field("lineNo", "sl.line_no", FieldType::kInt, kFS)
        .field("type", "sl.line_type", FieldType::kText, kFS)
        .field("serviceType", "sl.service_type", FieldType::kText, kFS | kSearch)
        .field("description", "sl.description", FieldType::kText, kOpt | kSearch)
        .field("hsnSac", "sl.hsn_sac", FieldType::kText)
        .field("quantity", "sl.quantity", FieldType::kQuantity, kFS)
        .field("rate", "sl.rate", FieldType::kMoney, kFS)
        .derived("amount", {"rate", "quantity"},
                 [](const Json& row) {
                   return money_field(row, "rate")
                       .times(quantity_field(row, "quantity"), Rounding::kHalfAwayFromZero)
                       .to_string();
                 })
        .field("gstRate", "sl.gst_rate", FieldType::kPercent, kFS)
        .field("estimatedHours", "sl.estimated_hours", FieldType::kQuantity, kOptSort)
        .field("actualHours", "sl.actual_hours", FieldType::kQuantity, kOptSort)
        .field("status", "sl.status", FieldType::kText, kFS)
        .field("isAdditional", "sl.is_additional", FieldType::kBool)
        .field("approvalStatus", "sl.approval_status", FieldType::kText, kFS)
        .field("approvalNote", "sl.approval_note", FieldType::kText, kOpt)
        .field("approvedBy", "sl.approved_by", FieldType::kText, kOpt)
        .field("approvedAt", "sl.approved_at", FieldType::kTimestamp, kOptSort)
        .field("completedBy", "sl.completed_by", FieldType::kText, kOpt)
        .field("completedAt", "sl.completed_at", FieldType::kTimestamp, kOptSort);
    return s;
  }();
  return spec;
}

// A job card's part lines ("parts"): quantity = issued - returned; amount = unit price x
// quantity (zero under warranty).
const ListSpec& job_card_part_spec() {
  static const ListSpec spec = [] {
    ListSpec s;
    s.from = "job_card_parts pl";
    s.default_sort = "lineNo";
    s.field("id", "pl.id", FieldType::kText)
        .field("jobCardId", "pl.job_card_id", FieldType::kText)
        .field("lineNo", "pl.line_no", FieldType::kInt, kOptSort)
        .field("partsRequestId", "pl.parts_request_id", FieldType::kText, kOpt)
        .field("partId", "pl.part_id", FieldType::kText)
        .field("partNumber", "pl.part_number", FieldType::kText, kFS | kSearch)
        .field("partName", "pl.part_name", FieldType::kText, kFS | kSearch)
        .field("hsnCode", "pl.hsn_code", FieldType::kText)
        .field("issuedQty", "pl.issued_qty", FieldType::kQuantity, kFS)
        .field("returnedQty", "pl.returned_qty", FieldType::kQuantity, kFS)
        .derived("quantity", {"issuedQty", "returnedQty"},
                 [](const Json& row) {
                   return (quantity_field(row, "issuedQty") - quantity_field(row, "returnedQty"))
                       .to_string();
                 })
        .field("unitPrice", "pl.unit_price", FieldType::kMoney, kFS)
        .field("gstRate", "pl.gst_rate", FieldType::kPercent, kFS)
        .field("isWarranty", "pl.is_warranty", FieldType::kBool)
        .field("warrantyNumber", "pl.warranty_number", FieldType::kText, kOpt)
        .derived("amount", {"unitPrice", "issuedQty", "returnedQty", "isWarranty"},
                 [](const Json& row) {
                   if (row.at("isWarranty").get<bool>()) return Money().to_string();
                   const Quantity net =
                       quantity_field(row, "issuedQty") - quantity_field(row, "returnedQty");
                   return money_field(row, "unitPrice")
                       .times(net, Rounding::kHalfAwayFromZero)
                       .to_string();
                 })
        .field("issuedAt", "pl.issued_at", FieldType::kTimestamp, kOptSort);
    return s;
  }();
  return spec;
}

const ListSpec& plain_customer_spec() {
  static const ListSpec spec = customer_fields();
  return spec;
}

const ListSpec& vehicle_with_history_spec() {
  static const ListSpec spec = [] {
    ListSpec s = vehicle_fields();
    s.relation(storage::has_many("serviceHistory", "id", service_history_list_spec(), "vehicleId"));
    return s;
  }();
  return spec;
}

}  // namespace

const ListSpec& customer_list_spec() {
  static const ListSpec spec = [] {
    ListSpec s = customer_fields();
    s.relation(storage::has_many("vehicles", "id", vehicle_with_history_spec(), "customerId"));
    return s;
  }();
  return spec;
}

const ListSpec& vehicle_list_spec() {
  static const ListSpec spec = [] {
    ListSpec s = vehicle_fields();
    s.relation(storage::belongs_to("customer", "customerId", plain_customer_spec()));
    s.relation(storage::has_many("serviceHistory", "id", service_history_list_spec(), "vehicleId"));
    return s;
  }();
  return spec;
}

const ListSpec& service_history_list_spec() {
  static const ListSpec spec = [] {
    ListSpec s;
    s.from =
        "(SELECT jc.id, jc.vehicle_id, jc.job_card_number, jc.service_date, jc.service_type, "
        "jc.status, jc.odometer_reading, jc.customer_feedback, jc.feedback_rating, "
        "jc.invoice_number, jc.parts_cost, jc.labour_cost, jc.total_cost, jc.created_at, "
        "jc.service_center_id, sc.name AS service_center_name, "
        "u.first_name || ' ' || u.last_name AS engineer_name "
        "FROM job_cards jc JOIN service_centers sc ON sc.id = jc.service_center_id "
        "LEFT JOIN users u ON u.id = jc.assigned_engineer_id) h";
    s.default_sort = "-date,-createdAt";
    s.field("id", "h.id", FieldType::kText)
        .field("jobCardId", "h.id", FieldType::kText)
        .field("vehicleId", "h.vehicle_id", FieldType::kText)
        .field("jobCardNumber", "h.job_card_number", FieldType::kText, kFS | kSearch)
        .field("date", "h.service_date", FieldType::kDate, kFS)
        .field("serviceType", "h.service_type", FieldType::kText, kFS | kSearch)
        .field("engineerName", "h.engineer_name", FieldType::kText, kOpt)
        .field("serviceCenterId", "h.service_center_id", FieldType::kText)
        .field("serviceCenterName", "h.service_center_name", FieldType::kText)
        .field("partsCost", "h.parts_cost", FieldType::kMoney, kOptSort)
        .field("laborCost", "h.labour_cost", FieldType::kMoney, kOptSort)
        .field("totalCost", "h.total_cost", FieldType::kMoney, kOptSort)
        .field("invoiceNumber", "h.invoice_number", FieldType::kText, kOpt | kSearch)
        .field("status", "h.status", FieldType::kText, kFS)
        .field("odometerReading", "h.odometer_reading", FieldType::kInt, kOptSort)
        .field("customerFeedback", "h.customer_feedback", FieldType::kText, kOpt)
        .field("feedbackRating", "h.feedback_rating", FieldType::kInt, kOptSort)
        .field("createdAt", "h.created_at", FieldType::kTimestamp, kFS);
    return s;
  }();
  return spec;
}

const ListSpec& service_request_list_spec() {
  static const ListSpec spec = [] {
    ListSpec s;
    s.from = "service_requests r";
    s.default_sort = "-createdAt";
    s.tenant_column("r.service_center_id");
    s.field("id", "r.id", FieldType::kText)
        .field("requestNumber", "r.request_number", FieldType::kText, kFS | kSearch)
        .field("serviceCenterId", "r.service_center_id", FieldType::kText, kFilter)
        .field("customerId", "r.customer_id", FieldType::kText)
        .field("vehicleId", "r.vehicle_id", FieldType::kText)
        .field("requestType", "r.request_type", FieldType::kText, kFS)
        .field("serviceType", "r.service_type", FieldType::kText, kFS)
        .field("description", "r.description", FieldType::kText, kOpt | kSearch)
        .field("priority", "r.priority", FieldType::kText, kFS)
        .field("preferredDate", "r.preferred_date", FieldType::kDate, kOptSort)
        .field("preferredTime", "r.preferred_time", FieldType::kText, kOpt)
        .field("serviceLocation", "r.service_location", FieldType::kText, kFS)
        .field("address", "r.address", FieldType::kText, kOpt)
        .field("estimatedCost", "r.estimated_cost", FieldType::kMoney, kOptSort)
        .field("status", "r.status", FieldType::kText, kFS)
        .field("requestedBy", "r.requested_by", FieldType::kText, kOpt)
        .field("approvedBy", "r.approved_by", FieldType::kText, kOpt)
        .field("approvedAt", "r.approved_at", FieldType::kTimestamp, kOptSort)
        .field("rejectionReason", "r.rejection_reason", FieldType::kText, kOpt)
        .field("scheduledDate", "r.scheduled_date", FieldType::kDate, kOptSort)
        .field("scheduledTime", "r.scheduled_time", FieldType::kText, kOpt)
        .field("jobCardId", "r.job_card_id", FieldType::kText, kOpt)
        .field("cancelReason", "r.cancel_reason", FieldType::kText, kOpt)
        .field("createdAt", "r.created_at", FieldType::kTimestamp, kFS)
        .field("updatedAt", "r.updated_at", FieldType::kTimestamp, kFS);
    s.relation(storage::belongs_to("customer", "customerId", plain_customer_spec()));
    s.relation(storage::belongs_to("vehicle", "vehicleId", vehicle_list_spec()));
    return s;
  }();
  return spec;
}

const ListSpec& appointment_list_spec() {
  static const ListSpec spec = [] {
    ListSpec s;
    s.from = "appointments a";
    s.default_sort = "scheduledAt";
    s.tenant_column("a.service_center_id");
    s.field("id", "a.id", FieldType::kText)
        .field("appointmentNumber", "a.appointment_number", FieldType::kText, kFS | kSearch)
        .field("serviceCenterId", "a.service_center_id", FieldType::kText)
        .field("customerId", "a.customer_id", FieldType::kText)
        .field("vehicleId", "a.vehicle_id", FieldType::kText)
        .field("serviceRequestId", "a.service_request_id", FieldType::kText, kOpt)
        .field("scheduledAt", "a.scheduled_at", FieldType::kTimestamp, kFS)
        .field("serviceType", "a.service_type", FieldType::kText, kFS | kSearch)
        .field("notes", "a.notes", FieldType::kText, kOpt | kSearch)
        .field("status", "a.status", FieldType::kText, kFS)
        .field("jobCardId", "a.job_card_id", FieldType::kText, kOpt)
        .field("createdBy", "a.created_by", FieldType::kText, kOpt)
        .field("confirmedAt", "a.confirmed_at", FieldType::kTimestamp, kOptSort)
        .field("arrivedAt", "a.arrived_at", FieldType::kTimestamp, kOptSort)
        .field("cancelReason", "a.cancel_reason", FieldType::kText, kOpt)
        .field("createdAt", "a.created_at", FieldType::kTimestamp, kFS)
        .field("updatedAt", "a.updated_at", FieldType::kTimestamp, kFS);
    s.relation(storage::belongs_to("customer", "customerId", plain_customer_spec()));
    s.relation(storage::belongs_to("vehicle", "vehicleId", vehicle_list_spec()));
    return s;
  }();
  return spec;
}

const ListSpec& job_card_list_spec() {
  static const ListSpec spec = [] {
    ListSpec s;
    s.from = "job_cards j";
    s.default_sort = "-createdAt";
    s.tenant_column("j.service_center_id");
    s.field("id", "j.id", FieldType::kText)
        .field("jobCardNumber", "j.job_card_number", FieldType::kText, kFS | kSearch)
        .field("serviceCenterId", "j.service_center_id", FieldType::kText)
        .field("customerId", "j.customer_id", FieldType::kText)
        .field("vehicleId", "j.vehicle_id", FieldType::kText)
        .field("appointmentId", "j.appointment_id", FieldType::kText, kOpt)
        .field("serviceRequestId", "j.service_request_id", FieldType::kText, kOpt)
        .field("source", "j.source", FieldType::kText, kFS)
        .field("serviceType", "j.service_type", FieldType::kText, kFS | kSearch)
        .field("description", "j.description", FieldType::kText, kOpt | kSearch)
        .field("priority", "j.priority", FieldType::kText, kFS)
        .field("location", "j.location", FieldType::kText, kFS)
        .field("estimatedCost", "j.estimated_cost", FieldType::kMoney, kFS)
        .field("part1Data", "j.part1_data", FieldType::kJsonText, 0)
        .field("preInspection", "j.pre_inspection", FieldType::kJsonText, kOpt)
        .field("odometerReading", "j.odometer_reading", FieldType::kInt, kOptSort)
        .field("serviceDate", "j.service_date", FieldType::kDate, kFS)
        .field("status", "j.status", FieldType::kText, kFS)
        .field("assignedEngineerId", "j.assigned_engineer_id", FieldType::kText, kOpt)
        .field("assignedAt", "j.assigned_at", FieldType::kTimestamp, kOptSort)
        .field("startedAt", "j.started_at", FieldType::kTimestamp, kOptSort)
        .field("completedAt", "j.completed_at", FieldType::kTimestamp, kOptSort)
        .field("invoicedAt", "j.invoiced_at", FieldType::kTimestamp, kOptSort)
        .field("deliveredAt", "j.delivered_at", FieldType::kTimestamp, kOptSort)
        .field("cancelledAt", "j.cancelled_at", FieldType::kTimestamp, kOptSort)
        .field("cancelReason", "j.cancel_reason", FieldType::kText, kOpt)
        .field("invoiceId", "j.invoice_id", FieldType::kText, kOpt)
        .field("invoiceNumber", "j.invoice_number", FieldType::kText, kOpt | kSearch)
        .field("paymentStatus", "j.payment_status", FieldType::kText, kOptSort)
        .field("partsCost", "j.parts_cost", FieldType::kMoney, kOptSort)
        .field("laborCost", "j.labour_cost", FieldType::kMoney, kOptSort)
        .field("totalCost", "j.total_cost", FieldType::kMoney, kOptSort)
        .field("paymentWaivedBy", "j.payment_waived_by", FieldType::kText, kOpt)
        .field("paymentWaiverReason", "j.payment_waiver_reason", FieldType::kText, kOpt)
        .field("customerFeedback", "j.customer_feedback", FieldType::kText, kOpt)
        .field("feedbackRating", "j.feedback_rating", FieldType::kInt, kOptSort)
        .field("createdBy", "j.created_by", FieldType::kText, kOpt)
        .field("createdAt", "j.created_at", FieldType::kTimestamp, kFS)
        .field("updatedAt", "j.updated_at", FieldType::kTimestamp, kFS);
    s.relation(storage::belongs_to("customer", "customerId", plain_customer_spec()));
    s.relation(storage::belongs_to("vehicle", "vehicleId", vehicle_list_spec()));
    s.relation(storage::has_many("services", "id", job_card_service_spec(), "jobCardId"));
    s.relation(storage::has_many("parts", "id", job_card_part_spec(), "jobCardId"));
    s.detail_relations({"services", "parts"});
    return s;
  }();
  return spec;
}

namespace {

const ListSpec& parts_request_line_spec() {
  static const ListSpec spec = [] {
    ListSpec s;
    s.from = "parts_request_lines l LEFT JOIN inv_parts p ON p.id = l.part_id";
    s.default_sort = "lineNo";
    s.field("id", "l.id", FieldType::kText)
        .field("partsRequestId", "l.parts_request_id", FieldType::kText)
        .field("lineNo", "l.line_no", FieldType::kInt, kFS)
        .field("partId", "l.part_id", FieldType::kText)
        .field("partNumber", "p.part_number", FieldType::kText, kOpt)
        .field("partName", "p.name", FieldType::kText, kOpt)
        .field("requestedQty", "l.requested_qty", FieldType::kQuantity)
        .field("approvedQty", "l.approved_qty", FieldType::kQuantity, kOpt)
        .field("isWarranty", "l.is_warranty", FieldType::kBool)
        .field("notes", "l.notes", FieldType::kText, kOpt);
    return s;
  }();
  return spec;
}

}  // namespace

const ListSpec& parts_request_list_spec() {
  static const ListSpec spec = [] {
    ListSpec s;
    s.from = "parts_requests r JOIN job_cards j ON j.id = r.job_card_id";
    s.default_sort = "-requestedAt";
    s.tenant_column("r.service_center_id");
    s.field("id", "r.id", FieldType::kText)
        .field("partsRequestId", "r.id", FieldType::kText)
        .field("jobCardId", "r.job_card_id", FieldType::kText, kFilter)
        .field("jobCardNumber", "j.job_card_number", FieldType::kText, kFS | kSearch)
        .field("serviceCenterId", "r.service_center_id", FieldType::kText, kFilter)
        .field("status", "r.status", FieldType::kText, kFS)
        .field("urgency", "r.urgency", FieldType::kText, kFS)
        .field("notes", "r.notes", FieldType::kText, kOpt | kSearch)
        .field("requestedBy", "r.requested_by", FieldType::kText, kOpt)
        .field("requestedAt", "r.requested_at", FieldType::kTimestamp, kFS)
        .field("decidedBy", "r.decided_by", FieldType::kText, kOpt)
        .field("decidedAt", "r.decided_at", FieldType::kTimestamp, kOptSort)
        .field("decisionNotes", "r.decision_notes", FieldType::kText, kOpt);
    s.relation(storage::has_many("lines", "id", parts_request_line_spec(), "partsRequestId"));
    s.detail_relations({"lines"});
    return s;
  }();
  return spec;
}

}  // namespace dms::workshop
