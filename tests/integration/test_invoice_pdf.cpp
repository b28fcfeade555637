// invoices.Pdf and invoices.Send on both engines: the GST tax invoice and credit note carry every
// CGST rule 46 particular (read back with pdftotext), the UPI QR code's link, the amount in words;
// drafts have no PDF; Send queues an e-mail with purpose "invoice" in the outbox. The PDFs are
// left in $DMS_EXPORT_DIR when it is set (tests/python/test_export_readback.py renders them).
#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "billing/invoice_pdf.hpp"
#include "render/base64.hpp"
#include "workshop_fixture.hpp"

using namespace dms;
using dms::test::caught;

namespace {

std::string out_dir() {
  const char* dir = std::getenv("DMS_EXPORT_DIR");
  std::string d =
      dir && *dir ? dir : (std::filesystem::temp_directory_path() / "dms-exports").string();
  std::filesystem::create_directories(d);
  return d;
}

std::string write_file(const std::string& name, const std::string& bytes) {
  const std::string path = out_dir() + "/" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

// The text of a PDF by poppler's pdftotext (poppler-utils is a build dependency: no skipping).
std::string pdf_text(const std::string& path) {
  const std::string command = "pdftotext -layout '" + path + "' - 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  REQUIRE(pipe);
  std::string out;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe.get())) > 0) out.append(buf.data(), n);
  return out;
}

Json decoded_pdf(const Json& file) {
  REQUIRE(file["contentType"] == "application/pdf");
  const auto bytes = render::base64_decode(file["content"].get<std::string>());
  REQUIRE(bytes);
  REQUIRE(bytes->rfind("%PDF-", 0) == 0);
  return Json{{"filename", file["filename"]}, {"bytes", *bytes}};
}

}  // namespace

TEST_CASE("invoice pdf: amount in words and the UPI link", "[exports]") {
  CHECK(billing::amount_in_words(Money::parse("118000.50")) ==
        "Rupees One Lakh Eighteen Thousand and Fifty Paise Only");
  CHECK(billing::amount_in_words(Money::parse("0.05")) == "Rupees Zero and Five Paise Only");
  CHECK(billing::amount_in_words(Money::parse("-1180")) ==
        "Rupees One Thousand One Hundred Eighty Only");
  CHECK(billing::amount_in_words(Money::parse("12345678901.99")) ==
        "Rupees One Thousand Two Hundred Thirty Four Crore Fifty Six Lakh Seventy Eight Thousand "
        "Nine Hundred One and Ninety Nine Paise Only");
  CHECK(billing::amount_in_words(Money::parse("10000000")) == "Rupees One Crore Only");
  CHECK(billing::upi_payment_link("dealer@okaxis", "SC001 Motors & Sons", Money::parse("1180"),
                                  "SC001/2526/00001") ==
        "upi://pay?pa=dealer%40okaxis&pn=SC001%20Motors%20%26%20Sons&am=1180.00&cu=INR&tn=SC001%"
        "2F2526%2F00001");
  CHECK(render::base64_encode("ab") == "YWI=");
  CHECK(render::base64_decode("YWJj") == std::optional<std::string>("abc"));
  CHECK_FALSE(render::base64_decode("YW=j"));
}

