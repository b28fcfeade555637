// Data-driven regression tests of the pricing engine: every tests/data/pricing/*.json holds an
// input document and the figures (or the validation error) the rules require. The expected
// figures come from tests/data/pricing/make_fixtures.py, an independent model in Python's decimal.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "dms/error.hpp"
#include "dms/gst.hpp"
#include "dms/pricing.hpp"

using nlohmann::json;

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> fixture_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(DMS_TEST_DATA_DIR) / "pricing")) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

json read_json(const fs::path& path) {
  std::ifstream in(path);
  return json::parse(in);
}

std::optional<std::string_view> optional_text(const json& doc, const char* key) {
  if (!doc.contains(key)) return std::nullopt;
  return std::string_view(doc[key].get_ref<const std::string&>());
}

dms::LineInput line_from(const json& j) {
  dms::LineInput line;
  line.description = j.at("description").get<std::string>();
  line.hsn_sac = j.at("hsnSac").get<std::string>();
  line.type = dms::line_type_from_name(j.at("type").get<std::string>()).value();
  line.quantity = dms::Quantity::parse(j.at("quantity").get<std::string>());
  line.unit_price = dms::Money::parse(j.at("unitPrice").get<std::string>());
  line.gst_rate = dms::Percent::parse(j.at("gstRate").get<std::string>());
  if (j.contains("discountPercent")) {
    line.discount_percent = dms::Percent::parse(j["discountPercent"].get<std::string>());
  }
  if (j.contains("discountAmount")) {
    line.discount_amount = dms::Money::parse(j["discountAmount"].get<std::string>());
  }
  return line;
}

// Builds the input; rule 10 runs here when the fixture gives states instead of a supply type.
dms::DocumentInput document_from(const json& doc) {
  dms::DocumentInput input;
  input.type = dms::document_type_from_name(doc.at("documentType").get<std::string>()).value();
  input.tax_inclusive = doc.value("taxInclusive", false);
  input.document_discount = dms::Money::parse(doc.value("documentDiscount", std::string("0")));
  if (doc.contains("supply")) {
    input.supply = doc["supply"] == "inter_state" ? dms::SupplyType::kInterState
                                                  : dms::SupplyType::kIntraState;
  } else {
    input.supply = dms::determine_supply(doc.at("supplierState").get<std::string>(),
                                         optional_text(doc, "customerGstin"),
                                         optional_text(doc, "customerState"));
  }
  for (const json& line : doc.at("lines")) input.lines.push_back(line_from(line));
  return input;
}

dms::PricingConfig config_from(const json& fixture) {
  dms::PricingConfig config;
  if (!fixture.contains("config")) return config;
  const json& c = fixture["config"];
  if (c.contains("gstSlabs")) {
    config.gst_slabs.clear();
    for (const json& slab : c["gstSlabs"]) {
      config.gst_slabs.push_back(dms::Percent::parse(slab.get<std::string>()));
    }
  }
  if (c.contains("roundOff")) {
    const json& r = c["roundOff"];
    config.round_off_quotation = r.value("quotation", config.round_off_quotation);
    config.round_off_counter_order = r.value("counter_order", config.round_off_counter_order);
    config.round_off_purchase_order = r.value("purchase_order", config.round_off_purchase_order);
    config.round_off_invoice = r.value("invoice", config.round_off_invoice);
  }
  return config;
}

