#include "billing/invoice_store.hpp"

#include "billing/numbering.hpp"
#include "dms/error.hpp"
#include "dms/gst.hpp"

namespace dms::billing {
namespace {

using rows::money_json;
using rows::money_or_zero;
using rows::text_json;
using rows::time_json;

// The state part of "Mumbai, Maharashtra": the text after the last comma.
std::string state_from_city_state(const std::string& city_state) {
  const size_t comma = city_state.rfind(',');
  return rows::trim(comma == std::string::npos ? city_state : city_state.substr(comma + 1));
}

Json line_json(const storage::Row& row) {
  auto discount_percent = row.opt_i64("discount_percent");
  return Json{
      {"id", row.str("id")},
      {"lineNo", row.i64("line_no")},
      {"type", row.str("line_type")},
      {"description", row.str("description")},
      {"hsnSac", row.str("hsn_sac")},
      {"quantity", rows::quantity_or_zero(row, "quantity").to_string()},
      {"unitPrice", money_or_zero(row, "unit_price").to_string()},
      {"gstRate", rows::percent_text(row, "gst_rate")},
      {"discountPercent",
       discount_percent ? Json(Percent::from_units(*discount_percent).to_string()) : Json()},
      {"discountAmount", money_json(row, "discount_amount")},
      {"partId", text_json(row, "part_id")},
      {"isWarranty", row.flag("is_warranty")},
      {"jobCardServiceId", text_json(row, "job_card_service_id")},
      {"jobCardPartId", text_json(row, "job_card_part_id")},
      {"gross", money_or_zero(row, "gross").to_string()},
      {"lineDiscount", money_or_zero(row, "line_discount").to_string()},
      {"net", money_or_zero(row, "net").to_string()},
      {"documentDiscountShare", money_or_zero(row, "document_discount_share").to_string()},
      {"amount", money_or_zero(row, "amount").to_string()},
      {"taxable", money_or_zero(row, "taxable").to_string()},
      {"cgst", money_or_zero(row, "cgst").to_string()},
      {"sgst", money_or_zero(row, "sgst").to_string()},
      {"igst", money_or_zero(row, "igst").to_string()},
      {"total", money_or_zero(row, "total").to_string()}};
}

Json payment_json(const storage::Row& row) {
  return Json{{"id", row.str("id")},
              {"invoiceId", row.str("invoice_id")},
              {"amount", money_or_zero(row, "amount").to_string()},
              {"paymentMethod", row.str("payment_method")},
              {"transactionId", text_json(row, "transaction_id")},
              {"referenceNumber", text_json(row, "reference_number")},
              {"notes", text_json(row, "notes")},
              {"receivedBy", text_json(row, "received_by")},
              {"receivedAt", time_json(row, "received_at")}};
}

Json tax_summary_json(const PricedDocument& doc) {
  Json summary = Json::array();
  for (const RateSummary& r : doc.tax_summary) {
    summary.push_back({{"rate", r.rate.to_string()},
                       {"taxable", r.taxable.to_string()},
                       {"cgst", r.cgst.to_string()},
                       {"sgst", r.sgst.to_string()},
                       {"igst", r.igst.to_string()}});
  }
  return summary;
}

std::vector<RateSummary> summarize_rates(const std::vector<PricedLine>& lines) {
  std::vector<RateSummary> rates;
  for (const PricedLine& line : lines) {
    auto it = rates.begin();
    while (it != rates.end() && it->rate < line.gst_rate) ++it;
    if (it == rates.end() || it->rate != line.gst_rate) {
      it = rates.insert(it, RateSummary{line.gst_rate, {}, {}, {}, {}});
    }
    it->taxable += line.taxable;
    it->cgst += line.cgst;
    it->sgst += line.sgst;
    it->igst += line.igst;
  }
  return rates;
}

}  // namespace

BilledParty party_of_customer(const workshop::CustomerContact& c) {
  BilledParty party;
  party.customer_id = c.id;
  party.gstin = c.gstin;
  if (c.city_state) party.state_text = state_from_city_state(*c.city_state);
  party.details = {{"name", c.name},
                   {"phone", c.phone},
                   {"email", rows::json_of(c.email)},
                   {"address", rows::json_of(c.address)},
                   {"cityState", rows::json_of(c.city_state)},
                   {"pincode", rows::json_of(c.pincode)},
                   {"gstin", rows::json_of(c.gstin)},
                   {"customerType", c.customer_type}};
  return party;
}

SupplyDecision decide_supply(const service::ServiceCenterInfo& center, const BilledParty& party) {
  SupplyDecision d;
  d.supplier_state_code = center.state_code;
  if (d.supplier_state_code.empty() && center.gstin.size() >= 2) {
    d.supplier_state_code = center.gstin.substr(0, 2);
  }
  if (d.supplier_state_code.empty() && !center.state.empty()) {
    if (const IndianState* s = find_state_by_name(center.state)) d.supplier_state_code = s->code;
  }
  if (d.supplier_state_code.empty()) {
    throw Error::BusinessRule(
        ErrorCode::kServiceCenterNoGstState,
        "service center " + center.code + " has no GST state on record: invoices cannot be taxed");
  }
  std::optional<std::string_view> state;
  if (party.state_text &&
      (find_state_by_name(*party.state_text) || find_state_by_code(*party.state_text))) {
    state = *party.state_text;
  }
  std::optional<std::string_view> gstin;
  if (party.gstin) gstin = *party.gstin;
  d.supply = determine_supply(d.supplier_state_code, gstin, state);
  if (party.gstin) {
    d.place_of_supply = party.gstin->substr(0, 2);
  } else if (state) {
    const IndianState* s = find_state_by_code(*state);
    if (!s) s = find_state_by_name(*state);
    d.place_of_supply = s->code;
  }
  return d;
}

const PricingConfig& invoice_pricing() {
  static const PricingConfig config;
  return config;
}

PricedDocument price_draft(const std::vector<DraftLine>& lines, SupplyType supply,
                           Money document_discount, bool prices_include_tax) {
  DocumentInput input;
  input.type = DocumentType::kInvoice;
  input.supply = supply;
  input.tax_inclusive = prices_include_tax;
  input.document_discount = document_discount;
  for (const DraftLine& line : lines) input.lines.push_back(line.input);
  return price_document(std::move(input), invoice_pricing());
}

void write_priced(storage::Transaction& tx, const std::string& invoice_id,
                  const std::vector<DraftLine>& lines, const PricedDocument& priced,
                  Timestamp now) {
  tx.exec("DELETE FROM invoice_lines WHERE invoice_id = ?", {invoice_id});
  for (size_t i = 0; i < lines.size(); ++i) {
    const DraftLine& src = lines[i];
    const PricedLine& p = priced.lines[i];
    std::vector<Value> params{storage::new_id(),
                              invoice_id,
                              static_cast<int64_t>(i + 1),
                              line_type_name(p.type),
                              p.description,
                              p.hsn_sac,
                              p.quantity.units(),
                              p.unit_price.minor(),
                              p.gst_rate.units(),
                              rows::percent_value(src.input.discount_percent),
                              rows::paise(src.input.discount_amount),
                              rows::text(src.part_id),
                              static_cast<int64_t>(src.is_warranty ? 1 : 0),
                              rows::text(src.job_card_service_id),
                              rows::text(src.job_card_part_id)};
    rows::append_priced_figures(params, p);
    static const std::string kInsert =
        std::string(
            "INSERT INTO invoice_lines (id, invoice_id, line_no, line_type, "
            "description, hsn_sac, quantity, unit_price, gst_rate, discount_percent, "
            "discount_amount, part_id, is_warranty, job_card_service_id, "
            "job_card_part_id, ") +
        rows::kPricedLineColumns +
        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    tx.exec(kInsert, params);
  }
  const DocumentTotals& t = priced.totals;
  tx.exec(
      "UPDATE invoices SET supply_type = ?, document_discount = ?, gross = ?, line_discount = ?, "
      "net = ?, taxable = ?, cgst = ?, sgst = ?, igst = ?, total = ?, round_off = ?, "
      "grand_total = ?, updated_at = ? WHERE id = ?",
      {supply_type_name(priced.supply), t.document_discount.minor(), t.gross.minor(),
       t.line_discount.minor(), t.net.minor(), t.taxable.minor(), t.cgst.minor(), t.sgst.minor(),
       t.igst.minor(), t.total.minor(), priced.round_off.minor(), priced.grand_total.minor(),
       now.unix_micros(), invoice_id});
}

void write_credit_lines(storage::Transaction& tx, const std::string& note_id,
                        const storage::Rows& invoice_lines, const PricedDocument& note) {
  for (size_t i = 0; i < note.lines.size(); ++i) {
    const storage::Row& src = invoice_lines[i];
    const PricedLine& p = note.lines[i];
    tx.exec(
        "INSERT INTO invoice_lines (id, invoice_id, line_no, line_type, description, hsn_sac, "
        "quantity, unit_price, gst_rate, discount_percent, discount_amount, part_id, unit_cost, "
        "is_warranty, job_card_service_id, job_card_part_id, gross, line_discount, net, "
        "document_discount_share, amount, taxable, cgst, sgst, igst, total) VALUES (?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {storage::new_id(),
         note_id,
         static_cast<int64_t>(i + 1),
         line_type_name(p.type),
         p.description,
         p.hsn_sac,
         p.quantity.units(),
         p.unit_price.minor(),
         p.gst_rate.units(),
         src.at("discount_percent"),
         src.at("discount_amount"),
         src.at("part_id"),
         src.at("unit_cost"),
         src.at("is_warranty"),
         src.at("job_card_service_id"),
         src.at("job_card_part_id"),
         p.gross.minor(),
         p.line_discount.minor(),
         p.net.minor(),
         p.document_discount_share.minor(),
         p.amount.minor(),
         p.taxable.minor(),
         p.cgst.minor(),
         p.sgst.minor(),
         p.igst.minor(),
         p.total.minor()});
  }
}

