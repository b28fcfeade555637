// invoices.*: tax invoices of a service center (seed 000 sections 3.1.5, 4.9 and 6.5; seed 002
// workflow 4).
//
// An invoice is created as a DRAFT, from a COMPLETED job card (its completed and approved service
// lines plus the parts it used; warranty parts at zero price) or by hand, and priced by the GST
// engine with the center's state against the customer's place of supply. A draft may be edited or
// dropped. Finalizing assigns the number (gapless per center and financial year, see
// billing/invoice_rules.hpp), the invoice date and the due date; a job card's invoice makes the
// job card INVOICED, a manual invoice's catalog parts leave the store for the customer. Payments
// (billing/payments.cpp) and credit notes (billing/credit_notes.cpp) follow. Tenant-scoped.
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "billing/invoice_store.hpp"
#include "dms/error.hpp"
#include "events/outbox.hpp"
#include "reports/rollups.hpp"
#include "sales/counter_orders.hpp"
#include "sales/customer_totals.hpp"
#include "service/entity.hpp"
#include "service/request.hpp"
#include "service/service.hpp"
#include "service/transition.hpp"
#include "workshop/billing_api.hpp"

namespace dms::billing {
namespace {

using rows::actor;
using rows::micros;
using rows::opt_trimmed;
using rows::paise;
using rows::text;

// ---- Terms --------------------------------------------------------------------------------------

struct Terms {
  std::optional<Date> due_date;
  std::optional<int64_t> payment_term_days;
  std::optional<Money> document_discount;
  std::optional<bool> prices_include_tax;  // unit prices include GST (docs/tax.md)
  std::optional<std::string> notes;
};

Terms read_terms(const request::Fields& f) {
  Terms t;
  t.due_date = f.opt_date("dueDate");
  t.payment_term_days = f.opt_integer("paymentTermDays");
  if (t.payment_term_days && (*t.payment_term_days < 0 || *t.payment_term_days > 365)) {
    throw Error::Validation("paymentTermDays", "paymentTermDays must be 0 to 365");
  }
  t.document_discount = f.opt_money("documentDiscount");
  if (f.has("pricesIncludeTax")) t.prices_include_tax = f.boolean("pricesIncludeTax", false);
  t.notes = opt_trimmed(f, "notes", 2000);
  return t;
}

// ---- Lines from a job card ----------------------------------------------------------------------

std::vector<DraftLine> job_card_lines(storage::Transaction& tx, const std::string& job_card_id) {
  std::vector<DraftLine> lines;
  for (const workshop::BillableService& s : workshop::billable_services(tx, job_card_id)) {
    DraftLine line;
    line.input.description = s.service_type;
    if (s.description) line.input.description += " - " + *s.description;
    line.input.hsn_sac = s.hsn_sac;
    line.input.type = s.is_service ? LineType::kService : LineType::kLabour;
    line.input.quantity = s.quantity;
    line.input.unit_price = s.rate;
    line.input.gst_rate = s.gst_rate;
    line.job_card_service_id = s.id;
    lines.push_back(std::move(line));
  }
  for (const workshop::UsedPart& p : workshop::used_parts(tx, job_card_id)) {
    DraftLine line;
    line.input.description =
        p.part_name + " (" + p.part_number + ")" + (p.is_warranty ? " - warranty" : "");
    line.input.hsn_sac = p.hsn_code;
    line.input.type = LineType::kPart;
    line.input.quantity = p.quantity;
    line.input.unit_price = p.is_warranty ? Money() : p.unit_price;
    line.input.gst_rate = p.gst_rate;
    line.part_id = p.part_id;
    line.is_warranty = p.is_warranty;
    line.job_card_part_id = p.line_id;
    lines.push_back(std::move(line));
  }
  return lines;
}

// ---- Manual lines
// ---------------------------------------------------------------------------------

std::vector<DraftLine> read_manual_lines(const request::Fields& f) {
  std::vector<DraftLine> lines;
  const Json& items = f.array("items", 500);
  for (size_t i = 0; i < items.size(); ++i) {
    request::Fields item = f.element("items", i);
    DraftLine line;
    const std::string type =
        item.opt_one_of("type", {"part", "labour", "service", "other"}).value_or("service");
    line.input.type = *line_type_from_name(type);
    line.input.description = rows::trim(item.str("description", 1, 500));
    line.input.hsn_sac = rows::trim(item.str("hsnSac", 1, 8));
    line.input.quantity = item.quantity("quantity");
    line.input.unit_price = item.money("unitPrice");
    line.input.gst_rate = item.percent("gstRate");
    line.input.discount_percent = item.opt_percent("discountPercent");
    line.input.discount_amount = item.opt_money("discountAmount");
    line.part_id = item.opt_str("partId", 100);
    if (line.part_id && line.input.type != LineType::kPart) {
      throw Error::Validation(item.path("partId"), "only part lines carry a partId");
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

// Catalog parts of a manual line must exist; their stock moves at finalize.
void check_manual_parts(storage::Transaction& tx, const std::vector<DraftLine>& lines) {
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].part_id) {
      workshop::require_catalog_part(tx, *lines[i].part_id,
                                     "items[" + std::to_string(i) + "].partId");
    }
  }
}

BilledParty read_walk_in_party(const request::Fields& f) {
  request::Fields d = f.object("customerDetails");
  BilledParty party;
  const std::string name = rows::trim(d.str("name", 2, 100));
  party.gstin = opt_trimmed(d, "gstin", 20);
  if (party.gstin) {
    *party.gstin = rows::compact_upper(*party.gstin);
    validate_gstin(*party.gstin, "customerDetails.gstin");
  }
  const auto phone = opt_trimmed(d, "phone", 20);
  if (phone) workshop::check_customer_phone(*phone, "customerDetails.phone");
  const auto state = opt_trimmed(d, "state", 100);
  if (state && !find_state_by_name(*state) && !find_state_by_code(*state)) {
    throw Error::Validation("customerDetails.state",
                            "customerDetails.state is not an Indian state");
  }
  party.state_text = state;
  party.details = {{"name", name},
                   {"phone", phone ? Json(*phone) : Json()},
                   {"address", opt_trimmed(d, "address", 500).value_or("")},
                   {"state", state ? Json(*state) : Json()},
                   {"gstin", party.gstin ? Json(*party.gstin) : Json()}};
  return party;
}

// ---- Drafts
// ---------------------------------------------------------------------------------------

struct DraftHeader {
  std::string center_id;
  std::optional<std::string> job_card_id;
  BilledParty party;
  Terms terms;
  std::optional<std::string> counter_order_id;
};

std::string insert_draft(storage::Transaction& tx, const Context& ctx, const DraftHeader& h,
                         const std::vector<DraftLine>& lines) {
  const service::ServiceCenterInfo center = service::load_service_center(tx, h.center_id);
  const SupplyDecision supply = decide_supply(center, h.party);
  const bool inclusive = h.terms.prices_include_tax.value_or(false);
  const PricedDocument priced =
      price_draft(lines, supply.supply, h.terms.document_discount.value_or(Money()), inclusive);
  const std::string id = storage::new_id();
  const Timestamp now = ctx.now();
  tx.exec(
      "INSERT INTO invoices (id, document_type, service_center_id, job_card_id, counter_order_id, "
      "customer_id, customer_details, supplier_state_code, place_of_supply, supply_type, "
      "prices_include_tax, status, due_date, payment_term_days, notes, created_by, created_at, "
      "updated_at) VALUES (?, 'INVOICE', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {id, h.center_id, text(h.job_card_id), text(h.counter_order_id), text(h.party.customer_id),
       h.party.details.dump(), supply.supplier_state_code, text(supply.place_of_supply),
       supply_type_name(supply.supply), static_cast<int64_t>(inclusive),
       std::string(kInvoiceFlow.name(InvoiceStatus::kDraft)), rows::date_text(h.terms.due_date),
       rows::integer(h.terms.payment_term_days), text(h.terms.notes), actor(ctx), micros(now),
       micros(now)});
  write_priced(tx, id, lines, priced, now);
  return id;
}

Json created_document(storage::Transaction& tx, const Context& ctx, const std::string& id,
                      const std::string& center_id) {
  const Json doc =
      invoice_document(tx, load_invoice(tx, ctx, id, false), ctx.now().business_date());
  audit::record(tx, ctx, "CREATE", "invoice", id, Json(), doc, center_id);
  events::emit(tx, ctx, "invoice.created",
               {{"invoiceId", id},
                {"grandTotal", doc["grandTotal"]},
                {"status", kInvoiceFlow.name(InvoiceStatus::kDraft)}},
               center_id);
  return doc;
}

void require_no_live_invoice(storage::Transaction& tx, const workshop::BillableJobCard& job_card) {
  auto live = tx.query_one(
      "SELECT id, status FROM invoices WHERE job_card_id = ? AND document_type = 'INVOICE' AND "
      "status <> ?",
      {job_card.id, std::string(kInvoiceFlow.name(InvoiceStatus::kCancelled))});
  if (live) {
    throw Error::BusinessRule(
        ErrorCode::kJobCardAlreadyInvoiced,
        "job card " + job_card.number + " already has an invoice (" + live->str("status") + ")");
  }
}

Json create_from_job_card(Env& env, const Context& ctx, const Json& req) {
  ctx.require("invoices:create");
  request::Fields f(req);
  const std::string job_card_id = f.str("jobCardId", 1, 100);
  const Terms terms = read_terms(f);
  if (terms.prices_include_tax) {  // job-card rates exclude GST
    throw Error::Validation("pricesIncludeTax", "a job card's invoice is priced from its rates");
  }
  return env.store->write([&](storage::Transaction& tx) {
    const workshop::BillableJobCard job_card =
        workshop::load_billable_job_card(tx, ctx, job_card_id, true);
    if (!job_card.invoiceable) {
      throw Error::BusinessRule(ErrorCode::kJobCardNotCompleted,
                                "job card " + job_card.number + " is " + job_card.status +
                                    ": only a COMPLETED job card is invoiced");
    }
    require_no_live_invoice(tx, job_card);
    const std::vector<DraftLine> lines = job_card_lines(tx, job_card_id);
    if (lines.empty()) {
      throw Error::BusinessRule(
          ErrorCode::kNothingToInvoice,
          "job card " + job_card.number + " has no completed service line or part to invoice");
    }
    DraftHeader header{
        job_card.service_center_id, job_card_id,
        party_of_customer(workshop::find_customer_contact(tx, job_card.customer_id).value()), terms,
        std::nullopt};
    const std::string id = insert_draft(tx, ctx, header, lines);
    return created_document(tx, ctx, id, header.center_id);
  });
}

Json create_manual(Env& env, const Context& ctx, const Json& req) {
  ctx.require("invoices:create");
  request::Fields f(req);
  const std::string center_id = service::center_for_new_record(ctx, f);
  const auto customer_id = f.opt_str("customerId", 100);
  std::optional<BilledParty> walk_in;
  if (!customer_id) walk_in = read_walk_in_party(f);
  const std::vector<DraftLine> lines = read_manual_lines(f);
  const Terms terms = read_terms(f);
  return env.store->write([&](storage::Transaction& tx) {
    check_manual_parts(tx, lines);
    DraftHeader header{center_id, std::nullopt,
                       customer_id ? party_of_customer(workshop::load_customer_contact(
                                         tx, *customer_id, "customerId"))
                                   : *walk_in,
                       terms, std::nullopt};
    const std::string id = insert_draft(tx, ctx, header, lines);
    return created_document(tx, ctx, id, center_id);
  });
}

// A counter order's invoice: the order's lines (parts, services and shipping) and figures, its
// pricesIncludeTax and document discount, in the center's one invoice series at finalize. The
// parts do not move again at finalize: they leave with the order.
Json create_from_counter_order(Env& env, const Context& ctx, const Json& req) {
  ctx.require("invoices:create");
  request::Fields f(req);
  const std::string order_id = f.str("orderId", 1, 100);
  Terms terms = read_terms(f);
  if (terms.document_discount || terms.prices_include_tax) {
    throw Error::Validation(terms.document_discount ? "documentDiscount" : "pricesIncludeTax",
                            "a counter order's invoice takes its prices from the order");
  }
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row order = sales::order_for_invoice(tx, ctx, order_id, "orderId");
    terms.document_discount = rows::money_or_zero(order, "document_discount");
    terms.prices_include_tax = order.flag("prices_include_tax");
    std::vector<DraftLine> lines;
    for (const sales::SalesLine& l : sales::stored_lines(tx, order_id)) {
      DraftLine line;
      line.input = l.input;
      line.part_id = l.part_id;
      lines.push_back(std::move(line));
    }
    BilledParty party;
    if (auto customer_id = order.opt_str("customer_id")) {
      party = party_of_customer(workshop::load_customer_contact(tx, *customer_id, "customerId"));
    } else {
      party.details = {{"name", order.str("customer_name")},
                       {"phone", rows::text_json(order, "customer_phone")},
                       {"address", rows::text_json(order, "shipping_address")}};
    }
    DraftHeader header{order.str("service_center_id"), std::nullopt, party, terms, order_id};
    const std::string id = insert_draft(tx, ctx, header, lines);
    sales::link_invoice(tx, order_id, id);
    return created_document(tx, ctx, id, header.center_id);
  });
}

