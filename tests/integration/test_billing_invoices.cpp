// invoices.*: drafts, GST by place of supply, numbering at finalize (gapless under concurrency,
// restarting each financial year), payments and overpayment, overdue, credit notes.
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "dms/money.hpp"
#include "workshop_fixture.hpp"

using namespace dms;
using dms::test::caught;

namespace {

Json manual_invoice(test::WorkshopFixture& f, const std::string& customer_id,
                    const std::string& price = "1000.00", Json extra = Json::object()) {
  Json request{{"customerId", customer_id},
               {"items",
                {{{"type", "service"},
                  {"description", "Battery health check"},
                  {"hsnSac", "998714"},
                  {"quantity", "1"},
                  {"unitPrice", price},
                  {"gstRate", "18"}}}}};
  for (auto& [k, v] : extra.items()) request[k] = v;
  return f.call(f.manager, "invoices.Create", request);
}

}  // namespace

TEST_CASE("billing: GST by place of supply, drafts, round-off") {
  test::WorkshopFixture f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const Json pune = f.customer();
  const Json bengaluru = f.customer({{"cityState", "Bengaluru, Karnataka"}});
  const Json fleet = f.customer({{"customerType", "B2B"},
                                 {"gstin", test::valid_gstin("29")},
                                 {"cityState", "Pune, Maharashtra"}});

  const Json intra = manual_invoice(f, pune["id"]);
  CHECK(intra["status"] == "DRAFT");
  CHECK(intra["invoiceNumber"].is_null());
  CHECK(intra["supplyType"] == "intra_state");
  CHECK(intra["placeOfSupply"] == "27");
  CHECK(intra["taxable"] == "1000.00");
  CHECK(intra["cgst"] == "90.00");
  CHECK(intra["sgst"] == "90.00");
  CHECK(intra["igst"] == "0.00");
  CHECK(intra["grandTotal"] == "1180.00");
  CHECK(intra["taxSummary"][0]["rate"] == "18");

  const Json by_address = manual_invoice(f, bengaluru["id"]);
  CHECK(by_address["supplyType"] == "inter_state");
  CHECK(by_address["placeOfSupply"] == "29");
  CHECK(by_address["igst"] == "180.00");
  CHECK(by_address["cgst"] == "0.00");

  // The GSTIN's state wins over the address.
  const Json by_gstin = manual_invoice(f, fleet["id"], "999.99");
  CHECK(by_gstin["supplyType"] == "inter_state");
  CHECK(by_gstin["igst"] == "180.00");
  CHECK(by_gstin["total"] == "1179.99");
  CHECK(by_gstin["roundOff"] == "0.01");
  CHECK(by_gstin["grandTotal"] == "1180.00");

  // Drafts are editable and re-priced; finalized invoices are not.
  Json edited = f.call(f.manager, "invoices.Update",
                       {{"id", intra["id"]}, {"documentDiscount", "100.00"}, {"notes", "loyalty"}});
  CHECK(edited["taxable"] == "900.00");
  CHECK(edited["grandTotal"] == "1062.00");
  edited = f.call(f.advisor, "invoices.Update",
                  {{"id", intra["id"]},
                   {"items",
                    {{{"type", "labour"},
                      {"description", "Wheel alignment"},
                      {"hsnSac", "998714"},
                      {"quantity", "2"},
                      {"unitPrice", "450.00"},
                      {"gstRate", "18"}}}}});
  CHECK(edited["items"].size() == 1);
  CHECK(edited["taxable"] == "800.00");  // 900 less the 100 document discount
  CHECK(caught([&] {
          f.call(f.advisor, "invoices.Finalize", {{"id", intra["id"]}});
        }).code == ErrorCode::kForbidden);
  const Json final_doc = f.call(f.manager, "invoices.Finalize", {{"id", intra["id"]}});
  CHECK(final_doc["invoiceNumber"] == "SC001/2526/00001");
  CHECK(final_doc["invoiceDate"] == "2025-06-02");
  CHECK(final_doc["dueDate"] == "2025-06-17");
  CHECK(caught([&] {
          f.call(f.manager, "invoices.Update", {{"id", intra["id"]}, {"notes", "x"}});
        }).code == ErrorCode::kInvoiceNotDraft);
  CHECK(caught([&] {
          f.call(f.manager, "invoices.Finalize", {{"id", intra["id"]}});
        }).code == ErrorCode::kInvalidStatusTransition);
  CHECK(caught([&] {
          f.call(f.manager, "invoices.Cancel", {{"id", intra["id"]}});
        }).code == ErrorCode::kCreditNoteRequired);
  // A draft is dropped without using a number.
  f.call(f.manager, "invoices.Cancel", {{"id", by_address["id"]}});
  CHECK(f.call(f.manager, "invoices.Finalize", {{"id", by_gstin["id"]}})["invoiceNumber"] ==
        "SC001/2526/00002");
  // Bad items name the field.
  const auto e = caught([&] {
    f.call(f.manager, "invoices.Create",
           {{"customerId", pune["id"]},
            {"items",
             {{{"description", "x"},
               {"hsnSac", "12"},
               {"quantity", "1"},
               {"unitPrice", "1.00"},
               {"gstRate", "18"}}}}});
  });
  CHECK(e.code == ErrorCode::kValidation);
  CHECK(e.field == "lines[0].hsnSac");
}