// The engine's result in the fixtures' shape, so that a mismatch prints as a readable diff.
json to_json(const dms::PricedDocument& doc) {
  json out;
  out["supply"] = dms::supply_type_name(doc.supply);
  out["lines"] = json::array();
  for (const dms::PricedLine& l : doc.lines) {
    out["lines"].push_back({{"gross", l.gross.to_string()},
                            {"lineDiscount", l.line_discount.to_string()},
                            {"net", l.net.to_string()},
                            {"documentDiscountShare", l.document_discount_share.to_string()},
                            {"amount", l.amount.to_string()},
                            {"taxable", l.taxable.to_string()},
                            {"cgst", l.cgst.to_string()},
                            {"sgst", l.sgst.to_string()},
                            {"igst", l.igst.to_string()},
                            {"total", l.total.to_string()}});
  }
  const dms::DocumentTotals& t = doc.totals;
  out["totals"] = {
      {"gross", t.gross.to_string()},     {"lineDiscount", t.line_discount.to_string()},
      {"net", t.net.to_string()},         {"documentDiscount", t.document_discount.to_string()},
      {"taxable", t.taxable.to_string()}, {"cgst", t.cgst.to_string()},
      {"sgst", t.sgst.to_string()},       {"igst", t.igst.to_string()},
      {"total", t.total.to_string()}};
  out["taxSummary"] = json::array();
  for (const dms::RateSummary& s : doc.tax_summary) {
    out["taxSummary"].push_back({{"rate", s.rate.to_string()},
                                 {"taxable", s.taxable.to_string()},
                                 {"cgst", s.cgst.to_string()},
                                 {"sgst", s.sgst.to_string()},
                                 {"igst", s.igst.to_string()}});
  }
  out["roundOff"] = doc.round_off.to_string();
  out["grandTotal"] = doc.grand_total.to_string();
  return out;
}

// Descriptive fields pass through unchanged, credit note or not.
void check_line_identity(const dms::DocumentInput& input, const dms::PricedDocument& doc) {
  REQUIRE(doc.lines.size() == input.lines.size());
  for (size_t i = 0; i < doc.lines.size(); ++i) {
    CHECK(doc.lines[i].description == input.lines[i].description);
    CHECK(doc.lines[i].hsn_sac == input.lines[i].hsn_sac);
    CHECK(doc.lines[i].type == input.lines[i].type);
    CHECK(doc.lines[i].gst_rate == input.lines[i].gst_rate);
  }
}

void check_rejection(const json& fixture) {
  const json& expected = fixture["expectedError"];
  try {
    const dms::DocumentInput input = document_from(fixture.at("document"));
    dms::price_document(input, config_from(fixture));
    FAIL("accepted a document that must be rejected");
  } catch (const dms::Error& e) {
    INFO(e.what());
    CHECK(e.info().name == expected.at("code").get<std::string>());
    CHECK(e.field() == expected.at("field").get<std::string>());
  }
}

void check_figures(const json& fixture) {
  dms::DocumentInput input = document_from(fixture.at("document"));
  const dms::PricedDocument doc = dms::price_document(input, config_from(fixture));
  const json actual = to_json(doc);
  INFO("engine:   " << actual.dump());
  INFO("expected: " << fixture.at("expected").dump());
  CHECK(actual == fixture.at("expected"));
  check_line_identity(input, doc);
  if (fixture.contains("expectedCreditNote")) {
    const dms::PricedDocument note = dms::credit_note_of(doc);
    CHECK(note.type == dms::DocumentType::kCreditNote);
    CHECK(to_json(note) == fixture["expectedCreditNote"]);
    check_line_identity(input, note);
  }
  // The moving overload gives the same figures.
  CHECK(to_json(dms::price_document(std::move(input), config_from(fixture))) == actual);
}

}  // namespace

TEST_CASE("pricing fixtures: every file's figures match the rules", "[pricing][fixtures]") {
  const std::vector<fs::path> files = fixture_files();
  REQUIRE(files.size() >= 30);
  size_t rejections = 0, credit_notes = 0;
  for (const fs::path& path : files) {
    INFO("fixture " << path.filename().string());
    const json fixture = read_json(path);
    if (fixture.contains("expectedError")) {
      ++rejections;
      check_rejection(fixture);
    } else {
      credit_notes += fixture.contains("expectedCreditNote") ? 1 : 0;
      check_figures(fixture);
    }
  }
  CHECK(rejections >= 5);
  CHECK(credit_notes >= 3);
}
