// Pricing engine: the examples of the issue, input validation and the API's small contracts.
// The full rule coverage is in the fixtures (test_pricing_fixtures.cpp) and the property test.
#include <catch2/catch.hpp>

#include <limits>
#include <string>

#include "dms/error.hpp"
#include "dms/pricing.hpp"

using dms::DocumentInput;
using dms::LineInput;
using dms::Money;
using dms::Percent;
using dms::Quantity;

namespace {

LineInput part(const char* quantity, const char* unit_price, const char* rate) {
  LineInput line;
  line.description = "Brake pad set";
  line.hsn_sac = "87083000";
  line.quantity = Quantity::parse(quantity);
  line.unit_price = Money::parse(unit_price);
  line.gst_rate = Percent::parse(rate);
  return line;
}

DocumentInput one_line(LineInput line) {
  DocumentInput doc;
  doc.lines.push_back(std::move(line));
  return doc;
}

// The error `doc` raises, as "CODE field".
std::string rejection(const DocumentInput& doc, const dms::PricingConfig& config = {}) {
  try {
    dms::price_document(doc, config);
  } catch (const dms::Error& e) {
    return std::string(e.info().name) + " " + e.field();
  }
  return "(accepted)";
}

}  // namespace

TEST_CASE("pricing: the issue's examples", "[pricing]") {
  SECTION("seed 002's purchase order") {
    DocumentInput po = one_line(part("100", "40000.00", "18"));
    po.type = dms::DocumentType::kPurchaseOrder;
    const dms::PricedDocument doc = dms::price_document(po, {});
    CHECK(doc.totals.taxable.to_string() == "4000000.00");
    CHECK(doc.totals.cgst.to_string() == "360000.00");
    CHECK(doc.totals.sgst.to_string() == "360000.00");
    CHECK(doc.totals.total.to_string() == "4720000.00");
    CHECK(doc.round_off.is_zero());
  }
  SECTION("1 x 100.00 tax-inclusive at 18 % intra-state") {
    DocumentInput sale = one_line(part("1", "100.00", "18"));
    sale.type = dms::DocumentType::kCounterOrder;
    sale.tax_inclusive = true;
    const dms::PricedLine line = dms::price_document(sale, {}).lines.at(0);
    CHECK(line.cgst.to_string() == "7.63");
    CHECK(line.sgst.to_string() == "7.63");
    CHECK(line.taxable.to_string() == "84.74");
    CHECK(line.total.to_string() == "100.00");
  }
  SECTION("1.5 x 333.33") {
    CHECK(dms::price_document(one_line(part("1.5", "333.33", "18")), {}).lines[0].gross ==
          Money::parse("500.00"));
  }
}