storage::Row load_draft(storage::Transaction& tx, const Context& ctx, const std::string& id) {
  storage::Row invoice = load_invoice(tx, ctx, id, true);
  if (invoice.str("document_type") != "INVOICE" ||
      invoice_status(invoice) != InvoiceStatus::kDraft) {
    throw Error::BusinessRule(
        ErrorCode::kInvoiceNotDraft,
        "invoice " + id + " is " + invoice.str("status") + ": only a draft can be changed");
  }
  return invoice;
}

// The stored lines of a draft as draft lines, for re-pricing with another document discount.
std::vector<DraftLine> stored_draft_lines(storage::Transaction& tx, const std::string& id) {
  std::vector<DraftLine> lines;
  for (const auto& row : read_lines(tx, id)) {
    DraftLine line;
    line.input = rows::line_input_of(row);
    line.input.type = line_type_from_name(row.str("line_type")).value_or(LineType::kOther);
    line.part_id = row.opt_str("part_id");
    line.is_warranty = row.flag("is_warranty");
    line.job_card_service_id = row.opt_str("job_card_service_id");
    line.job_card_part_id = row.opt_str("job_card_part_id");
    lines.push_back(std::move(line));
  }
  return lines;
}

Json update_invoice(Env& env, const Context& ctx, const Json& req) {
  ctx.require("invoices:update");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  const Terms terms = read_terms(f);
  std::optional<std::vector<DraftLine>> new_lines;
  if (f.has("items")) new_lines = read_manual_lines(f);
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row invoice = load_draft(tx, ctx, id);
    const Date today = ctx.now().business_date();
    const Json before = invoice_document(tx, invoice, today);
    if (new_lines && !invoice.is_null("job_card_id")) {
      throw Error::BusinessRule(ErrorCode::kJobCardItemsFixed,
                                "the items of a job card's invoice come from the job card");
    }
    if ((new_lines || terms.prices_include_tax || terms.document_discount) &&
        !invoice.is_null("counter_order_id")) {
      throw Error::BusinessRule(ErrorCode::kCounterOrderItemsFixed,
                                "the items and prices of a counter order's invoice come from "
                                "the order");
    }
    if (new_lines) check_manual_parts(tx, *new_lines);
    const std::vector<DraftLine> lines = new_lines ? *new_lines : stored_draft_lines(tx, id);
    const SupplyType supply = invoice.str("supply_type") == "inter_state" ? SupplyType::kInterState
                                                                          : SupplyType::kIntraState;
    const Money discount =
        terms.document_discount.value_or(rows::money_or_zero(invoice, "document_discount"));
    const Timestamp now = ctx.now();
    const bool inclusive = terms.prices_include_tax.value_or(invoice.flag("prices_include_tax"));
    write_priced(tx, id, lines, price_draft(lines, supply, discount, inclusive), now);
    rows::UpdateBuilder update;
    update.set("prices_include_tax", static_cast<int64_t>(inclusive));
    if (terms.due_date) update.set("due_date", terms.due_date->to_string());
    if (terms.payment_term_days) update.set("payment_term_days", *terms.payment_term_days);
    if (terms.notes) update.set("notes", *terms.notes);
    update.set("updated_at", micros(now));
    update.apply(tx, "invoices", id);
    Json after = invoice_document(tx, load_invoice(tx, ctx, id, false), today);
    auto [old_values, new_values] = audit::changed_fields(before, after);
    audit::record(tx, ctx, "UPDATE", "invoice", id, old_values, new_values,
                  invoice.str("service_center_id"));
    return after;
  });
}