storage::Rows read_lines(storage::Transaction& tx, const std::string& invoice_id) {
  return tx.query("SELECT * FROM invoice_lines WHERE invoice_id = ? ORDER BY line_no",
                  {invoice_id});
}

PricedDocument read_priced(storage::Transaction& tx, const storage::Row& invoice) {
  PricedDocument doc;
  doc.type = invoice.str("document_type") == "CREDIT_NOTE" ? DocumentType::kCreditNote
                                                           : DocumentType::kInvoice;
  doc.supply = invoice.str("supply_type") == supply_type_name(SupplyType::kInterState)
                   ? SupplyType::kInterState
                   : SupplyType::kIntraState;
  doc.tax_inclusive = invoice.flag("prices_include_tax");
  for (const auto& row : read_lines(tx, invoice.str("id"))) {
    PricedLine line;
    line.description = row.str("description");
    line.hsn_sac = row.str("hsn_sac");
    line.type = line_type_from_name(row.str("line_type")).value_or(LineType::kOther);
    line.quantity = rows::quantity_or_zero(row, "quantity");
    line.unit_price = money_or_zero(row, "unit_price");
    line.gst_rate = Percent::from_units(row.i64("gst_rate"));
    if (auto dp = row.opt_i64("discount_percent")) line.discount_percent = Percent::from_units(*dp);
    line.gross = money_or_zero(row, "gross");
    line.line_discount = money_or_zero(row, "line_discount");
    line.net = money_or_zero(row, "net");
    line.document_discount_share = money_or_zero(row, "document_discount_share");
    line.amount = money_or_zero(row, "amount");
    line.taxable = money_or_zero(row, "taxable");
    line.cgst = money_or_zero(row, "cgst");
    line.sgst = money_or_zero(row, "sgst");
    line.igst = money_or_zero(row, "igst");
    line.total = money_or_zero(row, "total");
    doc.lines.push_back(std::move(line));
  }
  DocumentTotals& t = doc.totals;
  for (auto [field, column] : std::initializer_list<std::pair<Money*, const char*>>{
           {&t.gross, "gross"},
           {&t.line_discount, "line_discount"},
           {&t.net, "net"},
           {&t.document_discount, "document_discount"},
           {&t.taxable, "taxable"},
           {&t.cgst, "cgst"},
           {&t.sgst, "sgst"},
           {&t.igst, "igst"},
           {&t.total, "total"}}) {
    *field = money_or_zero(invoice, column);
  }
  doc.tax_summary = summarize_rates(doc.lines);
  doc.round_off = money_or_zero(invoice, "round_off");
  doc.grand_total = money_or_zero(invoice, "grand_total");
  return doc;
}