TEST_CASE("pricing: each invalid input names its field", "[pricing]") {
  CHECK(rejection(one_line(part("1", "10.00", "18"))) == "(accepted)");

  LineInput no_description = part("1", "10.00", "18");
  no_description.description.clear();
  CHECK(rejection(one_line(no_description)) == "VALIDATION_ERROR lines[0].description");

  for (const char* code : {"", "871", "87083", "8708300X", "870830001"}) {
    LineInput bad_code = part("1", "10.00", "18");
    bad_code.hsn_sac = code;
    INFO(code);
    CHECK(rejection(one_line(bad_code)) == "VALIDATION_ERROR lines[0].hsnSac");
  }
  CHECK(rejection(one_line(part("0", "10.00", "18"))) == "VALIDATION_ERROR lines[0].quantity");
  CHECK(rejection(one_line(part("-1", "10.00", "18"))) == "VALIDATION_ERROR lines[0].quantity");
  CHECK(rejection(one_line(part("1", "-0.01", "18"))) == "VALIDATION_ERROR lines[0].unitPrice");
  CHECK(rejection(one_line(part("1", "10.00", "-18"))) == "VALIDATION_ERROR lines[0].gstRate");
  CHECK(rejection(one_line(part("1", "10.00", "18.5"))) == "VALIDATION_ERROR lines[0].gstRate");

  LineInput dollars = part("1", "10.00", "18");
  dollars.unit_price = Money::from_minor(1000, dms::Currency::from_code("USD"));
  CHECK(rejection(one_line(dollars)) == "VALIDATION_ERROR lines[0].unitPrice");

  LineInput negative_discount = part("1", "10.00", "18");
  negative_discount.discount_amount = Money::parse("-0.01");
  CHECK(rejection(one_line(negative_discount)) == "VALIDATION_ERROR lines[0].discountAmount");
  LineInput negative_percent = part("1", "10.00", "18");
  negative_percent.discount_percent = Percent::parse("-1");
  CHECK(rejection(one_line(negative_percent)) == "VALIDATION_ERROR lines[0].discountPercent");

  DocumentInput negative_document_discount = one_line(part("1", "10.00", "18"));
  negative_document_discount.document_discount = Money::parse("-1.00");
  CHECK(rejection(negative_document_discount) == "VALIDATION_ERROR documentDiscount");

  DocumentInput credit_note = one_line(part("1", "10.00", "18"));
  credit_note.type = dms::DocumentType::kCreditNote;
  CHECK(rejection(credit_note) == "VALIDATION_ERROR documentType");

  // The second line is the one named.
  DocumentInput two = one_line(part("1", "10.00", "18"));
  two.lines.push_back(part("1", "10.00", "7"));
  CHECK(rejection(two) == "VALIDATION_ERROR lines[1].gstRate");
}

TEST_CASE("pricing: figures beyond 64 bits are OUT_OF_RANGE, not wrapped", "[pricing]") {
  LineInput huge = part("1000000", "1.00", "18");
  huge.unit_price = Money::from_minor(std::numeric_limits<int64_t>::max() / 10);
  CHECK(rejection(one_line(huge)) == "OUT_OF_RANGE amount");

  DocumentInput many = one_line(part("1", "1.00", "18"));
  many.lines[0].unit_price = Money::from_minor(std::numeric_limits<int64_t>::max() / 2);
  many.lines.push_back(many.lines[0]);
  many.lines.push_back(many.lines[0]);
  CHECK(rejection(many) == "OUT_OF_RANGE amount");
}

TEST_CASE("pricing: empty documents, credit notes, names and defaults", "[pricing]") {
  const dms::PricedDocument empty = dms::price_document(DocumentInput{}, {});
  CHECK(empty.lines.empty());
  CHECK(empty.tax_summary.empty());
  CHECK(empty.grand_total.is_zero());

  DocumentInput quote = one_line(part("1", "10.00", "18"));
  quote.type = dms::DocumentType::kQuotation;
  try {
    dms::credit_note_of(dms::price_document(quote, {}));
    FAIL("a credit note of a quotation");
  } catch (const dms::Error& e) {
    CHECK(e.field() == "documentType");
  }

  for (auto type : {dms::LineType::kPart, dms::LineType::kLabour, dms::LineType::kService,
                    dms::LineType::kVehicle, dms::LineType::kOther}) {
    CHECK(dms::line_type_from_name(dms::line_type_name(type)) == type);
  }
  CHECK_FALSE(dms::line_type_from_name("Part").has_value());
  for (auto type : {dms::DocumentType::kQuotation, dms::DocumentType::kCounterOrder,
                    dms::DocumentType::kPurchaseOrder, dms::DocumentType::kInvoice,
                    dms::DocumentType::kCreditNote}) {
    CHECK(dms::document_type_from_name(dms::document_type_name(type)) == type);
  }

  const dms::PricingConfig config;
  REQUIRE(config.gst_slabs.size() == 7);
  CHECK(config.gst_slabs[1] == Percent::parse("0.25"));
  CHECK(config.gst_slabs[6] == Percent::parse("28"));
  CHECK(config.round_off(dms::DocumentType::kInvoice));
  CHECK(config.round_off(dms::DocumentType::kCounterOrder));
  CHECK_FALSE(config.round_off(dms::DocumentType::kQuotation));
  CHECK_FALSE(config.round_off(dms::DocumentType::kPurchaseOrder));
}