Json cancel_draft(Env& env, const Context& ctx, const Json& req) {
  ctx.require("invoices:update");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  const auto reason = opt_trimmed(f, "reason", 1000);
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row invoice = load_invoice(tx, ctx, id, true);
    const InvoiceStatus from = invoice_status(invoice);
    if (from != InvoiceStatus::kDraft) {
      kInvoiceFlow.require(from, InvoiceStatus::kCancelled);
      throw Error::BusinessRule(ErrorCode::kCreditNoteRequired,
                                "a finalized invoice is cancelled only by a credit note "
                                "(invoices.CreditNote)");
    }
    const Timestamp now = ctx.now();
    service::StatusChange change{"invoices", "invoice", id};
    change.action = "DELETE";
    change.service_center_id = invoice.str("service_center_id");
    change.set("cancelled_at", micros(now)).set("cancel_reason", text(reason));
    service::transition(tx, ctx, kInvoiceFlow, from, InvoiceStatus::kCancelled, std::move(change));
    if (auto order_id = invoice.opt_str("counter_order_id")) {
      sales::link_invoice(tx, *order_id, std::nullopt);
    }
    return invoice_document(tx, load_invoice(tx, ctx, id, false), now.business_date());
  });
}

// ---- Finalize
// -------------------------------------------------------------------------------------

