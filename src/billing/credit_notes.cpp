// invoices.CreditNote: the only way to cancel a finalized invoice. The credit note is the
// invoice's exact negation (credit_note_of() over the stored figures: every line and total
// negated, nothing re-rounded), numbered in the center's credit-note series for the financial
// year it is issued in. The invoice becomes CANCELLED and its parts go back to the center's store:
// a job card's used parts from workshop consumption (unless the job card was DELIVERED: those
// parts left with the vehicle), a manual invoice's from the customer. A job card's paid totals
// on the vehicle are reversed and the customer's and vehicle's last-service fields go back to the
// previous paid invoice's (or empty); what the customer had paid is reported as refundDue.
#include <string>

#include "audit/audit.hpp"
#include "billing/invoice_store.hpp"
#include "dms/error.hpp"
#include "events/outbox.hpp"
#include "reports/rollups.hpp"
#include "sales/customer_totals.hpp"
#include "service/request.hpp"
#include "service/service.hpp"
#include "service/transition.hpp"
#include "workshop/billing_api.hpp"

namespace dms::billing {
namespace {

using rows::actor;
using rows::micros;

std::string insert_note(storage::Transaction& tx, const Context& ctx, const storage::Row& invoice,
                        const DocumentNumber& n, const std::string& reason, Date today) {
  const std::string id = storage::new_id();
  const Timestamp now = ctx.now();
  tx.exec(
      "INSERT INTO invoices (id, document_type, invoice_number, financial_year, sequence_no, "
      "service_center_id, job_card_id, original_invoice_id, customer_id, customer_details, "
      "supplier_state_code, place_of_supply, supply_type, status, invoice_date, finalized_at, "
      "finalized_by, cancel_reason, created_by, created_at, updated_at) VALUES (?, "
      "'CREDIT_NOTE', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {id,
       n.number,
       static_cast<int64_t>(n.year.start_year()),
       n.sequence,
       invoice.str("service_center_id"),
       invoice.at("job_card_id"),
       invoice.str("id"),
       invoice.at("customer_id"),
       invoice.str("customer_details"),
       invoice.str("supplier_state_code"),
       invoice.at("place_of_supply"),
       invoice.str("supply_type"),
       std::string(kCreditNoteFlow.name(CreditNoteStatus::kIssued)),
       today.to_string(),
       micros(now),
       actor(ctx),
       reason,
       actor(ctx),
       micros(now),
       micros(now)});
  return id;
}

void write_note_totals(storage::Transaction& tx, const std::string& id,
                       const PricedDocument& note) {
  const DocumentTotals& t = note.totals;
  tx.exec(
      "UPDATE invoices SET document_discount = ?, gross = ?, line_discount = ?, net = ?, "
      "taxable = ?, cgst = ?, sgst = ?, igst = ?, total = ?, round_off = ?, grand_total = ? "
      "WHERE id = ?",
      {t.document_discount.minor(), t.gross.minor(), t.line_discount.minor(), t.net.minor(),
       t.taxable.minor(), t.cgst.minor(), t.sgst.minor(), t.igst.minor(), t.total.minor(),
       note.round_off.minor(), note.grand_total.minor(), id});
}

// The paid job-card invoice before `invoice` (which a credit note cancels) among those matching
// `condition` (on invoices i), for the last-service fields of its customer or of its vehicle.
std::optional<workshop::LastService> previous_paid(storage::Transaction& tx,
                                                   const storage::Row& invoice,
                                                   const std::string& condition,
                                                   const std::vector<Value>& keys) {
  std::vector<Value> params{std::string(kInvoiceFlow.name(InvoiceStatus::kPaid)),
                            invoice.str("id")};
  params.insert(params.end(), keys.begin(), keys.end());
  const auto row = tx.query_one(
      "SELECT i.service_center_id, i.paid_at, i.invoice_number FROM invoices i WHERE "
      "i.document_type = 'INVOICE' AND i.job_card_id IS NOT NULL AND i.status = ? AND i.id <> ? "
      "AND " +
          condition + " ORDER BY i.paid_at DESC, i.id DESC LIMIT 1",
      params);
  if (!row || row->is_null("paid_at")) return std::nullopt;
  return workshop::LastService{row->str("service_center_id"),
                               Timestamp::from_unix_micros(row->i64("paid_at")),
                               row->str("invoice_number")};
}

workshop::PreviousService previous_service(storage::Transaction& tx, const storage::Row& invoice,
                                           const workshop::BillableJobCard& job_card) {
  const std::vector<std::string> ids = workshop::job_cards_of_vehicle(tx, job_card.vehicle_id);
  const std::vector<Value> vehicle_cards(ids.begin(), ids.end());
  workshop::PreviousService previous;
  previous.customer = previous_paid(tx, invoice, "i.customer_id = ?", {job_card.customer_id});
  if (!ids.empty()) {
    previous.vehicle = previous_paid(
        tx, invoice, "i.job_card_id IN (" + service::placeholders(ids.size()) + ")", vehicle_cards);
  }
  return previous;
}

// A manual invoice's catalog parts come back from the customer.
void return_manual_parts(storage::Transaction& tx, const Context& ctx, const storage::Row& invoice,
                         const storage::Rows& lines, const std::string& note_id,
                         const std::string& note_number) {
  for (const auto& line : lines) {
    if (line.is_null("part_id")) continue;
    workshop::take_part_back_from_customer(
        tx, ctx, invoice.str("service_center_id"), line.str("part_id"),
        rows::quantity_or_zero(line, "quantity"), rows::money_or_zero(line, "unit_cost"),
        {"CREDIT_NOTE", note_id, note_number, line.str("id"), "Credit note"});
  }
}

Json issue_credit_note(Env& env, const Context& ctx, const Json& req) {
  ctx.require("invoices:cancel");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  const std::string reason = rows::trim(f.str("reason", 1, 1000));
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row invoice = load_invoice(tx, ctx, id, true);
    if (invoice.str("document_type") != "INVOICE") {
      throw Error::BusinessRule(ErrorCode::kDocumentIsCreditNote,
                                "a credit note cancels an invoice, not a credit note");
    }
    const InvoiceStatus from = invoice_status(invoice);
    if (from == InvoiceStatus::kDraft) {
      throw Error::BusinessRule(ErrorCode::kInvoiceIsDraft,
                                "a draft has no number: drop it with invoices.Cancel");
    }
    kInvoiceFlow.require(from, InvoiceStatus::kCancelled);  // before a number is allocated
    const std::string center_id = invoice.str("service_center_id");
    const service::ServiceCenterInfo center = service::load_service_center(tx, center_id);
    const Timestamp now = ctx.now();
    const Date today = now.business_date();
    const PricedDocument note = credit_note_of(read_priced(tx, invoice));
    const DocumentNumber n = allocate_number(tx, DocumentSeries::kCreditNote, center, today);
    const std::string note_id = insert_note(tx, ctx, invoice, n, reason, today);
    tx.exec("UPDATE invoices SET prices_include_tax = ? WHERE id = ?",
            {static_cast<int64_t>(invoice.flag("prices_include_tax")), note_id});
    const storage::Rows lines = read_lines(tx, id);
    write_credit_lines(tx, note_id, lines, note);
    write_note_totals(tx, note_id, note);
    reports::record_document(tx, note_id);
    const Money refund_due = rows::money_or_zero(invoice, "paid_amount");
    service::StatusChange change{"invoices", "invoice", id};
    change.action = "CANCEL";
    change.service_center_id = center_id;
    change.set("credit_note_id", note_id)
        .set("cancelled_at", micros(now))
        .set("cancel_reason", reason);
    change.audit_new = {
        {"creditNoteId", note_id}, {"creditNoteNumber", n.number}, {"reason", reason}};
    change.event = {"invoice.cancelled",
                    {{"invoiceId", id},
                     {"creditNoteId", note_id},
                     {"creditNoteNumber", n.number},
                     {"refundDue", refund_due.to_string()}},
                    ""};
    service::transition(tx, ctx, kInvoiceFlow, from, InvoiceStatus::kCancelled, std::move(change));
    if (auto job_card_id = invoice.opt_str("job_card_id")) {
      const workshop::BillableJobCard job_card =
          workshop::load_billable_job_card(tx, ctx, *job_card_id, true);
      workshop::reverse_invoiced_service(tx, ctx, *job_card_id, from == InvoiceStatus::kPaid,
                                         rows::money_or_zero(invoice, "grand_total"),
                                         "Credit note " + n.number,
                                         previous_service(tx, invoice, job_card));
    } else if (invoice.is_null("counter_order_id")) {
      return_manual_parts(tx, ctx, invoice, lines, note_id, n.number);
    }  // a counter order's parts stay with the customer unless returned explicitly
    sales::record_cancelled_invoice(tx, ctx, invoice, from == InvoiceStatus::kPaid);
    audit::record(
        tx, ctx, "CREATE", "credit_note", note_id, Json(),
        {{"invoiceId", id}, {"number", n.number}, {"grandTotal", note.grand_total.to_string()}},
        center_id);
    Json doc = invoice_document(tx, load_invoice(tx, ctx, note_id, false), today);
    doc["refundDue"] = refund_due.to_string();
    doc["invoice"] =
        invoice_json(*tx.query_one("SELECT * FROM invoices WHERE id = ?", {id}), today);
    return doc;
  });
}

const service::MethodRegistration kCreditNote("invoices.CreditNote", issue_credit_note);

}  // namespace
}  // namespace dms::billing