TEST_CASE("billing: payments, overpayment and the overdue query") {
  test::WorkshopFixture f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const Json c = f.customer();
  const Json draft = manual_invoice(f, c["id"], "1000.00", {{"paymentTermDays", 10}});
  CHECK(caught([&] {
          f.call(f.manager, "invoices.RecordPayment",
                 {{"id", draft["id"]}, {"amount", "10.00"}, {"paymentMethod", "cash"}});
        }).code == ErrorCode::kInvoiceNotFinalized);
  const Json inv = f.call(f.manager, "invoices.Finalize", {{"id", draft["id"]}});
  CHECK(inv["dueDate"] == "2025-06-12");
  auto e = caught([&] {
    f.call(f.manager, "invoices.RecordPayment",
           {{"id", inv["id"]}, {"amount", "1180.01"}, {"paymentMethod", "cash"}});
  });
  CHECK(e.code == ErrorCode::kValidation);
  CHECK(e.field == "amount");
  e = caught([&] {
    f.call(f.manager, "invoices.RecordPayment",
           {{"id", inv["id"]}, {"amount", "100.00"}, {"paymentMethod", "upi"}});
  });
  CHECK(e.field == "transactionId");
  Json paid = f.call(f.advisor, "invoices.RecordPayment",
                     {{"id", inv["id"]},
                      {"amount", "500.00"},
                      {"paymentMethod", "upi"},
                      {"transactionId", "UPI-778899"}});
  CHECK(paid["status"] == "PARTIALLY_PAID");
  CHECK(paid["balanceAmount"] == "680.00");
  CHECK(paid["payments"][0]["receivedBy"] == f.advisor.user_id);

  auto overdue = [&](const std::string& as_of) {
    return f.call(f.manager, "invoices.Overdue", {{"asOf", as_of}});
  };
  CHECK(overdue("2025-06-12")["data"].empty());
  const Json late = overdue("2025-06-13");
  REQUIRE(late["data"].size() == 1);
  CHECK(late["data"][0]["daysOverdue"] == 1);
  CHECK(late["data"][0]["isOverdue"] == true);
  CHECK(late["totalOutstanding"] == "680.00");
  CHECK(f.call(f.other_manager, "invoices.Overdue", {{"asOf", "2025-06-13"}})["data"].empty());

  paid = f.call(f.manager, "invoices.RecordPayment",
                {{"id", inv["id"]},
                 {"amount", "680.00"},
                 {"paymentMethod", "cheque"},
                 {"referenceNumber", "CHQ-001122"}});
  CHECK(paid["status"] == "PAID");
  CHECK(paid["balanceAmount"] == "0.00");
  CHECK(overdue("2025-07-01")["data"].empty());
  e = caught([&] {
    f.call(f.manager, "invoices.RecordPayment",
           {{"id", inv["id"]}, {"amount", "1.00"}, {"paymentMethod", "cash"}});
  });
  CHECK(e.code == ErrorCode::kValidation);
  const Json list = f.call(f.manager, "invoices.List", {{"filter", {{"status", "PAID"}}}});
  CHECK(list["pagination"]["total"] == 1);
}