// Sums of the part lines and of the other lines' totals, for the job card's history figures.
std::pair<Money, Money> parts_and_labour(const storage::Rows& lines) {
  Money parts;
  Money labour;
  for (const auto& line : lines) {
    (line.str("line_type") == "part" ? parts : labour) += rows::money_or_zero(line, "total");
  }
  return {parts, labour};
}

// A manual invoice's catalog parts leave the store for the customer.
void ship_manual_parts(storage::Transaction& tx, const Context& ctx, const storage::Row& invoice,
                       const storage::Rows& lines, const std::string& number) {
  for (const auto& line : lines) {
    if (line.is_null("part_id")) continue;
    const Money unit_cost = workshop::ship_part_to_customer(
        tx, ctx, invoice.str("service_center_id"), line.str("part_id"),
        rows::quantity_or_zero(line, "quantity"),
        {"INVOICE", invoice.str("id"), number, line.str("id"), "Invoice"});
    tx.exec("UPDATE invoice_lines SET unit_cost = ? WHERE id = ?",
            {unit_cost.minor(), line.str("id")});
  }
}

Date due_date_of(const storage::Row& invoice, Date invoice_date) {
  if (auto due = invoice.opt_str("due_date")) return Date::parse(*due);
  const int64_t days = invoice.opt_i64("payment_term_days").value_or(kDefaultPaymentTermDays);
  return invoice_date.plus_days(static_cast<int32_t>(days));
}

