// Property test: 10,000 random documents priced, each checked against the invariants of the
// rules and against an independent arbitrary-precision model (Boost cpp_int) of every rounding.
#include <catch2/catch.hpp>

#include <boost/multiprecision/cpp_int.hpp>

#include <algorithm>
#include <random>
#include <vector>

#include "dms/error.hpp"
#include "dms/pricing.hpp"

using boost::multiprecision::cpp_int;
using dms::Money;
using dms::PricedDocument;
using dms::PricedLine;

namespace {

constexpr int kDocuments = 10000;

// round(n / d) half away from zero, for n >= 0, d > 0; written on cpp_int's floor division.
int64_t model_round(const cpp_int& n, const cpp_int& d) {
  const cpp_int q = n / d, r = n % d;
  return static_cast<int64_t>(r * 2 >= d ? cpp_int(q + 1) : q);
}

class RandomDocuments {
 public:
  explicit RandomDocuments(uint64_t seed) : rng_(seed) {}

  int64_t between(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  bool chance(int percent) { return between(1, 100) <= percent; }

  // Mostly shop-sized figures; now and then huge ones that take the 128-bit paths.
  dms::LineInput line(const std::vector<dms::Percent>& slabs, bool huge) {
    dms::LineInput in;
    in.description = "Random line";
    in.hsn_sac = "87089900";
    in.type = static_cast<dms::LineType>(between(0, 4));
    in.quantity = dms::Quantity::from_units(
        huge ? between(1, 999'999) : (chance(50) ? between(1, 20) * 1000 : between(1, 50'000)));
    in.unit_price =
        Money::from_minor(huge ? between(0, 10'000'000'000'000) : between(0, 5'000'000));
    in.gst_rate = slabs[static_cast<size_t>(between(0, static_cast<int64_t>(slabs.size()) - 1))];
    const int64_t pick = between(1, 100);
    if (pick <= 25) in.discount_percent = dms::Percent::from_units(between(0, 10'000) * 100);
    if (pick > 25 && pick <= 40) {
      const int64_t gross = model_round(cpp_int(in.unit_price.minor()) * in.quantity.units(), 1000);
      in.discount_amount = Money::from_minor(between(0, gross));
    }
    return in;
  }

  dms::DocumentInput document(const std::vector<dms::Percent>& slabs) {
    dms::DocumentInput doc;
    doc.type = static_cast<dms::DocumentType>(between(0, 3));
    doc.supply = chance(50) ? dms::SupplyType::kIntraState : dms::SupplyType::kInterState;
    doc.tax_inclusive = chance(40);
    const bool huge = chance(5);
    const int64_t count = chance(10) ? between(40, 120) : between(1, 15);
    for (int64_t i = 0; i < count; ++i) doc.lines.push_back(line(slabs, huge));
    // Equal nets make equal remainders: the tie rule of the allocation.
    if (chance(10)) std::fill(doc.lines.begin(), doc.lines.end(), doc.lines.front());
    return doc;
  }

 private:
  std::mt19937_64 rng_;
};

void check_line(const dms::DocumentInput& input, size_t i, const PricedLine& l) {
  const dms::LineInput& in = input.lines[i];
  const int64_t rate = l.gst_rate.units();
  INFO("line " << i);
  CHECK(l.gross.minor() ==
        model_round(cpp_int(in.unit_price.minor()) * in.quantity.units(), cpp_int(1000)));
  if (in.discount_percent) {
    CHECK(l.line_discount.minor() ==
          model_round(cpp_int(l.gross.minor()) * in.discount_percent->units(), 1'000'000));
  }
  CHECK(l.net == l.gross - l.line_discount);
  CHECK(l.amount == l.net - l.document_discount_share);
  CHECK(!l.document_discount_share.is_negative());
  CHECK(l.document_discount_share <= l.net);
  // CGST = SGST always; one kind of tax only.
  CHECK(l.cgst == l.sgst);
  CHECK((l.igst.is_zero() || l.cgst.is_zero()));
  if (input.supply == dms::SupplyType::kIntraState) CHECK(l.igst.is_zero());
  if (input.supply == dms::SupplyType::kInterState) CHECK(l.cgst.is_zero());
  CHECK(l.total == l.taxable + l.cgst + l.sgst + l.igst);
  const cpp_int amount = l.amount.minor();
  const int64_t tax_base = input.tax_inclusive ? 1'000'000 + rate : 1'000'000;
  if (input.tax_inclusive) {
    CHECK(l.total == l.amount);
  } else {
    CHECK(l.taxable == l.amount);
  }
  if (input.supply == dms::SupplyType::kIntraState) {
    CHECK(l.cgst.minor() == model_round(amount * rate, cpp_int(2 * tax_base)));
  } else {
    CHECK(l.igst.minor() == model_round(amount * rate, cpp_int(tax_base)));
  }
}

// Rule 4 against the exact quotients: each share is the floor or the floor + 1, and the lines
// that got the extra paisa are exactly the largest remainders, earlier lines winning ties.
void check_allocation(const PricedDocument& doc, int64_t discount) {
  cpp_int sum_of_nets = 0, sum_of_shares = 0;
  for (const PricedLine& l : doc.lines) {
    sum_of_nets += l.net.minor();
    sum_of_shares += l.document_discount_share.minor();
  }
  REQUIRE(sum_of_shares == discount);
  if (discount == 0) return;
  struct Ranked {
    cpp_int remainder;
    bool got_extra;
  };
  std::vector<Ranked> ranked;
  for (const PricedLine& l : doc.lines) {
    const cpp_int exact = cpp_int(discount) * l.net.minor();
    const cpp_int floor = exact / sum_of_nets;
    const int64_t extra = l.document_discount_share.minor() - static_cast<int64_t>(floor);
    REQUIRE((extra == 0 || extra == 1));
    ranked.push_back({exact % sum_of_nets, extra == 1});
  }
  for (size_t a = 0; a < ranked.size(); ++a) {
    for (size_t b = a + 1; b < ranked.size(); ++b) {
      // a before b: if b got the paisa and a did not, b's remainder must be strictly larger.
      if (ranked[b].got_extra && !ranked[a].got_extra) {
        CHECK(ranked[b].remainder > ranked[a].remainder);
      }
      if (ranked[a].got_extra && !ranked[b].got_extra) {
        CHECK(ranked[a].remainder >= ranked[b].remainder);
      }
    }
  }
}

void check_totals(const PricedDocument& doc, bool round_off_enabled) {
  Money gross, discount, net, share, taxable, cgst, sgst, igst, total;
  for (const PricedLine& l : doc.lines) {
    gross += l.gross, discount += l.line_discount, net += l.net;
    share += l.document_discount_share, taxable += l.taxable;
    cgst += l.cgst, sgst += l.sgst, igst += l.igst, total += l.total;
  }
  const dms::DocumentTotals& t = doc.totals;
  CHECK(t.gross == gross);
  CHECK(t.line_discount == discount);
  CHECK(t.net == net);
  CHECK(t.document_discount == share);
  CHECK(t.taxable == taxable);
  CHECK(t.cgst == cgst);
  CHECK(t.sgst == sgst);
  CHECK(t.igst == igst);
  CHECK(t.total == total);
  Money summary_taxable, summary_tax;
  for (size_t i = 0; i < doc.tax_summary.size(); ++i) {
    const dms::RateSummary& s = doc.tax_summary[i];
    if (i > 0) CHECK(doc.tax_summary[i - 1].rate < s.rate);
    summary_taxable += s.taxable;
    summary_tax += s.cgst + s.sgst + s.igst;
  }
  CHECK(summary_taxable == taxable);
  CHECK(summary_tax == cgst + sgst + igst);
  CHECK(doc.round_off.abs() < Money::from_minor(100));
  CHECK(doc.grand_total == t.total + doc.round_off);
  if (round_off_enabled) CHECK(doc.grand_total.minor() % 100 == 0);
  if (!round_off_enabled) CHECK(doc.round_off.is_zero());
}

// Every figure of the credit note is the negative of the invoice's.
void check_credit_note(const PricedDocument& invoice) {
  const PricedDocument note = dms::credit_note_of(invoice);
  REQUIRE(note.lines.size() == invoice.lines.size());
  for (size_t i = 0; i < note.lines.size(); ++i) {
    const PricedLine &a = invoice.lines[i], &b = note.lines[i];
    CHECK(b.quantity == -a.quantity);
    CHECK(b.unit_price == a.unit_price);
    for (auto figure :
         {&PricedLine::gross, &PricedLine::line_discount, &PricedLine::net,
          &PricedLine::document_discount_share, &PricedLine::amount, &PricedLine::taxable,
          &PricedLine::cgst, &PricedLine::sgst, &PricedLine::igst, &PricedLine::total}) {
      CHECK((a.*figure + b.*figure).is_zero());
    }
  }
  CHECK((invoice.totals.total + note.totals.total).is_zero());
  CHECK((invoice.totals.taxable + note.totals.taxable).is_zero());
  CHECK((invoice.round_off + note.round_off).is_zero());
  CHECK((invoice.grand_total + note.grand_total).is_zero());
  for (size_t i = 0; i < note.tax_summary.size(); ++i) {
    CHECK((invoice.tax_summary[i].cgst + note.tax_summary[i].cgst).is_zero());
    CHECK((invoice.tax_summary[i].igst + note.tax_summary[i].igst).is_zero());
  }
}

}  // namespace

TEST_CASE("pricing property: 10,000 random documents keep every invariant", "[pricing][property]") {
  const dms::PricingConfig config;
  RandomDocuments random(20250101);
  int credit_notes = 0, huge = 0;
  for (int n = 0; n < kDocuments; ++n) {
    dms::DocumentInput input = random.document(config.gst_slabs);
    INFO("document " << n);
    // Price once without a document discount to learn the nets, then pick D <= their sum.
    const int64_t sum_of_nets = dms::price_document(input, config).totals.net.minor();
    const int64_t pick = random.between(1, 100);
    const int64_t discount = pick <= 50 ? 0
                             : pick <= 55
                                 ? sum_of_nets
                                 : random.between(0, std::min<int64_t>(sum_of_nets, 5'000'000));
    input.document_discount = Money::from_minor(discount);
    const PricedDocument doc = dms::price_document(input, config);
    huge += doc.totals.gross.minor() > 1'000'000'000'000 ? 1 : 0;
    REQUIRE(doc.lines.size() == input.lines.size());
    for (size_t i = 0; i < doc.lines.size(); ++i) check_line(input, i, doc.lines[i]);
    check_allocation(doc, discount);
    check_totals(doc, config.round_off(input.type));
    if (input.type == dms::DocumentType::kInvoice) {
      ++credit_notes;
      check_credit_note(doc);
    }
  }
  CHECK(credit_notes > kDocuments / 10);
  CHECK(huge > kDocuments / 100);  // the 128-bit paths were exercised
}
