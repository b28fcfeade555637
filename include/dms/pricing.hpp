// Pricing and GST: turns document lines into exact line figures, totals and a tax summary.
//
// One engine prices and taxes quotations, counter orders, purchase orders and invoices, and
// derives credit notes from invoices. The rules are in docs/tax.md; in short, per line
// gross = round(q x p), a line discount, a pro-rata share of the document discount, then CGST +
// SGST (intra-state) or IGST (inter-state) on tax-exclusive or tax-inclusive prices; document
// totals are sums of line figures; invoices may round the grand total to the rupee. Every
// rounding is half away from zero to the currency's minor unit (the paisa) except the round-off,
// which is half up to the major unit.
//
// The engine is pure: no storage, no clock, no global state. Bad input raises
// Error(kValidation) naming the field ("lines[2].discountPercent"); figures too large for 64 bits
// raise Error(kOutOfRange). The happy path throws nothing and allocates per document, not per
// line (apart from copying the lines' strings).
//
// Thread-safety: pure functions and value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dms/gst.hpp"
#include "dms/money.hpp"
#include "dms/quantity.hpp"

namespace dms {

enum class LineType : uint8_t { kPart, kLabour, kService, kVehicle, kOther };
enum class DocumentType : uint8_t {
  kQuotation,
  kCounterOrder,
  kPurchaseOrder,
  kInvoice,
  kCreditNote,  // only made by credit_note_of(); price_document() rejects it
};

// Wire names: "part", "labour", "service", "vehicle", "other"; "quotation", "counter_order",
// "purchase_order", "invoice", "credit_note". The parsers return nullopt for anything else.
const char* line_type_name(LineType type) noexcept;
std::optional<LineType> line_type_from_name(std::string_view name) noexcept;
const char* document_type_name(DocumentType type) noexcept;
std::optional<DocumentType> document_type_from_name(std::string_view name) noexcept;

// The GST slabs in force: 0, 0.25, 3, 5, 12, 18 and 28 %.
std::vector<Percent> default_gst_slabs();

struct PricingConfig {
  // The only rates a line may carry, each between 0 and 100 %.
  std::vector<Percent> gst_slabs = default_gst_slabs();
  // Whether the grand total is rounded to the rupee (CGST Act s.170), per document type.
  bool round_off_quotation = false;
  bool round_off_counter_order = true;
  bool round_off_purchase_order = false;
  bool round_off_invoice = true;

  bool round_off(DocumentType type) const noexcept;
};

struct LineInput {
  std::string description;  // required
  std::string hsn_sac;      // HSN (goods) or SAC (services) code: 4, 6 or 8 digits
  LineType type = LineType::kPart;
  Quantity quantity;  // > 0, up to 3 places
  Money unit_price;   // >= 0; tax-inclusive when the document says so
  Percent gst_rate;   // one of PricingConfig::gst_slabs
  // At most one of the two. A percent has up to 2 places, 0 to 100; an amount is taken as given.
  // Either way the discount must lie between 0 and the line's gross.
  std::optional<Percent> discount_percent;
  std::optional<Money> discount_amount;
};

struct DocumentInput {
  DocumentType type = DocumentType::kInvoice;
  SupplyType supply = SupplyType::kIntraState;  // see determine_supply()
  bool tax_inclusive = false;                   // counter sales quote prices including GST
  Currency currency = Currency::inr();          // every amount must be in it
  Money document_discount;                      // 0 <= D <= the sum of the lines' nets
  std::vector<LineInput> lines;
};

// Every figure of one line. For a tax-exclusive line taxable == amount; for a tax-inclusive one
// taxable + cgst + sgst + igst == amount. Always cgst == sgst, and igst == 0 or cgst == 0.
struct PricedLine {
  // User-provided so that growing a vector of lines does not zero-fill each one before
  // constructing it (a measurable share of the time per line).
  PricedLine() noexcept {}

  std::string description;
  std::string hsn_sac;
  LineType type = LineType::kPart;
  Quantity quantity;  // negative on a credit note
  Money unit_price;
  Percent gst_rate;
  std::optional<Percent> discount_percent;

  Money gross;                    // round(quantity x unit_price)
  Money line_discount;            // from the percent or the amount
  Money net;                      // gross - line_discount
  Money document_discount_share;  // this line's part of the document discount
  Money amount;                   // net - document_discount_share
  Money taxable;
  Money cgst;
  Money sgst;
  Money igst;
  Money total;  // taxable + cgst + sgst + igst
};

// Sums of the line figures, never recomputed from other totals.
struct DocumentTotals {
  Money gross;
  Money line_discount;
  Money net;
  Money document_discount;
  Money taxable;  // the "subtotal" of an Indian invoice
  Money cgst;
  Money sgst;
  Money igst;
  Money total;
};

// One row of the tax summary an invoice prints: sums over the lines of one rate.
struct RateSummary {
  Percent rate;
  Money taxable;
  Money cgst;
  Money sgst;
  Money igst;
};

struct PricedDocument {
  DocumentType type = DocumentType::kInvoice;
  SupplyType supply = SupplyType::kIntraState;
  bool tax_inclusive = false;
  std::vector<PricedLine> lines;
  DocumentTotals totals;
  std::vector<RateSummary> tax_summary;  // ascending by rate, only the rates used
  Money round_off;                       // grand_total - totals.total; |round_off| < 1 rupee
  Money grand_total;                     // what the customer pays
};

// Prices and taxes a document. Error(kValidation) naming the field for invalid input.
PricedDocument price_document(const DocumentInput& input, const PricingConfig& config);
// Same, moving the lines' strings instead of copying them.
PricedDocument price_document(DocumentInput&& input, const PricingConfig& config);

// The credit note that cancels `invoice`: every figure negated, line by line (quantities too;
// unit prices and rates stay as they are). Nothing is re-rounded, so the two documents add up
// to exactly zero. Error(kValidation, "documentType") unless `invoice` is an invoice.
PricedDocument credit_note_of(const PricedDocument& invoice);

}  // namespace dms