Json finalize_invoice(Env& env, const Context& ctx, const Json& req) {
  ctx.require("invoices:finalize");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row invoice = load_invoice(tx, ctx, id, true);
    kInvoiceFlow.require(invoice_status(invoice), InvoiceStatus::kFinalized);
    const std::string center_id = invoice.str("service_center_id");
    const service::ServiceCenterInfo center = service::load_service_center(tx, center_id);
    const Timestamp now = ctx.now();
    const Date today = now.business_date();
    const DocumentNumber n = allocate_number(tx, DocumentSeries::kInvoice, center, today);
    const Money grand_total = rows::money_or_zero(invoice, "grand_total");
    const bool nothing_to_pay = !grand_total.is_positive();
    service::StatusChange finalized{"invoices", "invoice", id};
    finalized.action = "FINALIZE";
    finalized.service_center_id = center_id;
    finalized.set("invoice_number", n.number)
        .set("financial_year", static_cast<int64_t>(n.year.start_year()))
        .set("sequence_no", n.sequence)
        .set("invoice_date", today.to_string())
        .set("due_date", due_date_of(invoice, today).to_string())
        .set("finalized_at", micros(now))
        .set("finalized_by", actor(ctx));
    finalized.audit_new = {{"invoiceNumber", n.number}, {"grandTotal", grand_total.to_string()}};
    finalized.event = {"invoice.finalized",
                       {{"invoiceId", id},
                        {"invoiceNumber", n.number},
                        {"customerId", rows::text_json(invoice, "customer_id")},
                        {"grandTotal", grand_total.to_string()}},
                       ""};
    service::transition(tx, ctx, kInvoiceFlow, InvoiceStatus::kDraft, InvoiceStatus::kFinalized,
                        std::move(finalized));
    if (nothing_to_pay) {  // nothing is due: paid at once
      service::StatusChange paid{"invoices", "invoice", id};
      paid.service_center_id = center_id;
      paid.set("paid_at", micros(now));
      paid.event = {"invoice.paid", {{"invoiceId", id}, {"invoiceNumber", n.number}}, ""};
      service::transition(tx, ctx, kInvoiceFlow, InvoiceStatus::kFinalized, InvoiceStatus::kPaid,
                          std::move(paid));
    }
    const storage::Rows lines = read_lines(tx, id);
    if (auto job_card_id = invoice.opt_str("job_card_id")) {
      auto [parts, labour] = parts_and_labour(lines);
      workshop::mark_job_card_invoiced(tx, ctx, *job_card_id, id, n.number, parts, labour,
                                       grand_total);
      if (nothing_to_pay)
        workshop::record_paid_service(tx, ctx, *job_card_id, n.number, grand_total);
    } else if (invoice.is_null("counter_order_id")) {
      ship_manual_parts(tx, ctx, invoice, lines, n.number);
    }  // a counter order's parts leave with the order (sales/counter_orders.cpp)
    reports::record_document(tx, id);  // after the parts' unit costs are known
    if (nothing_to_pay) {
      sales::record_paid_invoice(tx, ctx, id,
                                 Money::from_minor(env.settings.loyalty_spend_per_point_paise));
    }
    return invoice_document(tx, load_invoice(tx, ctx, id, false), today);
  });
}

