// invoices.CreditNote: the only way to cancel a finalized invoice. The credit note is the
// invoice's exact negation (credit_note_of() over the stored figures: every line and total
// negated, nothing re-rounded), numbered in the center's credit-note series for the financial
// year it is issued in. The invoice becomes CANCELLED and its parts go back to the center's store:
// a job card's used parts from workshop consumption, a manual invoice's from the customer. A job
// card's paid totals on the vehicle are reversed; what the customer had paid is reported as
// refundDue.
#include <string>

#include "audit/audit.hpp"
#include "billing/invoice_store.hpp"
#include "dms/error.hpp"
#include "events/outbox.hpp"
#include "service/request.hpp"
#include "service/service.hpp"
#include "workshop/job_cards.hpp"
#include "workshop/stock_link.hpp"
#include "workshop/validation.hpp"

namespace dms::billing {
namespace {

using workshop::actor;
using workshop::micros;

std::string insert_note(storage::Transaction& tx, const Context& ctx, const storage::Row& invoice,
                        const DocumentNumber& n, const std::string& reason, Date today) {
  const std::string id = storage::new_id();
  const Timestamp now = ctx.now();
  tx.exec(
      "INSERT INTO invoices (id, document_type, invoice_number, financial_year, sequence_no, "
      "service_center_id, job_card_id, original_invoice_id, customer_id, customer_details, "
      "supplier_state_code, place_of_supply, supply_type, status, invoice_date, finalized_at, "
      "finalized_by, cancel_reason, created_by, created_at, updated_at) VALUES (?, "
      "'CREDIT_NOTE', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ISSUED', ?, ?, ?, ?, ?, ?, ?)",
      {id, n.number, static_cast<int64_t>(n.year.start_year()), n.sequence,
       invoice.str("service_center_id"), invoice.at("job_card_id"), invoice.str("id"),
       invoice.at("customer_id"), invoice.str("customer_details"),
       invoice.str("supplier_state_code"), invoice.at("place_of_supply"),
       invoice.str("supply_type"), today.to_string(), micros(now), actor(ctx), reason, actor(ctx),
       micros(now), micros(now)});
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

// A manual invoice's catalog parts come back from the customer.
void return_manual_parts(storage::Transaction& tx, const Context& ctx, const storage::Row& invoice,
                         const storage::Rows& lines, const std::string& note_id,
                         const std::string& note_number) {
  for (const auto& line : lines) {
    if (line.is_null("part_id")) continue;
    workshop::move_back_to_store(
        tx, ctx, invoice.str("service_center_id"), line.str("part_id"),
        workshop::quantity_of(line, "quantity"), workshop::StockCounterpart::kCustomer,
        workshop::money_of(line, "unit_cost"),
        {"CREDIT_NOTE", note_id, note_number, line.str("id"), "Credit note"});
  }
}

Json issue_credit_note(Env& env, const Context& ctx, const Json& req) {
  ctx.require("invoices:cancel");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  const std::string reason = workshop::trim(f.str("reason", 1, 1000));
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
    kInvoiceFlow.require(from, InvoiceStatus::kCancelled);
    const std::string center_id = invoice.str("service_center_id");
    const workshop::ServiceCenterInfo center = workshop::load_service_center(tx, center_id);
    const Timestamp now = ctx.now();
    const Date today = now.business_date();
    const PricedDocument note = credit_note_of(read_priced(tx, invoice));
    const DocumentNumber n = allocate_number(tx, DocumentSeries::kCreditNote, center, today);
    const std::string note_id = insert_note(tx, ctx, invoice, n, reason, today);
    const storage::Rows lines = read_lines(tx, id);
    write_credit_lines(tx, note_id, lines, note);
    write_note_totals(tx, note_id, note);
    tx.exec(
        "UPDATE invoices SET status = 'CANCELLED', credit_note_id = ?, cancelled_at = ?, "
        "cancel_reason = ?, updated_at = ? WHERE id = ?",
        {note_id, micros(now), reason, micros(now), id});
    if (auto job_card_id = invoice.opt_str("job_card_id")) {
      const storage::Row job_card =
          workshop::load_job_card(tx, ctx, *job_card_id, true, "jobCardId");
      workshop::return_all_parts(tx, ctx, job_card, "Credit note " + n.number);
      workshop::reverse_invoiced_service(tx, ctx, *job_card_id, from == InvoiceStatus::kPaid,
                                         workshop::money_of(invoice, "grand_total"));
    } else {
      return_manual_parts(tx, ctx, invoice, lines, note_id, n.number);
    }
    const Money refund_due = workshop::money_of(invoice, "paid_amount");
    audit::record(tx, ctx, "CANCEL", "invoice", id, {{"status", kInvoiceFlow.name(from)}},
                  {{"status", "CANCELLED"},
                   {"creditNoteId", note_id},
                   {"creditNoteNumber", n.number},
                   {"reason", reason}},
                  center_id);
    audit::record(
        tx, ctx, "CREATE", "credit_note", note_id, Json(),
        {{"invoiceId", id}, {"number", n.number}, {"grandTotal", note.grand_total.to_string()}},
        center_id);
    events::emit(tx, ctx, "invoice.cancelled",
                 {{"invoiceId", id},
                  {"creditNoteId", note_id},
                  {"creditNoteNumber", n.number},
                  {"refundDue", refund_due.to_string()}},
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
