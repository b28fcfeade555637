// Invoices and credit notes in storage: pricing draft lines with the GST engine, writing and
// reading the priced figures, and the response documents. Used by the invoices.* and payments
// services in src/billing/.
//
// The stored figures are the pricing engine's output, line by line; totals are the engine's sums
// of those lines. A finalized document is never re-priced: a credit note is derived from the
// stored figures with credit_note_of(), so the two add up to exactly zero.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "billing/invoice_rules.hpp"
#include "dms/context.hpp"
#include "dms/json.hpp"
#include "dms/pricing.hpp"
#include "service/centers.hpp"
#include "service/rows.hpp"
#include "storage/store.hpp"
#include "workshop/billing_api.hpp"

namespace dms::billing {

using storage::Value;

// One line of a draft: what the pricing engine needs, plus where the line came from.
struct DraftLine {
  LineInput input;
  std::optional<std::string> part_id;  // a catalog part: stock moves with the invoice
  bool is_warranty = false;
  std::optional<std::string> job_card_service_id;
  std::optional<std::string> job_card_part_id;
};

// Who is billed: a snapshot stored with the invoice, and what decides the place of supply.
struct BilledParty {
  std::optional<std::string> customer_id;
  Json details;  // {name, phone, email, address, cityState, pincode, gstin, customerType}
  std::optional<std::string> gstin;
  std::optional<std::string> state_text;  // a state name or code from the address
};

// The snapshot of a stored customer.
BilledParty party_of_customer(const workshop::CustomerContact& customer);

struct SupplyDecision {
  std::string supplier_state_code;
  std::optional<std::string> place_of_supply;  // the customer's state code, when known
  SupplyType supply = SupplyType::kIntraState;
};

// The center's GST state against the customer's place of supply (GSTIN state, else the state in
// the address; with neither the supply is intra-state). SERVICE_CENTER_NO_GST_STATE when the center
// has no GST state on record.
SupplyDecision decide_supply(const service::ServiceCenterInfo& center, const BilledParty& party);

// The pricing engine's invoice configuration (grand total rounded to the rupee).
const PricingConfig& invoice_pricing();

// `prices_include_tax`: the lines' unit prices include GST (docs/tax.md, tax-inclusive lines).
PricedDocument price_draft(const std::vector<DraftLine>& lines, SupplyType supply,
                           Money document_discount, bool prices_include_tax = false);

// Replaces the document's lines and totals with `priced`.
void write_priced(storage::Transaction& tx, const std::string& invoice_id,
                  const std::vector<DraftLine>& lines, const PricedDocument& priced, Timestamp now);
// Writes the lines of a credit note (figures already negated) copying the sources of the
// invoice's lines.
void write_credit_lines(storage::Transaction& tx, const std::string& note_id,
                        const storage::Rows& invoice_lines, const PricedDocument& note);

// The stored figures as a PricedDocument (for credit notes).
PricedDocument read_priced(storage::Transaction& tx, const storage::Row& invoice);
storage::Rows read_lines(storage::Transaction& tx, const std::string& invoice_id);

// The next number of a center's invoice or credit-note series for `date`'s financial year,
// allocated in the caller's transaction (gapless: a rollback returns it).
struct DocumentNumber {
  std::string number;
  FinancialYear year;
  int64_t sequence;
};
DocumentNumber allocate_number(storage::Transaction& tx, DocumentSeries series,
                               const service::ServiceCenterInfo& center, Date date);

// An invoice or credit note the actor may see (NOT_FOUND naming `field` otherwise).
storage::Row load_invoice(storage::Transaction& tx, const Context& ctx, const std::string& id,
                          bool lock, std::string_view field = "id");
InvoiceStatus invoice_status(const storage::Row& invoice);

// The header document (for lists): figures, balance, isOverdue as of `today`.
Json invoice_json(const storage::Row& row, Date today);
// What a document shows beyond its header: "items", "taxSummary" and "payments".
Json invoice_details(storage::Transaction& tx, const storage::Row& invoice);
// The header plus lines, tax summary and payments.
Json invoice_document(storage::Transaction& tx, const storage::Row& row, Date today);

}  // namespace dms::billing