// ---- Reads
// ----------------------------------------------------------------------------------------

const storage::ListSpec& invoice_list_spec();
void mark_overdue(Json& rows, Date as_of, bool with_days);

Json get_invoice(Env& env, const Context& ctx, const Json& req) {
  ctx.require("invoices:read");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  return env.store->read([&](storage::Transaction& tx) {
    load_invoice(tx, ctx, id, false);
    Json doc = service::get_entity(env, tx, invoice_list_spec(), id, "invoice", req);
    Json rows = Json::array({std::move(doc)});
    mark_overdue(rows, ctx.now().business_date(), false);
    return std::move(rows[0]);
  });
}

// One of invoice_details()'s parts ("items", "taxSummary", "payments") as a relation.
storage::ListRelation detail_relation(const char* name) {
  storage::ListRelation relation{name, {"id"}, nullptr};
  relation.load = [name](storage::Transaction& tx, std::vector<Json>& rows,
                         const storage::ExpandRequest&) {
    for (Json& row : rows) {
      const auto invoice =
          tx.query_one("SELECT * FROM invoices WHERE id = ?", {row.at("id").get<std::string>()});
      row[name] = invoice ? invoice_details(tx, *invoice)[name] : Json();
    }
  };
  return relation;
}

const storage::ListSpec& invoice_list_spec() {
  using storage::FieldType;
  constexpr unsigned kFS = storage::kFilter | storage::kSort;
  constexpr unsigned kOpt = storage::kFilter | storage::kNullable;
  constexpr unsigned kOptSort = kOpt | storage::kSort;
  static const storage::ListSpec spec = [] {
    storage::ListSpec s;
    s.from = "invoices i";
    s.default_sort = "-createdAt";
    s.tenant_column("i.service_center_id");
    s.field("id", "i.id", FieldType::kText)
        .field("documentType", "i.document_type", FieldType::kText, kFS)
        .field("invoiceNumber", "i.invoice_number", FieldType::kText, kOptSort | storage::kSearch)
        .field("financialYear", "i.financial_year", FieldType::kInt, kOptSort)
        .field("serviceCenterId", "i.service_center_id", FieldType::kText)
        .field("supplierStateCode", "i.supplier_state_code", FieldType::kText)
        .field("jobCardId", "i.job_card_id", FieldType::kText, kOpt)
        .field("counterOrderId", "i.counter_order_id", FieldType::kText, kOpt)
        .field("originalInvoiceId", "i.original_invoice_id", FieldType::kText, kOpt)
        .field("creditNoteId", "i.credit_note_id", FieldType::kText, kOpt)
        .field("customerId", "i.customer_id", FieldType::kText, kOpt)
        .field("customerDetails", "i.customer_details", FieldType::kJsonText, 0)
        .field("supplyType", "i.supply_type", FieldType::kText, kFS)
        .field("pricesIncludeTax", "i.prices_include_tax", FieldType::kBool)
        .field("placeOfSupply", "i.place_of_supply", FieldType::kText, kOpt)
        .field("status", "i.status", FieldType::kText, kFS)
        .field("subtotal", "i.taxable", FieldType::kMoney, kFS)
        .field("gross", "i.gross", FieldType::kMoney, kFS)
        .field("lineDiscount", "i.line_discount", FieldType::kMoney, kFS)
        .field("documentDiscount", "i.document_discount", FieldType::kMoney, kFS)
        .field("taxable", "i.taxable", FieldType::kMoney, kFS)
        .field("cgst", "i.cgst", FieldType::kMoney, kFS)
        .field("sgst", "i.sgst", FieldType::kMoney, kFS)
        .field("igst", "i.igst", FieldType::kMoney, kFS)
        .derived("tax", {"cgst", "sgst", "igst"},
                 [](const Json& row) {
                   Money tax;
                   for (const char* part : {"cgst", "sgst", "igst"}) {
                     tax = tax + Money::parse(row.at(part).get<std::string>());
                   }
                   return tax.to_string();
                 })
        .field("total", "i.total", FieldType::kMoney, kFS)
        .field("roundOff", "i.round_off", FieldType::kMoney, kFS)
        .field("grandTotal", "i.grand_total", FieldType::kMoney, kFS)
        .field("paidAmount", "i.paid_amount", FieldType::kMoney, kFS)
        .field("balanceAmount",
               "CASE WHEN i.document_type = 'INVOICE' AND i.status IN (" +
                   service::sql_names(kInvoiceFlow,
                                      {InvoiceStatus::kFinalized, InvoiceStatus::kPartiallyPaid,
                                       InvoiceStatus::kPaid}) +
                   ") THEN i.grand_total - i.paid_amount ELSE 0 END",
               FieldType::kMoney, kFS)
        .field("invoiceDate", "i.invoice_date", FieldType::kDate, kOptSort)
        .field("dueDate", "i.due_date", FieldType::kDate, kOptSort)
        .field("paymentTermDays", "i.payment_term_days", FieldType::kInt, kOptSort)
        .field("paidAt", "i.paid_at", FieldType::kTimestamp, kOptSort)
        .field("finalizedAt", "i.finalized_at", FieldType::kTimestamp, kOptSort)
        .field("finalizedBy", "i.finalized_by", FieldType::kText, kOpt)
        .field("cancelledAt", "i.cancelled_at", FieldType::kTimestamp, kOptSort)
        .field("cancelReason", "i.cancel_reason", FieldType::kText, kOpt)
        .field("notes", "i.notes", FieldType::kText, kOpt | storage::kSearch)
        .field("createdBy", "i.created_by", FieldType::kText, kOpt)
        .field("createdAt", "i.created_at", FieldType::kTimestamp, kFS)
        .field("updatedAt", "i.updated_at", FieldType::kTimestamp, kFS);
    s.relation(storage::belongs_to("jobCard", "jobCardId", workshop::job_card_list_spec()));
    for (const char* name : {"items", "taxSummary", "payments"}) s.relation(detail_relation(name));
    s.detail_relations({"items", "taxSummary", "payments"});
    return s;
  }();
  return spec;
}

