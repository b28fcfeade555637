// invoices.RecordPayment: a payment against a finalized invoice (seed 000 sections 3.1.5 and
// 6.5). Amounts are exact; more than the balance is a VALIDATION error (overpayment). The invoice
// becomes PARTIALLY_PAID or PAID; when a job card's invoice is PAID, seed 002 workflow 4's
// customer and vehicle updates are applied in the same transaction.
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
using rows::opt_trimmed;
using rows::text;

struct PaymentInput {
  Money amount;
  std::string method;
  std::optional<std::string> transaction_id;
  std::optional<std::string> reference_number;
  std::optional<std::string> notes;
  std::optional<Timestamp> received_at;
};

// Electronic payments carry the gateway's transaction id; a cheque carries its number.
PaymentInput read_payment(const request::Fields& f) {
  PaymentInput p;
  p.amount = f.money("amount");
  p.method = f.one_of("paymentMethod", {"cash", "card", "online", "upi", "cheque"});
  p.transaction_id = opt_trimmed(f, "transactionId", 100);
  p.reference_number = opt_trimmed(f, "referenceNumber", 100);
  p.notes = opt_trimmed(f, "notes", 1000);
  p.received_at = f.opt_timestamp("receivedAt");
  const bool electronic = p.method == "card" || p.method == "online" || p.method == "upi";
  if (electronic && !p.transaction_id) {
    throw Error::Validation("transactionId",
                            "transactionId is required for a " + p.method + " payment");
  }
  if (p.method == "cheque" && !p.reference_number) {
    throw Error::Validation("referenceNumber", "referenceNumber (the cheque number) is required");
  }
  return p;
}

void require_payable(const storage::Row& invoice) {
  const InvoiceStatus status = invoice_status(invoice);
  if (invoice.str("document_type") != "INVOICE" || status == InvoiceStatus::kDraft ||
      status == InvoiceStatus::kCancelled) {
    throw Error::BusinessRule(ErrorCode::kInvoiceNotFinalized,
                              "invoice " + invoice.str("id") + " is " + invoice.str("status") +
                                  ": payments are recorded against finalized invoices");
  }
}

// After the payment: the job card's payment status, and workflow 4 once fully paid.
void update_job_card(storage::Transaction& tx, const Context& ctx, const storage::Row& invoice,
                     InvoiceStatus to) {
  auto job_card_id = invoice.opt_str("job_card_id");
  if (!job_card_id) return;
  if (to == InvoiceStatus::kPaid) {
    workshop::record_paid_service(tx, ctx, *job_card_id, invoice.str("invoice_number"),
                                  rows::money_or_zero(invoice, "grand_total"));
  } else {
    workshop::record_partial_payment(tx, ctx, *job_card_id);
  }
}

Json record_payment(Env& env, const Context& ctx, const Json& req) {
  ctx.require("payments:create");
  request::Fields f(req);
  const std::string id = f.str("id", 1, 100);
  const PaymentInput p = read_payment(f);
  return env.store->write([&](storage::Transaction& tx) {
    const storage::Row invoice = load_invoice(tx, ctx, id, true);
    require_payable(invoice);
    const Money grand_total = rows::money_or_zero(invoice, "grand_total");
    const Money paid_before = rows::money_or_zero(invoice, "paid_amount");
    check_payment_amount(p.amount, grand_total - paid_before);
    const Money paid_after = paid_before + p.amount;
    const InvoiceStatus from = invoice_status(invoice);
    const InvoiceStatus to = status_after_payment(grand_total, paid_after);
    if (to != from) kInvoiceFlow.require(from, to);  // before anything is written
    const Timestamp now = ctx.now();
    const std::string center = invoice.str("service_center_id");
    const std::string payment_id = storage::new_id();
    tx.exec(
        "INSERT INTO payments (id, invoice_id, service_center_id, amount, payment_method, "
        "transaction_id, reference_number, notes, received_by, received_at, created_at) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {payment_id, id, center, p.amount.minor(), p.method, text(p.transaction_id),
         text(p.reference_number), text(p.notes), actor(ctx), micros(p.received_at.value_or(now)),
         micros(now)});
    reports::record_payment(tx, center, p.method, p.amount, p.received_at.value_or(now));
    audit::record(
        tx, ctx, "CREATE", "payment", payment_id, Json(),
        {{"invoiceId", id}, {"amount", p.amount.to_string()}, {"paymentMethod", p.method}}, center);
    const Json payload{{"invoiceId", id},
                       {"invoiceNumber", invoice.str("invoice_number")},
                       {"paymentId", payment_id},
                       {"amount", p.amount.to_string()},
                       {"balance", (grand_total - paid_after).to_string()}};
    if (to != from) {
      service::StatusChange change{"invoices", "invoice", id};
      change.service_center_id = center;
      change.set("paid_amount", paid_after.minor())
          .set("paid_at", to == InvoiceStatus::kPaid ? micros(now) : Value());
      change.audit_old = {{"paidAmount", paid_before.to_string()}};
      change.audit_new = {{"paidAmount", paid_after.to_string()}};
      change.event = {to == InvoiceStatus::kPaid ? "invoice.paid" : "payment.received", payload,
                      ""};
      service::transition(tx, ctx, kInvoiceFlow, from, to, std::move(change));
    } else {  // a further part payment: not a move
      tx.exec("UPDATE invoices SET paid_amount = ?, updated_at = ? WHERE id = ?",
              {paid_after.minor(), micros(now), id});
      audit::record(tx, ctx, "UPDATE", "invoice", id,
                    {{"status", kInvoiceFlow.name(from)}, {"paidAmount", paid_before.to_string()}},
                    {{"status", kInvoiceFlow.name(to)}, {"paidAmount", paid_after.to_string()}},
                    center);
      events::emit(tx, ctx, "payment.received", payload, center);
    }
    update_job_card(tx, ctx, invoice, to);
    if (to == InvoiceStatus::kPaid) {
      sales::record_paid_invoice(tx, ctx, id,
                                 Money::from_minor(env.settings.loyalty_spend_per_point_paise));
    } else {
      sales::record_partial_payment(tx, ctx, id);
    }
    return invoice_document(tx, load_invoice(tx, ctx, id, false), now.business_date());
  });
}

const service::MethodRegistration kRecordPayment("invoices.RecordPayment", record_payment);

}  // namespace
}  // namespace dms::billing