TEST_CASE("invoice pdf: every rule 46 particular, credit notes, sending", "[exports]") {
  const auto engine = GENERATE(dms::test::engines());
  test::WorkshopFixture f(engine);
  const std::string suffix = storage::engine_name(engine);
  const std::string center_gstin = test::valid_gstin("27", "AAACD1234F");
  f.call(f.system, "serviceCenters.Update",
         {{"id", f.center_id},
          {"name", "Deccan Motors Pune"},
          {"gstin", center_gstin},
          {"phone", "+912025550100"},
          {"email", "accounts@deccan.example"},
          {"upiId", "deccanmotors@okaxis"},
          {"address",
           {{"street", "Plot 7, MIDC Bhosari"},
            {"city", "Pune"},
            {"zipCode", "411026"},
            {"stateCode", "27"}}}});
  CHECK(caught([&] {
          f.call(f.system, "serviceCenters.Update", {{"id", f.center_id}, {"upiId", "no-at"}});
        }).field == "upiId");
  CHECK(f.call(f.system, "serviceCenters.Get", {{"id", f.center_id}})["upiId"] ==
        "deccanmotors@okaxis");

  // A registered business customer in Karnataka: inter-state, IGST.
  const std::string customer_gstin = test::valid_gstin("29", "AABCK9876Q");
  const Json business = f.customer({{"name", "Kaveri Logistics Pvt Ltd"},
                                    {"customerType", "B2B"},
                                    {"gstin", customer_gstin},
                                    {"address", "44 Residency Road"},
                                    {"cityState", "Bengaluru, Karnataka"},
                                    {"pincode", "560025"}});
  Json request{{"customerId", business["id"]},
               {"items",
                {{{"type", "part"},
                  {"description", "Brake pad set, front (OEM)"},
                  {"hsnSac", "87083000"},
                  {"quantity", "2"},
                  {"unitPrice", "1850.00"},
                  {"gstRate", "28"},
                  {"discountPercent", "5"}},
                 {{"type", "labour"},
                  {"description", "Brake service labour"},
                  {"hsnSac", "998714"},
                  {"quantity", "1.5"},
                  {"unitPrice", "800.00"},
                  {"gstRate", "18"}}}}};
  const Json draft = f.call(f.manager, "invoices.Create", request);
  CHECK(caught([&] {
          f.call(f.manager, "invoices.Pdf", {{"id", draft["id"]}});
        }).code == ErrorCode::kInvoiceHasNoNumber);
  const Json inter = f.call(f.manager, "invoices.Finalize", {{"id", draft["id"]}});
  REQUIRE(inter["supplyType"] == "inter_state");
  const Json file = decoded_pdf(f.call(f.advisor, "invoices.Pdf", {{"id", inter["id"]}}));
  const std::string number = inter["invoiceNumber"];
  std::string expected_name = "invoice-" + number + ".pdf";
  for (char& c : expected_name) c = c == '/' ? '-' : c;
  CHECK(file["filename"] == expected_name);
  // Reproducible: the same invoice gives the same bytes.
  CHECK(decoded_pdf(f.call(f.manager, "invoices.Pdf", {{"id", inter["id"]}}))["bytes"] ==
        file["bytes"]);
  const std::string text =
      pdf_text(write_file("invoice-inter-" + suffix + ".pdf", file["bytes"].get<std::string>()));
  INFO(text);
  // CGST rule 46, particular by particular.
  const std::vector<std::string> rule46 = {"TAX INVOICE",           // the document
                                           "Deccan Motors Pune",    // (a) supplier name
                                           "Plot 7, MIDC Bhosari",  //     address
                                           "Maharashtra (27)",      //     state
                                           center_gstin,            //     GSTIN
                                           "Invoice no.",
                                           number,  // (b) consecutive serial number
                                           "Invoice date",
                                           inter["invoiceDate"].get<std::string>(),  // (c) date
                                           "Kaveri Logistics Pvt Ltd",  // (d) recipient name
                                           "44 Residency Road",         //     address
                                           customer_gstin,              //     GSTIN
                                           "87083000",
                                           "998714",                      // (e) HSN / SAC
                                           "Brake pad set, front (OEM)",  // (f) description
                                           "Qty",
                                           "Unit",
                                           "NOS",
                                           "UNT",  // (g) quantity and unit
                                           "Value",
                                           "3,700.00",  // (h) value
                                           "Discount",
                                           "185.00",  // (i) discount
                                           "Taxable value",
                                           "3,515.00",  //     taxable value
                                           "IGST",
                                           "@ 28%",
                                           "984.20",
                                           "@ 18%",
                                           "216.00",  // (j) rate, (k) amount of tax
                                           "Place of supply",
                                           "Karnataka (29)",  // (l) place of supply, state and code
                                           "Reverse charge",
                                           "No",  // (m) reverse charge
                                           "Grand total",
                                           "\u20b9",                   // total in figures
                                           "Amount in words: Rupees",  // ... and in words
                                           "Authorised Signatory",
                                           "For Deccan Motors Pune",  // (q) signature
                                           "Scan to pay",
                                           "deccanmotors@okaxis",  // the UPI QR code
                                           "Page 1 of 1"};
  for (const std::string& field : rule46) {
    INFO(field);
    CHECK(text.find(field) != std::string::npos);
  }
  CHECK(text.find("CGST") == std::string::npos);  // inter-state: IGST only
  const Money grand = Money::parse(inter["grandTotal"].get<std::string>());
  CHECK(text.find(billing::amount_in_words(grand)) != std::string::npos);

  // An unregistered walk-in in Maharashtra: intra-state, CGST + SGST, the recipient's state.
  const Json walk_in = f.call(
      f.manager, "invoices.Create",
      {{"customerDetails",
        {{"name", "Ravi Kulkarni"}, {"address", "Flat 3, Kothrud"}, {"state", "Maharashtra"}}},
       {"items",
        {{{"type", "service"},
          {"description", "Periodic maintenance service"},
          {"hsnSac", "998714"},
          {"quantity", "1"},
          {"unitPrice", "2499.00"},
          {"gstRate", "18"}}}}});
  const Json intra = f.call(f.manager, "invoices.Finalize", {{"id", walk_in["id"]}});
  const std::string intra_text = pdf_text(
      write_file("invoice-intra-" + suffix + ".pdf",
                 decoded_pdf(f.call(f.manager, "invoices.Pdf", {{"id", intra["id"]}}))["bytes"]));
  for (const std::string& field :
       {std::string("Ravi Kulkarni"), std::string("Unregistered"), std::string("Maharashtra (27)"),
        std::string("CGST"), std::string("SGST"), std::string("@ 9%"), std::string("224.91"),
        std::string("2,948.82"), std::string("Rupees Two Thousand Nine Hundred Forty Nine Only")}) {
    INFO(field);
    CHECK(intra_text.find(field) != std::string::npos);
  }

  // A credit note names the invoice it credits.
  const Json note =
      f.call(f.manager, "invoices.CreditNote", {{"id", inter["id"]}, {"reason", "returned"}});
  const std::string note_id = note.contains("creditNoteId") && note["creditNoteId"].is_string()
                                  ? note["creditNoteId"].get<std::string>()
                                  : note["id"].get<std::string>();
  const Json note_file = decoded_pdf(f.call(f.manager, "invoices.Pdf", {{"id", note_id}}));
  CHECK(note_file["filename"].get<std::string>().rfind("credit-note-", 0) == 0);
  const std::string note_text =
      pdf_text(write_file("credit-note-" + suffix + ".pdf", note_file["bytes"]));
  for (const std::string& field :
       {std::string("CREDIT NOTE"), std::string("Against invoice"), number,
        std::string("Credit note no."), std::string("3,515.00"), std::string("Kaveri Logistics")}) {
    INFO(field);
    CHECK(note_text.find(field) != std::string::npos);
  }
  CHECK(note_text.find("Scan to pay") == std::string::npos);  // nothing to pay on a credit note

  // Another center's manager cannot see it; sending queues an e-mail with the PDF.
  CHECK(caught([&] {
          f.call(f.other_manager, "invoices.Pdf", {{"id", inter["id"]}});
        }).code == ErrorCode::kNotFound);
  const Json sent = f.call(f.advisor, "invoices.Send", {{"id", inter["id"]}});
  CHECK(sent["recipient"] == business["email"]);
  CHECK(sent["channel"] == "email");
  CHECK(f.count("SELECT COUNT(*) FROM outbound_messages WHERE purpose = 'invoice' AND "
                "recipient = ? AND subject LIKE ?",
                {business["email"].get<std::string>(), "Tax invoice " + number + "%"}) == 1);
  CHECK(f.count("SELECT COUNT(*) FROM audit_logs WHERE action = 'SEND' AND entity_id = ?",
                {inter["id"].get<std::string>()}) == 1);
  CHECK(caught([&] {
          f.call(f.manager, "invoices.Send", {{"id", intra["id"]}});
        }).code == ErrorCode::kCustomerNoEmail);
  CHECK(caught([&] {
          f.call(f.manager, "invoices.Send", {{"id", inter["id"]}, {"channel", "sms"}});
        }).field == "channel");
  CHECK(caught([&] {
          f.call(f.engineer, "invoices.Send", {{"id", inter["id"]}});
        }).code == ErrorCode::kForbidden);
}