// isOverdue (and daysOverdue) as of `as_of` on rows that carry dueDate and balanceAmount.
void mark_overdue(Json& rows, Date as_of, bool with_days) {
  for (Json& row : rows) {
    if (!row.contains("dueDate") || !row.contains("balanceAmount")) continue;
    const bool overdue = row["dueDate"].is_string() &&
                         is_overdue(Money::parse(row["balanceAmount"].get<std::string>()),
                                    Date::parse(row["dueDate"].get<std::string>()), as_of);
    row["isOverdue"] = overdue;
    if (with_days && row["dueDate"].is_string()) {
      row["daysOverdue"] = as_of.days_since_epoch() -
                           Date::parse(row["dueDate"].get<std::string>()).days_since_epoch();
    }
  }
}

Json list_invoices(Env& env, const Context& ctx, const Json& req) {
  ctx.require("invoices:read");
  const Date today = ctx.now().business_date();
  return env.store->read([&](storage::Transaction& tx) {
    Json page = service::list_entity(env, ctx, tx, invoice_list_spec(), req);
    mark_overdue(page["data"], today, false);
    return page;
  });
}

// Finalized invoices with a balance whose due date is before `asOf` (default today), oldest due
// first, with the days overdue and the total outstanding.
Json overdue_invoices(Env& env, const Context& ctx, const Json& req) {
  ctx.require("invoices:read");
  request::Fields f(req);
  const Date as_of = f.opt_date("asOf").value_or(ctx.now().business_date());
  std::vector<storage::Condition> conditions = service::tenant_conditions(ctx, invoice_list_spec());
  conditions.push_back({"i.document_type = 'INVOICE' AND i.status IN (" +
                            service::sql_names(kInvoiceFlow, {InvoiceStatus::kFinalized,
                                                              InvoiceStatus::kPartiallyPaid}) +
                            ") AND i.due_date < ?",
                        {as_of.to_string()}});
  Json query = req;
  query.erase("asOf");
  if (!query.contains("sort")) query["sort"] = "dueDate";
  return env.store->read([&](storage::Transaction& tx) {
    Json page = service::list_entity(env, ctx, tx, invoice_list_spec(), query, {conditions.back()});
    mark_overdue(page["data"], as_of, true);
    std::string where;
    std::vector<storage::Value> values;
    for (const auto& c : conditions) {
      where += (where.empty() ? "" : " AND ") + c.sql;
      values.insert(values.end(), c.params.begin(), c.params.end());
    }
    const auto sum = tx.query_one(
        "SELECT CAST(COALESCE(SUM(i.grand_total - i.paid_amount), 0) AS BIGINT) AS outstanding "
        "FROM invoices i WHERE " +
            where,
        values);
    page["asOf"] = as_of.to_string();
    page["totalOutstanding"] = Money::from_minor(sum->i64("outstanding")).to_string();
    return page;
  });
}

const service::MethodRegistration kCreateFromJobCard("invoices.CreateFromJobCard",
                                                     create_from_job_card);
const service::MethodRegistration kCreate("invoices.Create", create_manual);
const service::MethodRegistration kCreateFromCounterOrder("invoices.CreateFromCounterOrder",
                                                          create_from_counter_order);
const service::MethodRegistration kUpdate("invoices.Update", update_invoice);
const service::MethodRegistration kCancel("invoices.Cancel", cancel_draft);
const service::MethodRegistration kFinalize("invoices.Finalize", finalize_invoice);
const service::MethodRegistration kGet("invoices.Get", get_invoice);
const service::MethodRegistration kList("invoices.List", list_invoices, invoice_list_spec);
const service::MethodRegistration kOverdue("invoices.Overdue", overdue_invoices, invoice_list_spec);

}  // namespace

}  // namespace dms::billing
