#include "sales/documents.hpp"

#include <string>

#include "billing/invoice_store.hpp"
#include "dms/error.hpp"
#include "sales/workflows.hpp"
#include "service/transition.hpp"
#include "workshop/billing_api.hpp"
#include "workshop/stock_link.hpp"
#include "workshop/validation.hpp"

namespace dms::sales {

using storage::FieldType;
using workshop::paise;
using workshop::text;

std::vector<ItemRequest> read_items(const request::Fields& f, bool counter_order) {
  std::vector<ItemRequest> items;
  const Json& list = f.array("items", 500);
  if (list.empty()) throw Error::Validation("items", "items must name at least one line");
  for (size_t i = 0; i < list.size(); ++i) {
    request::Fields item = f.element("items", i);
    ItemRequest r;
    r.item_type =
        counter_order
            ? item.opt_one_of("type", {kItemSparePart, kItemService}).value_or(kItemSparePart)
            : item.one_of("type", {kItemService, kItemSparePart, kItemVehicle});
    r.part_id = item.opt_str("partId", 100);
    if (r.item_type == kItemSparePart && !r.part_id) {
      throw Error::Validation(item.path("partId"), "a spare_part line names its catalog partId");
    }
    if (r.item_type != kItemSparePart && r.part_id) {
      throw Error::Validation(item.path("partId"), "only spare_part lines carry a partId");
    }
    r.description = workshop::opt_trimmed(item, "description", 500);
    r.hsn_sac = workshop::opt_trimmed(item, "hsnSac", 8);
    r.quantity = item.quantity("quantity");
    r.unit_price = item.opt_money("unitPrice");
    r.gst_rate = item.opt_percent("gstRate");
    r.discount_percent = item.opt_percent("discountPercent");
    r.discount_amount = item.opt_money("discountAmount");
    if (r.item_type != kItemSparePart) {
      if (!r.description)
        throw Error::Validation(item.path("description"), "description is required");
      if (!r.hsn_sac) throw Error::Validation(item.path("hsnSac"), "hsnSac is required");
      if (!r.unit_price) throw Error::Validation(item.path("unitPrice"), "unitPrice is required");
      if (!r.gst_rate) throw Error::Validation(item.path("gstRate"), "gstRate is required");
    }
    items.push_back(std::move(r));
  }
  return items;
}

LineType line_type_of(const std::string& item_type) {
  if (item_type == kItemSparePart) return LineType::kPart;
  if (item_type == kItemVehicle) return LineType::kVehicle;
  return LineType::kService;
}

std::vector<SalesLine> resolve_items(storage::Transaction& tx,
                                     const std::vector<ItemRequest>& items,
                                     bool prices_include_tax) {
  std::vector<SalesLine> lines;
  for (size_t i = 0; i < items.size(); ++i) {
    const ItemRequest& r = items[i];
    const std::string at = "items[" + std::to_string(i) + "].";
    SalesLine line;
    line.item_type = r.item_type;
    line.part_id = r.part_id;
    line.input.type = line_type_of(r.item_type);
    line.input.quantity = r.quantity;
    line.input.discount_percent = r.discount_percent;
    line.input.discount_amount = r.discount_amount;
    if (r.part_id) {
      const workshop::CatalogPart part = workshop::load_catalog_part(tx, *r.part_id, at + "partId");
      if (!part.active) {
        throw Error::Validation(at + "partId", "part " + part.part_number + " is not active");
      }
      line.input.description = r.description.value_or(part.name + " (" + part.part_number + ")");
      line.input.hsn_sac = r.hsn_sac.value_or(part.hsn_code);
      // An inclusive document sells a part at its MRP (GST included) unless told otherwise.
      const Money default_price = prices_include_tax && part.mrp ? *part.mrp : part.sale_price;
      line.input.unit_price = r.unit_price.value_or(default_price);
      line.input.gst_rate = r.gst_rate.value_or(part.gst_rate);
      if (line.input.hsn_sac.empty()) {
        throw Error::Validation(
            at + "hsnSac", "part " + part.part_number + " has no HSN code: give the line's hsnSac");
      }
    } else {
      line.input.description = *r.description;
      line.input.hsn_sac = *r.hsn_sac;
      line.input.unit_price = *r.unit_price;
      line.input.gst_rate = *r.gst_rate;
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<SalesLine> stored_lines(storage::Transaction& tx, const std::string& document_id) {
  std::vector<SalesLine> lines;
  for (const auto& row : tx.query(
           "SELECT * FROM sales_lines WHERE document_id = ? ORDER BY line_no", {document_id})) {
    SalesLine line;
    line.item_type = row.str("item_type");
    line.part_id = row.opt_str("part_id");
    line.input = rows::line_input_of(row);
    line.input.type = line_type_of(line.item_type);
    lines.push_back(std::move(line));
  }
  return lines;
}

Party party_of_customer_row(const storage::Row& c) {
  const billing::BilledParty billed = billing::party_of_customer(workshop::customer_contact_of(c));
  Party p;
  p.customer_id = c.str("id");
  p.name = c.str("name");
  p.phone = c.opt_str("phone");
  p.email = c.opt_str("email");
  p.gstin = billed.gstin;
  p.state_text = billed.state_text;
  return p;
}

SupplyType supply_for(const workshop::ServiceCenterInfo& center, const Party& party) {
  billing::BilledParty billed;
  billed.customer_id = party.customer_id;
  billed.gstin = party.gstin;
  billed.state_text = party.state_text;
  return billing::decide_supply(center, billed).supply;
}

PricedDocument price_lines(const std::vector<SalesLine>& lines, DocumentType type,
                           SupplyType supply, bool prices_include_tax, Money document_discount) {
  static const PricingConfig config;
  DocumentInput input;
  input.type = type;
  input.supply = supply;
  input.tax_inclusive = prices_include_tax;
  input.document_discount = document_discount;
  for (const SalesLine& line : lines) input.lines.push_back(line.input);
  try {
    return price_document(std::move(input), config);
  } catch (const Error& e) {  // the engine names lines[i]: the request calls them items[i]
    std::string field = e.field();
    if (field.rfind("lines[", 0) == 0) field = "items" + field.substr(5);
    if (e.code() == ErrorCode::kValidation) {
      std::string message = e.message();
      if (message.rfind("lines[", 0) == 0) message = "items" + message.substr(5);
      throw Error::Validation(field, message);
    }
    throw;
  }
}

void write_lines(storage::Transaction& tx, const std::string& table, const std::string& document_id,
                 const std::vector<SalesLine>& lines, const PricedDocument& priced) {
  tx.exec("DELETE FROM sales_lines WHERE document_id = ?", {document_id});
  for (size_t i = 0; i < lines.size(); ++i) {
    const PricedLine& p = priced.lines[i];
    const SalesLine& l = lines[i];
    std::vector<storage::Value> params{storage::new_id(),
                                       document_id,
                                       static_cast<int64_t>(i + 1),
                                       l.item_type,
                                       text(l.part_id),
                                       p.description,
                                       p.hsn_sac,
                                       p.quantity.units(),
                                       p.unit_price.minor(),
                                       p.gst_rate.units(),
                                       rows::percent_value(l.input.discount_percent),
                                       paise(l.input.discount_amount)};
    rows::append_priced_figures(params, p);
    static const std::string kInsert =
        std::string(
            "INSERT INTO sales_lines (id, document_id, line_no, item_type, part_id, "
            "description, hsn_sac, quantity, unit_price, gst_rate, discount_percent, "
            "discount_amount, ") +
        rows::kPricedLineColumns +
        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    tx.exec(kInsert, params);
  }
  const DocumentTotals& t = priced.totals;
  tx.exec(
      "UPDATE " + table +
          " SET gross = ?, line_discount = ?, net = ?, document_discount = ?, taxable = ?, "
          "cgst = ?, sgst = ?, igst = ?, total = ?, round_off = ?, grand_total = ? WHERE id = ?",
      {t.gross.minor(), t.line_discount.minor(), t.net.minor(), t.document_discount.minor(),
       t.taxable.minor(), t.cgst.minor(), t.sgst.minor(), t.igst.minor(), t.total.minor(),
       priced.round_off.minor(), priced.grand_total.minor(), document_id});
}

std::string next_number(storage::Transaction& tx, const storage::NumberSeries& s,
                        const workshop::ServiceCenterInfo& center, Date date) {
  return storage::allocate(tx, s, storage::date_fields(date, {{"scCode", center.code}}));
}

namespace {

constexpr unsigned kFS = storage::kFilter | storage::kSort;
constexpr unsigned kOpt = storage::kFilter | storage::kNullable;
constexpr unsigned kOptSort = kOpt | storage::kSort;

// The figures every priced document carries, from alias `a`.
void figure_fields(storage::ListSpec& s, const std::string& a) {
  s.field("pricesIncludeTax", a + ".prices_include_tax", FieldType::kBool)
      .field("supplyType", a + ".supply_type", FieldType::kText)
      .field("gross", a + ".gross", FieldType::kMoney, kFS)
      .field("lineDiscount", a + ".line_discount", FieldType::kMoney, kFS)
      .field("net", a + ".net", FieldType::kMoney, kFS)
      .field("documentDiscount", a + ".document_discount", FieldType::kMoney, kFS)
      .field("taxable", a + ".taxable", FieldType::kMoney, kFS)
      .field("cgst", a + ".cgst", FieldType::kMoney, kFS)
      .field("sgst", a + ".sgst", FieldType::kMoney, kFS)
      .field("igst", a + ".igst", FieldType::kMoney, kFS)
      .field("total", a + ".total", FieldType::kMoney, kFS)
      .field("roundOff", a + ".round_off", FieldType::kMoney, kFS)
      .field("grandTotal", a + ".grand_total", FieldType::kMoney, kFS);
}

}  // namespace

const storage::ListSpec& sales_line_spec() {
  static const storage::ListSpec spec = [] {
    storage::ListSpec s;
    s.from = "sales_lines sl";
    s.default_sort = "lineNo";
    // What the document's center store can still give of the line's part (on hand less
    // reserved), shown on every line with a part: a PENDING order's availability report.
    const std::string available =
        "CASE WHEN sl.part_id IS NULL THEN NULL ELSE COALESCE((SELECT b.on_hand - b.allocated "
        "FROM inv_balances b JOIN inv_locations l ON l.id = b.location_id WHERE b.part_id = "
        "sl.part_id AND l.service_center_id = COALESCE((SELECT o.service_center_id FROM "
        "sales_counter_orders o WHERE o.id = sl.document_id), (SELECT q.service_center_id FROM "
        "sales_quotations q WHERE q.id = sl.document_id))), 0) END";
    s.field("id", "sl.id", FieldType::kText)
        .field("documentId", "sl.document_id", FieldType::kText)
        .field("lineNo", "sl.line_no", FieldType::kInt, kFS)
        .field("type", "sl.item_type", FieldType::kText)
        .field("partId", "sl.part_id", FieldType::kText, kOpt)
        .field("description", "sl.description", FieldType::kText)
        .field("hsnSac", "sl.hsn_sac", FieldType::kText)
        .field("quantity", "sl.quantity", FieldType::kQuantity)
        .field("unitPrice", "sl.unit_price", FieldType::kMoney)
        .field("gstRate", "sl.gst_rate", FieldType::kPercent)
        .field("discountPercent", "sl.discount_percent", FieldType::kPercent, kOpt)
        .field("discountAmount", "sl.discount_amount", FieldType::kMoney, kOpt)
        .field("gross", "sl.gross", FieldType::kMoney)
        .field("lineDiscount", "sl.line_discount", FieldType::kMoney)
        .field("net", "sl.net", FieldType::kMoney)
        .field("documentDiscountShare", "sl.document_discount_share", FieldType::kMoney)
        .field("amount", "sl.amount", FieldType::kMoney)
        .field("taxable", "sl.taxable", FieldType::kMoney)
        .field("cgst", "sl.cgst", FieldType::kMoney)
        .field("sgst", "sl.sgst", FieldType::kMoney)
        .field("igst", "sl.igst", FieldType::kMoney)
        .field("total", "sl.total", FieldType::kMoney)
        .field("availableQuantity", available, FieldType::kQuantity, storage::kNullable)
        .derived("inStock", {"availableQuantity", "quantity"}, [](const Json& row) -> Json {
          if (!row.at("availableQuantity").is_string()) return Json();
          return Quantity::parse(row.at("availableQuantity").get<std::string>()) >=
                 Quantity::parse(row.at("quantity").get<std::string>());
        });
    return s;
  }();
  return spec;
}

const storage::ListSpec& lead_note_spec() {
  static const storage::ListSpec spec = [] {
    storage::ListSpec s;
    s.from = "sales_lead_notes n";
    s.default_sort = "createdAt";
    s.field("id", "n.id", FieldType::kText)
        .field("leadId", "n.lead_id", FieldType::kText)
        .field("note", "n.note", FieldType::kText)
        .field("createdBy", "n.created_by", FieldType::kText, kOpt)
        .field("createdAt", "n.created_at", FieldType::kTimestamp, kFS);
    return s;
  }();
  return spec;
}

const storage::ListSpec& lead_spec() {
  static const storage::ListSpec spec = [] {
    storage::ListSpec s;
    s.from = "sales_leads ld";
    s.default_sort = "-createdAt";
    s.tenant_column("ld.service_center_id");
    s.field("id", "ld.id", FieldType::kText)
        .field("leadNumber", "ld.lead_number", FieldType::kText, kFS | storage::kSearch)
        .field("serviceCenterId", "ld.service_center_id", FieldType::kText)
        .field("customerId", "ld.customer_id", FieldType::kText, kOpt)
        .field("customerName", "ld.customer_name", FieldType::kText, kFS | storage::kSearch)
        .field("phone", "ld.phone", FieldType::kText, kFS | storage::kSearch)
        .field("email", "ld.email", FieldType::kText, kOpt)
        .field("source", "ld.source", FieldType::kText, kFS)
        .field("leadType", "ld.lead_type", FieldType::kText, kFS)
        .field("description", "ld.description", FieldType::kText, kOpt | storage::kSearch)
        .field("assignedTo", "ld.assigned_to", FieldType::kText, kOpt)
        .field("followUpDate", "ld.follow_up_date", FieldType::kDate, kOptSort)
        .field("status", "ld.status", FieldType::kText, kFS)
        .field("lostReason", "ld.lost_reason", FieldType::kText, kOpt)
        .field("contactedAt", "ld.contacted_at", FieldType::kTimestamp, kOptSort)
        .field("qualifiedAt", "ld.qualified_at", FieldType::kTimestamp, kOptSort)
        .field("convertedAt", "ld.converted_at", FieldType::kTimestamp, kOptSort)
        .field("lostAt", "ld.lost_at", FieldType::kTimestamp, kOptSort)
        .field("createdBy", "ld.created_by", FieldType::kText, kOpt)
        .field("createdAt", "ld.created_at", FieldType::kTimestamp, kFS)
        .field("updatedAt", "ld.updated_at", FieldType::kTimestamp, kFS);
    s.relation(storage::has_many("notes", "id", lead_note_spec(), "leadId"));
    s.detail_relations({"notes"});
    return s;
  }();
  return spec;
}

const storage::ListSpec& quotation_spec() {
  static const storage::ListSpec spec = [] {
    storage::ListSpec s;
    s.from = "sales_quotations q";
    s.default_sort = "-createdAt";
    s.tenant_column("q.service_center_id");
    s.field("id", "q.id", FieldType::kText)
        .field("quotationNumber", "q.quotation_number", FieldType::kText, kFS | storage::kSearch)
        .field("serviceCenterId", "q.service_center_id", FieldType::kText)
        .field("leadId", "q.lead_id", FieldType::kText, kOpt)
        .field("customerId", "q.customer_id", FieldType::kText, kOpt)
        .field("customerName", "q.customer_name", FieldType::kText, kFS | storage::kSearch)
        .field("customerPhone", "q.customer_phone", FieldType::kText, kOpt)
        .field("customerEmail", "q.customer_email", FieldType::kText, kOpt);
    figure_fields(s, "q");
    s.field("validUntil", "q.valid_until", FieldType::kDate, kFS)
        .field("status", "q.status", FieldType::kText, kFS)
        .field("approvedBy", "q.approved_by", FieldType::kText, kOpt)
        .field("approvedAt", "q.approved_at", FieldType::kTimestamp, kOptSort)
        .field("sentAt", "q.sent_at", FieldType::kTimestamp, kOptSort)
        .field("sentVia", "q.sent_via", FieldType::kText, kOpt)
        .field("acceptedAt", "q.accepted_at", FieldType::kTimestamp, kOptSort)
        .field("convertedTo", "q.converted_to", FieldType::kText, kOpt)
        .field("serviceRequestId", "q.service_request_id", FieldType::kText, kOpt)
        .field("counterOrderId", "q.counter_order_id", FieldType::kText, kOpt)
        .field("rejectedAt", "q.rejected_at", FieldType::kTimestamp, kOptSort)
        .field("rejectionReason", "q.rejection_reason", FieldType::kText, kOpt)
        .field("expiredAt", "q.expired_at", FieldType::kTimestamp, kOptSort)
        .field("notes", "q.notes", FieldType::kText, kOpt)
        .field("createdBy", "q.created_by", FieldType::kText, kOpt)
        .field("createdAt", "q.created_at", FieldType::kTimestamp, kFS)
        .field("updatedAt", "q.updated_at", FieldType::kTimestamp, kFS);
    s.relation(storage::has_many("items", "id", sales_line_spec(), "documentId"));
    s.detail_relations({"items"});
    return s;
  }();
  return spec;
}

const storage::ListSpec& counter_order_spec() {
  static const storage::ListSpec spec = [] {
    storage::ListSpec s;
    s.from = "sales_counter_orders o";
    s.default_sort = "-createdAt";
    s.tenant_column("o.service_center_id");
    s.field("id", "o.id", FieldType::kText)
        .field("orderNumber", "o.order_number", FieldType::kText, kFS | storage::kSearch)
        .field("serviceCenterId", "o.service_center_id", FieldType::kText)
        .field("customerId", "o.customer_id", FieldType::kText, kOpt)
        .field("customerName", "o.customer_name", FieldType::kText, kFS | storage::kSearch)
        .field("customerPhone", "o.customer_phone", FieldType::kText, kOpt)
        .field("quotationId", "o.quotation_id", FieldType::kText, kOpt)
        .field("deliveryMethod", "o.delivery_method", FieldType::kText, kFS)
        .field("shippingAddress", "o.shipping_address", FieldType::kText, kOpt)
        .field("shippingCharge", "o.shipping_charge", FieldType::kMoney, kFS)
        .field("trackingNumber", "o.tracking_number", FieldType::kText, kOpt);
    figure_fields(s, "o");
    s.field("status", "o.status", FieldType::kText, kFS)
        .field("paymentStatus", "o.payment_status", FieldType::kText, kFS)
        .field("invoiceId", "o.invoice_id", FieldType::kText, kOpt)
        .field("processingAt", "o.processing_at", FieldType::kTimestamp, kOptSort)
        .field("readyAt", "o.ready_at", FieldType::kTimestamp, kOptSort)
        .field("shippedAt", "o.shipped_at", FieldType::kTimestamp, kOptSort)
        .field("deliveredAt", "o.delivered_at", FieldType::kTimestamp, kOptSort)
        .field("cancelledAt", "o.cancelled_at", FieldType::kTimestamp, kOptSort)
        .field("cancelReason", "o.cancel_reason", FieldType::kText, kOpt)
        .field("notes", "o.notes", FieldType::kText, kOpt)
        .field("createdBy", "o.created_by", FieldType::kText, kOpt)
        .field("createdAt", "o.created_at", FieldType::kTimestamp, kFS)
        .field("updatedAt", "o.updated_at", FieldType::kTimestamp, kFS);
    s.relation(storage::has_many("items", "id", sales_line_spec(), "documentId"));
    s.detail_relations({"items"});
    return s;
  }();
  return spec;
}

}  // namespace dms::sales