DocumentNumber allocate_number(storage::Transaction& tx, DocumentSeries series,
                               const service::ServiceCenterInfo& center, Date date) {
  const service::AllocatedNumber n = service::allocate_number(
      tx,
      series == DocumentSeries::kInvoice ? billing::series::kInvoice : billing::series::kCreditNote,
      center, date);
  return {n.number, FinancialYear::of(date), n.sequence};
}

storage::Row load_invoice(storage::Transaction& tx, const Context& ctx, const std::string& id,
                          bool lock, std::string_view field) {
  return service::load_in_center(tx, ctx, "invoices", "invoice", id, lock, field);
}

InvoiceStatus invoice_status(const storage::Row& invoice) {
  if (invoice.str("document_type") != "INVOICE") {
    throw Error::BusinessRule(
        ErrorCode::kDocumentIsCreditNote,
        "document " + invoice.str("id") + " is a credit note: it has no invoice workflow");
  }
  return kInvoiceFlow.parse(invoice.str("status"));
}

Json invoice_json(const storage::Row& row, Date today) {
  const Money grand_total = money_or_zero(row, "grand_total");
  const Money paid = money_or_zero(row, "paid_amount");
  const bool is_invoice = row.str("document_type") == "INVOICE";
  const std::string status = row.str("status");
  const bool owed = is_invoice && status != kInvoiceFlow.name(InvoiceStatus::kDraft) &&
                    status != kInvoiceFlow.name(InvoiceStatus::kCancelled);
  const Money balance = owed ? grand_total - paid : Money();
  auto due = row.opt_str("due_date");
  return Json{
      {"id", row.str("id")},
      {"documentType", row.str("document_type")},
      {"invoiceNumber", text_json(row, "invoice_number")},
      {"financialYear", rows::int_json(row, "financial_year")},
      {"serviceCenterId", row.str("service_center_id")},
      {"jobCardId", text_json(row, "job_card_id")},
      {"counterOrderId", text_json(row, "counter_order_id")},
      {"originalInvoiceId", text_json(row, "original_invoice_id")},
      {"creditNoteId", text_json(row, "credit_note_id")},
      {"customerId", text_json(row, "customer_id")},
      {"customerDetails", rows::document_json(row, "customer_details")},
      {"supplierStateCode", row.str("supplier_state_code")},
      {"placeOfSupply", text_json(row, "place_of_supply")},
      {"supplyType", row.str("supply_type")},
      {"pricesIncludeTax", row.flag("prices_include_tax")},
      {"status", status},
      {"subtotal", money_or_zero(row, "taxable").to_string()},
      {"gross", money_or_zero(row, "gross").to_string()},
      {"lineDiscount", money_or_zero(row, "line_discount").to_string()},
      {"documentDiscount", money_or_zero(row, "document_discount").to_string()},
      {"taxable", money_or_zero(row, "taxable").to_string()},
      {"cgst", money_or_zero(row, "cgst").to_string()},
      {"sgst", money_or_zero(row, "sgst").to_string()},
      {"igst", money_or_zero(row, "igst").to_string()},
      {"tax", (money_or_zero(row, "cgst") + money_or_zero(row, "sgst") + money_or_zero(row, "igst"))
                  .to_string()},
      {"total", money_or_zero(row, "total").to_string()},
      {"roundOff", money_or_zero(row, "round_off").to_string()},
      {"grandTotal", grand_total.to_string()},
      {"paidAmount", paid.to_string()},
      {"balanceAmount", balance.to_string()},
      {"invoiceDate", text_json(row, "invoice_date")},
      {"dueDate", text_json(row, "due_date")},
      {"paymentTermDays", rows::int_json(row, "payment_term_days")},
      {"isOverdue", is_invoice && due && is_overdue(balance, Date::parse(*due), today)},
      {"paidAt", time_json(row, "paid_at")},
      {"finalizedAt", time_json(row, "finalized_at")},
      {"finalizedBy", text_json(row, "finalized_by")},
      {"cancelledAt", time_json(row, "cancelled_at")},
      {"cancelReason", text_json(row, "cancel_reason")},
      {"notes", text_json(row, "notes")},
      {"createdBy", text_json(row, "created_by")},
      {"createdAt", time_json(row, "created_at")},
      {"updatedAt", time_json(row, "updated_at")}};
}

Json invoice_document(storage::Transaction& tx, const storage::Row& row, Date today) {
  Json doc = invoice_json(row, today);
  Json details = invoice_details(tx, row);
  for (auto& [key, value] : details.items()) doc[key] = std::move(value);
  return doc;
}

Json invoice_details(storage::Transaction& tx, const storage::Row& row) {
  Json doc = Json::object();
  Json lines = Json::array();
  for (const auto& line : read_lines(tx, row.str("id"))) lines.push_back(line_json(line));
  doc["items"] = std::move(lines);
  doc["taxSummary"] = tax_summary_json(read_priced(tx, row));
  Json payments = Json::array();
  for (const auto& p :
       tx.query("SELECT * FROM payments WHERE invoice_id = ? ORDER BY received_at, id",
                {row.str("id")})) {
    payments.push_back(payment_json(p));
  }
  doc["payments"] = std::move(payments);
  return doc;
}

}  // namespace dms::billing
