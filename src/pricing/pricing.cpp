#include "dms/pricing.hpp"

#include <algorithm>
#include <array>
#include <boost/multiprecision/cpp_int.hpp>
#include <string>
#include <utility>

#include "dms/error.hpp"
#include "pricing/exact_arith.hpp"

namespace dms {

namespace pricing_detail {

QuotientRemainder mul_div_floor_slow(int64_t value, int64_t numerator, int64_t denominator) {
  using boost::multiprecision::int128_t;
  const int128_t product = int128_t(value) * numerator;
  // Both fit 64 bits: the quotient is at most `value` (numerator <= denominator where this is
  // used) and the remainder is below the denominator.
  return {static_cast<int64_t>(product / denominator), static_cast<int64_t>(product % denominator)};
}

}  // namespace pricing_detail

namespace {

using pricing_detail::checked_add;
using pricing_detail::checked_sub;
using pricing_detail::mul_div_floor;
using pricing_detail::mul_div_half_away;

// Percent holds ten-thousandths of a percent: 100 % is 1,000,000 units.
constexpr int64_t kHundredPercent = 100 * 10000;
// Quantity holds thousandths.
constexpr int64_t kQuantityOne = 1000;
// Discount percents have at most 2 places: a multiple of 100 Percent units.
constexpr int64_t kDiscountPercentStep = 100;

struct NamedType {
  const char* name;
  uint8_t value;
};
constexpr NamedType kLineTypes[] = {
    {"part", 0}, {"labour", 1}, {"service", 2}, {"vehicle", 3}, {"other", 4}};
constexpr NamedType kDocumentTypes[] = {{"quotation", 0},
                                        {"counter_order", 1},
                                        {"purchase_order", 2},
                                        {"invoice", 3},
                                        {"credit_note", 4}};

std::string line_field(size_t index, const char* name) {
  return "lines[" + std::to_string(index) + "]." + name;
}

[[noreturn]] void reject_line(size_t index, const char* name, const std::string& why) {
  std::string field = line_field(index, name);
  throw Error::Validation(field, field + ": " + why);
}

void require_currency(Money money, Currency currency, size_t index, const char* name) {
  if (money.currency() != currency) {
    reject_line(index, name,
                "is in " + money.currency().code() + ", the document in " + currency.code());
  }
}

bool is_hsn_sac(std::string_view code) {
  if (code.size() != 4 && code.size() != 6 && code.size() != 8) return false;
  return std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_configured_slab(Percent rate, const PricingConfig& config) {
  return std::find(config.gst_slabs.begin(), config.gst_slabs.end(), rate) !=
         config.gst_slabs.end();
}

// Guard clauses for everything about a line that does not depend on its figures.
void validate_line(const LineInput& line, size_t index, const PricingConfig& config,
                   Currency currency) {
  if (line.description.empty()) reject_line(index, "description", "is required");
  if (!is_hsn_sac(line.hsn_sac)) {
    reject_line(index, "hsnSac", "'" + line.hsn_sac.substr(0, 20) + "' is not 4, 6 or 8 digits");
  }
  if (line.quantity.units() <= 0) reject_line(index, "quantity", "must be positive");
  require_currency(line.unit_price, currency, index, "unitPrice");
  if (line.unit_price.is_negative()) reject_line(index, "unitPrice", "must not be negative");
  if (line.gst_rate.is_negative() || line.gst_rate.units() > kHundredPercent ||
      !is_configured_slab(line.gst_rate, config)) {
    reject_line(index, "gstRate", line.gst_rate.to_string() + " % is not a configured GST slab");
  }
  if (line.discount_percent && line.discount_amount) {
    reject_line(index, "discountAmount", "give a discount percent or an amount, not both");
  }
  if (line.discount_percent) {
    const int64_t units = line.discount_percent->units();
    if (units % kDiscountPercentStep != 0) {
      reject_line(index, "discountPercent", "has more than 2 decimal places");
    }
    if (units < 0 || units > kHundredPercent) {
      reject_line(index, "discountPercent", "must be between 0 and 100");
    }
  }
  if (line.discount_amount) {
    require_currency(*line.discount_amount, currency, index, "discountAmount");
  }
}

// Rules 1-3: gross, line discount and net, in minor units.
template <class MakeMoney>
void price_before_document_discount(const LineInput& input, size_t index, const MakeMoney& money,
                                    PricedLine& line) {
  const int64_t gross =
      mul_div_half_away(input.unit_price.minor(), input.quantity.units(), kQuantityOne);
  int64_t discount = 0;
  if (input.discount_percent) {
    discount = mul_div_half_away(gross, input.discount_percent->units(), kHundredPercent);
  } else if (input.discount_amount) {
    discount = input.discount_amount->minor();
    if (discount < 0 || discount > gross) {
      reject_line(
          index, "discountAmount",
          "must be between 0 and the line's gross " + fixed::format(gross, money.currency.scale()));
    }
  }
  line.gross = money(gross);
  line.line_discount = money(discount);
  line.net = money(gross - discount);
}

struct RankedRemainder {
  int64_t remainder;
  uint32_t index;
};

// Rule 4: the shares of `discount` pro rata to the lines' nets, each rounded down to the minor
// unit, the units left over going one each to the largest remainders (ties: the earlier line).
template <class MakeMoney>
void allocate_document_discount(int64_t discount, int64_t sum_of_nets, const MakeMoney& money,
                                std::vector<PricedLine>& lines) {
  constexpr size_t kStackLines = 32;
  std::array<RankedRemainder, kStackLines> on_stack;
  std::vector<RankedRemainder> on_heap;
  RankedRemainder* ranked = on_stack.data();
  if (lines.size() > kStackLines) {
    on_heap.resize(lines.size());
    ranked = on_heap.data();
  }
  int64_t left_over = discount;
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto share = mul_div_floor(discount, lines[i].net.minor(), sum_of_nets);
    lines[i].document_discount_share = money(share.quotient);
    left_over -= share.quotient;
    ranked[i] = {share.remainder, static_cast<uint32_t>(i)};
  }
  // 0 <= left_over < number of lines with a non-zero remainder (the remainders sum to
  // left_over x sum_of_nets and each is below sum_of_nets).
  if (left_over == 0) return;
  auto larger_first = [](const RankedRemainder& a, const RankedRemainder& b) {
    return a.remainder != b.remainder ? a.remainder > b.remainder : a.index < b.index;
  };
  RankedRemainder* const end = ranked + lines.size();
  std::nth_element(ranked, ranked + (left_over - 1), end, larger_first);
  for (RankedRemainder* r = ranked; r != ranked + left_over; ++r) {
    PricedLine& line = lines[r->index];
    line.document_discount_share = money(line.document_discount_share.minor() + 1);
  }
}

// Rules 5-7 for a line whose amount is known.
template <class MakeMoney>
void tax_line(bool tax_inclusive, SupplyType supply, const MakeMoney& money, PricedLine& line) {
  const int64_t amount = line.net.minor() - line.document_discount_share.minor();
  const int64_t rate = line.gst_rate.units();
  int64_t taxable = amount, half = 0, igst = 0;
  if (supply == SupplyType::kIntraState) {
    half = tax_inclusive ? mul_div_half_away(amount, rate, 2 * (kHundredPercent + rate))
                         : mul_div_half_away(amount, rate, 2 * kHundredPercent);
    if (tax_inclusive) taxable = amount - 2 * half;  // 2 x half <= amount / 2 + 1 (rate <= 100)
  } else {
    igst = tax_inclusive ? mul_div_half_away(amount, rate, kHundredPercent + rate)
                         : mul_div_half_away(amount, rate, kHundredPercent);
    if (tax_inclusive) taxable = amount - igst;
  }
  line.amount = money(amount);
  line.taxable = money(taxable);
  line.cgst = money(half);
  line.sgst = money(half);  // not "= line.cgst": reloading a just-written Money stalls
  line.igst = money(igst);
  line.total = money(checked_add(checked_add(checked_add(taxable, half), half), igst));
}

// Rule 8: document totals are sums of the line figures.
template <class MakeMoney>
void sum_lines(PricedDocument& doc, const MakeMoney& money) {
  struct Sums {
    int64_t gross = 0, line_discount = 0, net = 0, document_discount = 0, taxable = 0, cgst = 0,
            sgst = 0, igst = 0, total = 0;
  } sums;
  for (const PricedLine& line : doc.lines) {
    sums.gross = checked_add(sums.gross, line.gross.minor());
    sums.line_discount = checked_add(sums.line_discount, line.line_discount.minor());
    sums.net = checked_add(sums.net, line.net.minor());
    sums.document_discount =
        checked_add(sums.document_discount, line.document_discount_share.minor());
    sums.taxable = checked_add(sums.taxable, line.taxable.minor());
    sums.cgst = checked_add(sums.cgst, line.cgst.minor());
    sums.sgst = checked_add(sums.sgst, line.sgst.minor());
    sums.igst = checked_add(sums.igst, line.igst.minor());
    sums.total = checked_add(sums.total, line.total.minor());
  }
  doc.totals = {money(sums.gross),   money(sums.line_discount),
                money(sums.net),     money(sums.document_discount),
                money(sums.taxable), money(sums.cgst),
                money(sums.sgst),    money(sums.igst),
                money(sums.total)};
}

// Rule 12: the tax summary, one row per rate used, ascending.
template <class MakeMoney>
void summarise_by_rate(PricedDocument& doc, const MakeMoney& money, size_t slab_count) {
  doc.tax_summary.reserve(slab_count);
  for (const PricedLine& line : doc.lines) {
    auto it = std::find_if(doc.tax_summary.begin(), doc.tax_summary.end(),
                           [&](const RateSummary& s) { return s.rate == line.gst_rate; });
    if (it == doc.tax_summary.end()) {
      it = doc.tax_summary.insert(doc.tax_summary.end(), RateSummary{});
      it->rate = line.gst_rate;
      it->taxable = money(0);
      it->cgst = money(0);
      it->sgst = money(0);
      it->igst = money(0);
    }
    it->taxable = money(checked_add(it->taxable.minor(), line.taxable.minor()));
    it->cgst = money(checked_add(it->cgst.minor(), line.cgst.minor()));
    it->sgst = money(checked_add(it->sgst.minor(), line.sgst.minor()));
    it->igst = money(checked_add(it->igst.minor(), line.igst.minor()));
  }
  std::sort(doc.tax_summary.begin(), doc.tax_summary.end(),
            [](const RateSummary& a, const RateSummary& b) { return a.rate < b.rate; });
}

// Rule 9: round the grand total to the rupee, half up, when the document type asks for it.
void round_off(PricedDocument& doc, bool enabled) {
  doc.grand_total = enabled ? doc.totals.total.rounded(0, Rounding::kHalfUp) : doc.totals.total;
  doc.round_off = doc.grand_total - doc.totals.total;
}

void validate_document(const DocumentInput& input) {
  if (input.type == DocumentType::kCreditNote) {
    throw Error::Validation("documentType",
                            "documentType: a credit note is made from its invoice with "
                            "credit_note_of(), not priced");
  }
  if (input.document_discount.currency() != input.currency) {
    throw Error::Validation("documentDiscount", "documentDiscount: is in " +
                                                    input.document_discount.currency().code() +
                                                    ", the document in " + input.currency.code());
  }
  if (input.document_discount.is_negative()) {
    throw Error::Validation("documentDiscount", "documentDiscount: must not be negative");
  }
}

// Everything but the lines' strings.
template <class MakeMoney>
PricedDocument price_figures(const DocumentInput& input, const PricingConfig& config,
                             const MakeMoney& money) {
  validate_document(input);
  PricedDocument doc;
  doc.type = input.type;
  doc.supply = input.supply;
  doc.tax_inclusive = input.tax_inclusive;
  doc.lines.resize(input.lines.size());
  int64_t sum_of_nets = 0;
  for (size_t i = 0; i < input.lines.size(); ++i) {
    const LineInput& in = input.lines[i];
    validate_line(in, i, config, input.currency);
    PricedLine& line = doc.lines[i];
    line.type = in.type;
    line.quantity = in.quantity;
    line.unit_price = in.unit_price;
    line.gst_rate = in.gst_rate;
    line.discount_percent = in.discount_percent;
    price_before_document_discount(in, i, money, line);
    sum_of_nets = checked_add(sum_of_nets, line.net.minor());
  }
  const int64_t discount = input.document_discount.minor();
  if (discount > sum_of_nets) {
    throw Error::Validation("documentDiscount",
                            "documentDiscount: " + input.document_discount.to_string() +
                                " exceeds the sum of the lines' nets " +
                                fixed::format(sum_of_nets, input.currency.scale()));
  }
  if (discount > 0) {
    allocate_document_discount(discount, sum_of_nets, money, doc.lines);
  } else {
    for (PricedLine& line : doc.lines) line.document_discount_share = money(0);
  }
  for (PricedLine& line : doc.lines) tax_line(input.tax_inclusive, input.supply, money, line);
  sum_lines(doc, money);
  summarise_by_rate(doc, money, config.gst_slabs.size());
  round_off(doc, config.round_off(input.type));
  return doc;
}

// Money of the document's currency. INR, the currency of GST, has its own maker: with the
// currency a compile-time constant the compiler writes each figure in place, where a run-time
// currency makes it assemble the value on the stack and reload it as one 16-byte word, a
// store-forwarding stall that doubled the time per line (docs/benchmarks.md).
struct InrMoney {
  static constexpr Currency currency = Currency::inr();
  Money operator()(int64_t minor) const { return Money::from_minor(minor); }
};
struct AnyMoney {
  Currency currency;
  Money operator()(int64_t minor) const { return Money::from_minor(minor, currency); }
};

PricedDocument price_figures(const DocumentInput& input, const PricingConfig& config) {
  if (input.currency == Currency::inr()) return price_figures(input, config, InrMoney{});
  return price_figures(input, config, AnyMoney{input.currency});
}

}  // namespace

const char* line_type_name(LineType type) noexcept {
  for (const auto& t : kLineTypes) {
    if (t.value == static_cast<uint8_t>(type)) return t.name;
  }
  return "unknown";
}

std::optional<LineType> line_type_from_name(std::string_view name) noexcept {
  for (const auto& t : kLineTypes) {
    if (name == t.name) return static_cast<LineType>(t.value);
  }
  return std::nullopt;
}

const char* document_type_name(DocumentType type) noexcept {
  for (const auto& t : kDocumentTypes) {
    if (t.value == static_cast<uint8_t>(type)) return t.name;
  }
  return "unknown";
}

std::optional<DocumentType> document_type_from_name(std::string_view name) noexcept {
  for (const auto& t : kDocumentTypes) {
    if (name == t.name) return static_cast<DocumentType>(t.value);
  }
  return std::nullopt;
}

std::vector<Percent> default_gst_slabs() {
  return {Percent::from_units(0),     Percent::from_units(2500),   Percent::from_units(30000),
          Percent::from_units(50000), Percent::from_units(120000), Percent::from_units(180000),
          Percent::from_units(280000)};
}

bool PricingConfig::round_off(DocumentType type) const noexcept {
  switch (type) {
    case DocumentType::kQuotation:
      return round_off_quotation;
    case DocumentType::kCounterOrder:
      return round_off_counter_order;
    case DocumentType::kPurchaseOrder:
      return round_off_purchase_order;
    case DocumentType::kInvoice:
    case DocumentType::kCreditNote:
      return round_off_invoice;
  }
  return false;
}

PricedDocument price_document(const DocumentInput& input, const PricingConfig& config) {
  PricedDocument doc = price_figures(input, config);
  for (size_t i = 0; i < doc.lines.size(); ++i) {
    doc.lines[i].description = input.lines[i].description;
    doc.lines[i].hsn_sac = input.lines[i].hsn_sac;
  }
  return doc;
}

PricedDocument price_document(DocumentInput&& input, const PricingConfig& config) {
  PricedDocument doc = price_figures(input, config);
  for (size_t i = 0; i < doc.lines.size(); ++i) {
    doc.lines[i].description = std::move(input.lines[i].description);
    doc.lines[i].hsn_sac = std::move(input.lines[i].hsn_sac);
  }
  return doc;
}

PricedDocument credit_note_of(const PricedDocument& invoice) {
  if (invoice.type != DocumentType::kInvoice) {
    throw Error::Validation("documentType", std::string("documentType: a credit note cancels an "
                                                        "invoice, not a ") +
                                                document_type_name(invoice.type));
  }
  PricedDocument note = invoice;
  note.type = DocumentType::kCreditNote;
  for (PricedLine& line : note.lines) {
    line.quantity = -line.quantity;
    for (Money* figure :
         {&line.gross, &line.line_discount, &line.net, &line.document_discount_share, &line.amount,
          &line.taxable, &line.cgst, &line.sgst, &line.igst, &line.total}) {
      *figure = -*figure;
    }
  }
  DocumentTotals& t = note.totals;
  for (Money* figure : {&t.gross, &t.line_discount, &t.net, &t.document_discount, &t.taxable,
                        &t.cgst, &t.sgst, &t.igst, &t.total}) {
    *figure = -*figure;
  }
  for (RateSummary& s : note.tax_summary) {
    for (Money* figure : {&s.taxable, &s.cgst, &s.sgst, &s.igst}) *figure = -*figure;
  }
  note.round_off = -note.round_off;
  note.grand_total = -note.grand_total;
  return note;
}

}  // namespace dms
