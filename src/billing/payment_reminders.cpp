// Payment reminders (issue 13, item 5; seed 000 sections 4.9.2 and 6.5.3): job kind
// payment_reminders. As of the run's local date, every finalized invoice (FINALIZED or
// PARTIALLY_PAID) with a balance whose due date has passed (billing/invoice_rules.hpp: the due
// date is set at finalize, from the request's dueDate or paymentTermDays, default 15 days after
// the invoice date) is reminded once per step of the cadence: config {"daysAfterDue": [1, 7,
// 15, 30]} (ascending positive days). On a run, an invoice d days overdue is at the largest step
// <= d; if no reminder was recorded for that step (or a later one) it gets one: a row in
// payment_reminders (UNIQUE (invoice_id, step_days), so a re-run of the slot or the same day
// repeats nothing), an audit row PAYMENT_REMINDER on the invoice, and the event
// invoice.payment_reminder {invoiceId, invoiceNumber, customerId, balanceDue, daysOverdue},
// which the notify rules turn into the customer's e-mail/SMS. Steps skipped while the job was
// not running are not sent late: only the current one is.
#include <algorithm>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "billing/workflows.hpp"
#include "dms/error.hpp"
#include "dms/money.hpp"
#include "events/outbox.hpp"
#include "jobs/jobs.hpp"
#include "service/rows.hpp"
#include "service/transition.hpp"

namespace dms::billing {
namespace {

const storage::MigrationRegistration kReminders({454, "billing: payment reminders sent", R"SQL(
CREATE TABLE payment_reminders (
  id TEXT PRIMARY KEY,
  invoice_id TEXT NOT NULL REFERENCES invoices(id),
  service_center_id TEXT NOT NULL,
  customer_id TEXT,
  step_days BIGINT NOT NULL,
  days_overdue BIGINT NOT NULL,
  balance_due BIGINT NOT NULL,
  as_of_date TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (invoice_id, step_days)
);
CREATE INDEX idx_payment_reminders_invoice ON payment_reminders(invoice_id, step_days);
)SQL"});

constexpr int64_t kMaxStepDays = 3650;

std::vector<int64_t> cadence_of(const Json& config) {
  if (!config.contains("daysAfterDue")) return {1, 7, 15, 30};
  const Json& steps = config["daysAfterDue"];
  if (!steps.is_array() || steps.empty() || steps.size() > 50) {
    throw Error::Validation("config.daysAfterDue",
                            "daysAfterDue must be a non-empty array of at most 50 day counts");
  }
  std::vector<int64_t> out;
  for (const Json& s : steps) {
    if (!s.is_number_integer() || s.get<int64_t>() < 1 || s.get<int64_t>() > kMaxStepDays) {
      throw Error::Validation("config.daysAfterDue",
                              "daysAfterDue holds whole days between 1 and 3650");
    }
    if (!out.empty() && s.get<int64_t>() <= out.back()) {
      throw Error::Validation("config.daysAfterDue", "daysAfterDue must be strictly ascending");
    }
    out.push_back(s.get<int64_t>());
  }
  return out;
}

void check_config(const Json& config) {
  cadence_of(config);
}

Json send_payment_reminders(storage::Transaction& tx, const jobs::JobRun& run) {
  const Context& ctx = *run.ctx;
  const std::vector<int64_t> cadence = cadence_of(run.config);
  const Date as_of = run.local_date();
  std::vector<storage::Value> params =
      service::names_of(kInvoiceFlow, {InvoiceStatus::kFinalized, InvoiceStatus::kPartiallyPaid});
  params.emplace_back(as_of.to_string());
  const storage::Rows invoices = tx.query(
      "SELECT i.id, i.invoice_number, i.service_center_id, i.customer_id, i.due_date, "
      "i.grand_total, i.paid_amount, (SELECT MAX(r.step_days) FROM payment_reminders r WHERE "
      "r.invoice_id = i.id) AS last_step FROM invoices i WHERE i.document_type = 'INVOICE' AND "
      "i.status IN (?, ?) AND i.due_date < ? AND i.grand_total > i.paid_amount "
      "ORDER BY i.due_date, i.invoice_number",
      params);
  int64_t sent = 0;
  Json invoice_ids = Json::array();
  for (const storage::Row& inv : invoices) {
    const int64_t days =
        as_of.days_since_epoch() - Date::parse(inv.str("due_date")).days_since_epoch();
    int64_t step = 0;
    for (int64_t s : cadence) {
      if (s <= days) step = s;
    }
    if (step == 0) continue;
    if (auto last = inv.opt_i64("last_step"); last && *last >= step) continue;
    const Money balance = rows::money_of(inv, "grand_total") - rows::money_of(inv, "paid_amount");
    const std::string id = inv.str("id");
    const std::string center = inv.str("service_center_id");
    tx.exec(
        "INSERT INTO payment_reminders (id, invoice_id, service_center_id, customer_id, "
        "step_days, days_overdue, balance_due, as_of_date, created_at) VALUES (?, ?, ?, ?, ?, ?, "
        "?, ?, ?)",
        {storage::new_id(), id, center, rows::text(inv.opt_str("customer_id")), step, days,
         balance.minor(), as_of.to_string(), ctx.now().unix_micros()});
    const Json payload = {{"invoiceId", id},
                          {"invoiceNumber", inv.str("invoice_number")},
                          {"customerId", rows::text_json(inv, "customer_id")},
                          {"balanceDue", balance.to_string()},
                          {"daysOverdue", days}};
    audit::record(tx, ctx, "PAYMENT_REMINDER", "invoice", id, Json::object(),
                  {{"stepDays", step}, {"daysOverdue", days}, {"balanceDue", balance.to_string()}},
                  center);
    events::emit(tx, ctx, "invoice.payment_reminder", payload, center);
    ++sent;
    invoice_ids.push_back(id);
  }
  return {{"asOfDate", as_of.to_string()}, {"sent", sent}, {"invoiceIds", invoice_ids}};
}

const jobs::JobRegistration kJob("payment_reminders", send_payment_reminders, check_config);

}  // namespace
}  // namespace dms::billing