TEST_CASE("billing: a credit note is the invoice's exact negation") {
  test::WorkshopFixture f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const Json c = f.customer({{"cityState", "Bengaluru, Karnataka"}});
  Json request{{"customerId", c["id"]},
               {"documentDiscount", "33.33"},
               {"items",
                {{{"type", "service"},
                  {"description", "Diagnostics"},
                  {"hsnSac", "998714"},
                  {"quantity", "1"},
                  {"unitPrice", "1234.56"},
                  {"gstRate", "18"}},
                 {{"type", "other"},
                  {"description", "Cabin filter"},
                  {"hsnSac", "84213920"},
                  {"quantity", "3"},
                  {"unitPrice", "333.33"},
                  {"gstRate", "28"},
                  {"discountPercent", "5"}}}}};
  const Json draft = f.call(f.manager, "invoices.Create", request);
  CHECK(caught([&] {
          f.call(f.manager, "invoices.CreditNote", {{"id", draft["id"]}, {"reason", "x"}});
        }).code == ErrorCode::kInvoiceIsDraft);
  const Json inv = f.call(f.manager, "invoices.Finalize", {{"id", draft["id"]}});
  f.call(f.manager, "invoices.RecordPayment",
         {{"id", inv["id"]}, {"amount", "100.00"}, {"paymentMethod", "cash"}});
  CHECK(caught([&] {
          f.call(f.advisor, "invoices.CreditNote", {{"id", inv["id"]}, {"reason", "x"}});
        }).code == ErrorCode::kForbidden);
  const Json note =
      f.call(f.manager, "invoices.CreditNote", {{"id", inv["id"]}, {"reason", "billing error"}});
  CHECK(note["documentType"] == "CREDIT_NOTE");
  CHECK(note["invoiceNumber"] == "SC001/2526/C0001");
  CHECK(note["originalInvoiceId"] == inv["id"]);
  CHECK(note["refundDue"] == "100.00");
  CHECK(note["invoice"]["status"] == "CANCELLED");
  for (const char* figure : {"gross", "lineDiscount", "documentDiscount", "taxable", "cgst", "sgst",
                             "igst", "total", "roundOff", "grandTotal"}) {
    INFO(figure);
    CHECK((Money::parse(inv[figure].get<std::string>()) +
           Money::parse(note[figure].get<std::string>()))
              .is_zero());
  }
  REQUIRE(note["items"].size() == inv["items"].size());
  for (size_t i = 0; i < inv["items"].size(); ++i) {
    for (const char* figure : {"gross", "net", "taxable", "igst", "total"}) {
      CHECK((Money::parse(inv["items"][i][figure].get<std::string>()) +
             Money::parse(note["items"][i][figure].get<std::string>()))
                .is_zero());
    }
  }
  CHECK(caught([&] {
          f.call(f.manager, "invoices.RecordPayment",
                 {{"id", inv["id"]}, {"amount", "1.00"}, {"paymentMethod", "cash"}});
        }).code == ErrorCode::kInvoiceNotFinalized);
  CHECK(caught([&] {
          f.call(f.manager, "invoices.CreditNote", {{"id", inv["id"]}, {"reason", "again"}});
        }).code == ErrorCode::kInvalidStatusTransition);
}

TEST_CASE("billing: 8 threads finalizing at one center get consecutive numbers, FY restarts") {
  test::WorkshopFixture f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const Json c = f.customer();
  constexpr int kThreads = 8;
  constexpr int kPerThread = 5;
  std::vector<std::vector<std::string>> drafts(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) drafts[t].push_back(manual_invoice(f, c["id"])["id"]);
  }
  std::vector<std::vector<std::string>> numbers(kThreads);
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        for (const std::string& id : drafts[t]) {
          numbers[t].push_back(
              f.call(f.manager, "invoices.Finalize", {{"id", id}})["invoiceNumber"]);
        }
      } catch (const std::exception& e) {
        failures[t] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> all;
  for (int t = 0; t < kThreads; ++t) {
    CHECK(failures[t].empty());
    all.insert(numbers[t].begin(), numbers[t].end());
  }
  REQUIRE(all.size() == kThreads * kPerThread);
  int expected = 1;
  for (const std::string& number : all) {  // sorted: zero-padded
    char want[32];
    std::snprintf(want, sizeof want, "SC001/2526/%05d", expected++);
    CHECK(number == want);
  }
  // 31 March 23:30 in India is still FY 2025-26; one minute past midnight is FY 2026-27.
  f.clock.set(Timestamp::parse("2026-03-31T18:00:00Z"));
  CHECK(f.call(f.manager, "invoices.Finalize",
               {{"id", manual_invoice(f, c["id"])["id"]}})["invoiceNumber"] == "SC001/2526/00041");
  f.clock.set(Timestamp::parse("2026-03-31T18:31:00Z"));
  const Json april =
      f.call(f.manager, "invoices.Finalize", {{"id", manual_invoice(f, c["id"])["id"]}});
  CHECK(april["invoiceNumber"] == "SC001/2627/00001");
  CHECK(april["invoiceDate"] == "2026-04-01");
  CHECK(april["financialYear"] == 2026);
  // Another center counts on its own.
  const Json other_customer = f.customer();
  const Json other = f.call(f.other_manager, "invoices.Create",
                            {{"customerId", other_customer["id"]},
                             {"items",
                              {{{"description", "Check"},
                                {"hsnSac", "998714"},
                                {"quantity", "1"},
                                {"unitPrice", "10.00"},
                                {"gstRate", "18"}}}}});
  CHECK(f.call(f.other_manager, "invoices.Finalize", {{"id", other["id"]}})["invoiceNumber"] ==
        "SC002/2627/00001");
}
