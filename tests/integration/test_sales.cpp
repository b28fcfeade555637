// Sales (issue 12) on both engines, with the stock ledger verified after every step: the lead ->
// quotation -> counter order -> invoice -> paid scenario with figures computed independently
// here from docs/tax.md's rules; a rejected and an expired quotation; a shipped order, a
// cancelled one, one refused at PROCESSING; 4 processes reserving against 10 pieces; and
// tax-inclusive fixtures computed by hand, and a part's MRP as the default inclusive price.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "dms/money.hpp"
#include "inventory/stock.hpp"
#include "workshop_fixture.hpp"

using namespace dms;
using dms::test::caught;

namespace {

class SalesWorld : public test::WorkshopFixture {
 public:
  explicit SalesWorld(storage::Engine engine) : WorkshopFixture(engine) {}

  std::string part(const std::string& number, const std::string& hsn, const std::string& gst,
                   const std::string& price, const std::string& stock) {
    const Json p = call(system, "inventory.CreatePart",
                        {{"partNumber", number},
                         {"name", "Part " + number},
                         {"hsnCode", hsn},
                         {"gstRate", gst},
                         {"costPrice", "100.00"},
                         {"unitPrice", price},
                         {"unit", "piece"}});
    call(system, "inventory.AdjustStock",
         {{"partId", p["id"]},
          {"serviceCenterId", center_id},
          {"adjustmentType", "ADD"},
          {"quantity", stock},
          {"reason", "STOCK_RECEIVED"},
          {"unitCost", "100.00"}});
    return p["id"];
  }

  inventory::Balance balance(const std::string& part_id) {
    return db->impl().store->read([&](storage::Transaction& tx) {
      auto store = inventory::find_store_location(tx, center_id);
      return store ? inventory::balance_of(tx, part_id, store->id) : inventory::Balance{};
    });
  }

  void verify_stock() {
    const auto check = db->impl().store->read(
        [&](storage::Transaction& tx) { return inventory::verify_stock(tx); });
    INFO(check.rule << ": " << check.message);
    REQUIRE(check.ok);
  }
};

Quantity qty(const char* text) {
  return Quantity::parse(text);
}

// ---- An independent computation of docs/tax.md's rules, in paise ------------------------------

int64_t round_div(int64_t num, int64_t den) {  // half away from zero, den > 0
  return num >= 0 ? (num * 2 + den) / (2 * den) : -((-num * 2 + den) / (2 * den));
}

struct Line {
  int64_t qty_milli;     // thousandths
  int64_t price;         // paise
  int64_t rate;          // whole percent
  int64_t disc_pct_100;  // hundredths of a percent, or 0
  int64_t gross = 0, discount = 0, net = 0, share = 0, amount = 0, taxable = 0, half = 0, total = 0;
};

struct Doc {
  std::vector<Line> lines;
  int64_t taxable = 0, cgst = 0, total = 0, grand = 0, round_off = 0;
};

Doc compute(std::vector<Line> lines, int64_t document_discount, bool inclusive, bool round_off) {
  Doc d;
  int64_t nets = 0;
  for (Line& l : lines) {
    l.gross = round_div(l.qty_milli * l.price, 1000);
    l.discount = round_div(l.gross * l.disc_pct_100, 10000);
    l.net = l.gross - l.discount;
    nets += l.net;
  }
  // Largest remainder: floor shares, the spare paise to the largest remainders.
  int64_t given = 0;
  std::vector<int64_t> rem(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    lines[i].share = nets ? document_discount * lines[i].net / nets : 0;
    rem[i] = nets ? document_discount * lines[i].net % nets : 0;
    given += lines[i].share;
  }
  for (int64_t spare = document_discount - given; spare > 0; --spare) {
    size_t best = 0;
    for (size_t i = 1; i < lines.size(); ++i) {
      if (rem[i] > rem[best]) best = i;
    }
    ++lines[best].share;
    rem[best] = -1;
  }
  for (Line& l : lines) {
    l.amount = l.net - l.share;
    if (inclusive) {
      l.half = round_div(l.amount * l.rate, 2 * (100 + l.rate));
      l.taxable = l.amount - 2 * l.half;
    } else {
      l.taxable = l.amount;
      l.half = round_div(l.taxable * l.rate, 200);
    }
    l.total = l.taxable + 2 * l.half;
    d.taxable += l.taxable;
    d.cgst += l.half;
    d.total += l.total;
  }
  d.grand = round_off ? ((d.total + 50) / 100) * 100 : d.total;
  d.round_off = d.grand - d.total;
  d.lines = lines;
  return d;
}

std::string rupees(int64_t paise) {
  return Money::from_minor(paise).to_string();
}

}  // namespace

TEST_CASE("sales: lead to quotation to counter order to paid invoice") {
  SalesWorld f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const std::string pads = f.part("BP-100", "87083000", "28", "1249.50", "10");
  const std::string coolant = f.part("CL-5", "38200000", "18", "333.33", "20");
  f.verify_stock();
  const Json customer = f.customer();

  // Lead: NEW -> CONTACTED -> QUALIFIED.
  Json lead = f.call(f.advisor, "leads.Create",
                     {{"customerId", customer["id"]},
                      {"source", "walk_in"},
                      {"leadType", "spare_part"},
                      {"followUpDate", "2025-06-03"},
                      {"notes", "wants brake pads and coolant"}});
  CHECK(lead["status"] == "NEW");
  CHECK(lead["leadNumber"].get<std::string>().rfind("LEAD-SC001-2025-", 0) == 0);
  CHECK(lead["notes"].size() == 1);
  CHECK(f.call(f.advisor, "leads.DueFollowUps", {{"asOf", "2025-06-03"}})["data"].size() == 1);
  CHECK(f.call(f.advisor, "leads.DueFollowUps", {{"asOf", "2025-06-02"}})["data"].empty());
  lead = f.call(f.advisor, "leads.AddNote",
                {{"id", lead["id"]}, {"note", "called back\nprefers pickup"}});
  CHECK(lead["notes"].size() == 2);
  f.call(f.advisor, "leads.Contact", {{"id", lead["id"]}});
  lead = f.call(f.advisor, "leads.Qualify", {{"id", lead["id"]}});
  CHECK(lead["status"] == "QUALIFIED");
  f.verify_stock();

  // Quotation: a service line, two parts (one with a 10 % line discount), a document discount.
  const Json items = {
      {{"type", "service"},
       {"description", "Battery health check"},
       {"hsnSac", "998714"},
       {"quantity", "1"},
       {"unitPrice", "1000.00"},
       {"gstRate", "18"}},
      {{"type", "spare_part"}, {"partId", pads}, {"quantity", "2"}, {"discountPercent", "10"}},
      {{"type", "spare_part"}, {"partId", coolant}, {"quantity", "3"}}};
  Json q = f.call(f.advisor, "quotations.Create",
                  {{"leadId", lead["id"]},
                   {"items", items},
                   {"documentDiscount", "100.00"},
                   {"validUntil", "2025-06-30"}});
  const Doc expected_q = compute(
      {{1000, 100000, 18, 0}, {2000, 124950, 28, 1000}, {3000, 33333, 18, 0}}, 10000, false, false);
  CHECK(q["status"] == "DRAFT");
  CHECK(q["pricesIncludeTax"] == false);
  REQUIRE(q["items"].size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    INFO("line " << i);
    CHECK(q["items"][i]["gross"] == rupees(expected_q.lines[i].gross));
    CHECK(q["items"][i]["documentDiscountShare"] == rupees(expected_q.lines[i].share));
    CHECK(q["items"][i]["taxable"] == rupees(expected_q.lines[i].taxable));
    CHECK(q["items"][i]["cgst"] == rupees(expected_q.lines[i].half));
    CHECK(q["items"][i]["sgst"] == q["items"][i]["cgst"]);
  }
  CHECK(q["items"][1]["unitPrice"] == "1249.50");  // the part's selling price
  CHECK(q["taxable"] == rupees(expected_q.taxable));
  CHECK(q["grandTotal"] == rupees(expected_q.total));  // quotations are not rounded off
  q = f.call(f.advisor, "quotations.Update", {{"id", q["id"]}, {"notes", "valid for stock"}});
  CHECK(q["grandTotal"] == rupees(expected_q.total));
  CHECK(f.call(f.advisor, "quotations.Get", {{"id", q["id"]}}) == q);
  f.call(f.advisor, "quotations.Approve", {{"id", q["id"]}});
  CHECK(caught([&] {
          f.call(f.advisor, "quotations.Update", {{"id", q["id"]}, {"notes", "late"}});
        }).code == ErrorCode::kQuotationNotDraft);
  q = f.call(f.advisor, "quotations.Send", {{"id", q["id"]}});
  CHECK(q["status"] == "SENT");
  CHECK(q["sentVia"] == "email");
  CHECK(f.count("SELECT COUNT(*) FROM outbound_messages WHERE purpose = 'quotation' AND "
                "recipient = ?",
                {customer["email"].get<std::string>()}) == 1);
  f.verify_stock();

  // Accepted as a counter order: the lead is converted.
  q = f.call(f.manager, "quotations.Accept", {{"id", q["id"]}, {"convertTo", "counter_order"}});
  CHECK(q["status"] == "ACCEPTED");
  CHECK(f.call(f.advisor, "leads.Get", {{"id", lead["id"]}})["status"] == "CONVERTED");
  const std::string order_id = q["counterOrderId"];
  Json order = f.call(f.inventory_manager, "counterOrders.Get", {{"id", order_id}});
  CHECK(order["status"] == "PENDING");
  CHECK(order["quotationId"] == q["id"]);
  CHECK(order["items"][1]["availableQuantity"] == "10");
  CHECK(order["items"][1]["inStock"] == true);
  f.verify_stock();

  order = f.call(f.inventory_manager, "counterOrders.Process", {{"id", order_id}});
  CHECK(order["status"] == "PROCESSING");
  CHECK(f.balance(pads).allocated == qty("2"));
  CHECK(f.balance(coolant).allocated == qty("3"));
  CHECK(f.balance(pads).on_hand == qty("10"));
  f.verify_stock();
  f.call(f.inventory_manager, "counterOrders.MarkReady", {{"id", order_id}});
  f.verify_stock();
  CHECK(caught([&] {
          f.call(f.inventory_manager, "counterOrders.Ship",
                 {{"id", order_id}, {"trackingNumber", "X1"}});
        }).code == ErrorCode::kDeliveryMethodMismatch);  // a pickup is not shipped
  order = f.call(f.inventory_manager, "counterOrders.Deliver", {{"id", order_id}});
  CHECK(order["status"] == "DELIVERED");
  CHECK(f.balance(pads).on_hand == qty("8"));
  CHECK(f.balance(pads).allocated == qty("0"));
  CHECK(f.balance(coolant).on_hand == qty("17"));
  CHECK(f.balance(coolant).allocated == qty("0"));
  f.verify_stock();

  // The invoice: the order's figures (rounded to the rupee), in the one invoice series.
  const Doc expected = compute(
      {{1000, 100000, 18, 0}, {2000, 124950, 28, 1000}, {3000, 33333, 18, 0}}, 10000, false, true);
  Json invoice =
      f.call(f.inventory_manager, "invoices.CreateFromCounterOrder", {{"orderId", order_id}});
  CHECK(invoice["counterOrderId"] == order_id);
  CHECK(invoice["taxable"] == rupees(expected.taxable));
  CHECK(invoice["cgst"] == rupees(expected.cgst));
  CHECK(invoice["sgst"] == rupees(expected.cgst));
  CHECK(invoice["total"] == rupees(expected.total));
  CHECK(invoice["roundOff"] == rupees(expected.round_off));
  CHECK(invoice["grandTotal"] == rupees(expected.grand));
  CHECK(order["grandTotal"] == invoice["grandTotal"]);
  invoice = f.call(f.inventory_manager, "invoices.Finalize", {{"id", invoice["id"]}});
  CHECK(invoice["invoiceNumber"].get<std::string>().rfind("SC001/", 0) == 0);
  CHECK(f.balance(pads).on_hand == qty("8"));  // the parts left once, with the order
  f.verify_stock();
  f.call(f.inventory_manager, "invoices.RecordPayment",
         {{"id", invoice["id"]}, {"amount", "1000.00"}, {"paymentMethod", "cash"}});
  CHECK(f.call(f.inventory_manager, "counterOrders.Get", {{"id", order_id}})["paymentStatus"] ==
        "PARTIALLY_PAID");
  invoice = f.call(f.inventory_manager, "invoices.RecordPayment",
                   {{"id", invoice["id"]},
                    {"amount", rupees(expected.grand - 100000)},
                    {"paymentMethod", "upi"},
                    {"transactionId", "UPI-1"}});
  CHECK(invoice["status"] == "PAID");
  CHECK(f.call(f.inventory_manager, "counterOrders.Get", {{"id", order_id}})["paymentStatus"] ==
        "PAID");
  const Json c = f.call(f.advisor, "customers.Get", {{"id", customer["id"]}});
  CHECK(c["totalOrders"] == 1);
  CHECK(c["totalSpent"] == rupees(expected.grand));
  CHECK(c["loyaltyPoints"] == expected.grand / 10000);
  f.verify_stock();

  // A credit note takes the totals back; the parts stay with the customer.
  f.call(f.manager, "invoices.CreditNote", {{"id", invoice["id"]}, {"reason", "test"}});
  const Json c2 = f.call(f.advisor, "customers.Get", {{"id", customer["id"]}});
  CHECK(c2["totalOrders"] == 0);
  CHECK(c2["totalSpent"] == "0.00");
  CHECK(c2["loyaltyPoints"] == 0);
  CHECK(f.balance(pads).on_hand == qty("8"));
  f.verify_stock();

  // A second quotation rejected: its lead is LOST.
  const Json lead2 = f.call(f.advisor, "leads.Create",
                            {{"customerName", "Asha Rao"},
                             {"phone", "+919811111111"},
                             {"source", "call_center"},
                             {"leadType", "service"}});
  Json q2 = f.call(f.advisor, "quotations.Create", {{"leadId", lead2["id"]}, {"items", items}});
  f.call(f.advisor, "quotations.Approve", {{"id", q2["id"]}});
  q2 = f.call(f.advisor, "quotations.Send", {{"id", q2["id"]}});
  CHECK(q2["sentVia"] == "sms");
  q2 = f.call(f.advisor, "quotations.Reject", {{"id", q2["id"]}, {"reason", "too expensive"}});
  CHECK(q2["status"] == "REJECTED");
  const Json lost = f.call(f.advisor, "leads.Get", {{"id", lead2["id"]}});
  CHECK(lost["status"] == "LOST");
  CHECK(lost["lostReason"].get<std::string>().find("too expensive") != std::string::npos);
  f.verify_stock();

  // A third expires past its validUntil, and is then never accepted.
  Json q3 =
      f.call(f.advisor, "quotations.Create",
             {{"customerId", customer["id"]}, {"items", items}, {"validUntil", "2025-06-10"}});
  f.call(f.advisor, "quotations.Approve", {{"id", q3["id"]}});
  CHECK(f.call(f.advisor, "quotations.ExpireDue", {{"asOf", "2025-06-10"}})["expired"].empty());
  const Json expired = f.call(f.advisor, "quotations.ExpireDue", {{"asOf", "2025-06-11"}});
  REQUIRE(expired["expired"].size() == 1);
  CHECK(expired["expired"][0]["status"] == "EXPIRED");
  CHECK(
      caught([&] {
        f.call(f.manager, "quotations.Accept", {{"id", q3["id"]}, {"convertTo", "counter_order"}});
      }).code == ErrorCode::kInvalidStatusTransition);
  f.verify_stock();

  CHECK(
      f.call(f.inventory_manager, "counterOrders.List", {{"status", "DELIVERED"}})["data"].size() ==
      1);
  // A lead lost by hand; an updated one; the list filters by status.
  Json lead3 = f.call(f.call_center, "leads.Create",
                      {{"customerName", "Meena Iyer"},
                       {"phone", "+919844444444"},
                       {"source", "call_center"},
                       {"leadType", "new_vehicle"}});
  lead3 = f.call(f.advisor, "leads.Update", {{"id", lead3["id"]}, {"description", "Nexon EV"}});
  CHECK(lead3["description"] == "Nexon EV");
  lead3 =
      f.call(f.advisor, "leads.MarkLost", {{"id", lead3["id"]}, {"reason", "bought elsewhere"}});
  CHECK(lead3["status"] == "LOST");
  CHECK(caught([&] {
          f.call(f.advisor, "leads.Update", {{"id", lead3["id"]}, {"description", "x"}});
        }).code == ErrorCode::kLeadClosed);
  CHECK(f.call(f.advisor, "leads.List", {{"status", "LOST"}})["data"].size() == 2);
  // Another center sees none of it.
  CHECK(caught([&] {
          f.call(f.other_manager, "counterOrders.Get", {{"id", order_id}});
        }).code == ErrorCode::kNotFound);
  CHECK(f.call(f.other_manager, "quotations.List")["data"].empty());
}

TEST_CASE("sales: shipped, cancelled and refused counter orders") {
  SalesWorld f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const std::string pads = f.part("BP-100", "87083000", "28", "1249.50", "10");
  const std::string coolant = f.part("CL-5", "38200000", "18", "333.33", "20");
  const Json customer = f.customer();
  f.verify_stock();

  SECTION("shipped with a shipping charge") {
    Json o = f.call(f.inventory_manager, "counterOrders.Create",
                    {{"customerId", customer["id"]},
                     {"items",
                      {{{"partId", coolant}, {"quantity", "2"}},
                       {{"partId", pads}, {"quantity", "1"}, {"discountAmount", "49.50"}}}},
                     {"deliveryMethod", "SHIPPING"},
                     {"shippingAddress", "12 MG Road, Pune 411001"},
                     {"shippingCharge", "100.00"}});
    REQUIRE(o["items"].size() == 3);
    CHECK(o["items"][2]["type"] == "shipping");
    CHECK(o["items"][2]["hsnSac"] == "996812");
    CHECK(o["items"][2]["gstRate"] == "28");  // the principal supply's (highest) rate
    const Doc expected = compute(
        {{2000, 33333, 18, 0}, {1000, 124950, 28, 0}, {1000, 10000, 28, 0}}, 0, false, true);
    // the 49.50 amount discount on line 2
    CHECK(o["items"][1]["lineDiscount"] == "49.50");
    CHECK(o["items"][0]["total"] == rupees(expected.lines[0].total));
    CHECK(o["items"][2]["cgst"] == rupees(expected.lines[2].half));
    f.verify_stock();
    f.call(f.inventory_manager, "counterOrders.Process", {{"id", o["id"]}});
    f.call(f.inventory_manager, "counterOrders.MarkReady", {{"id", o["id"]}});
    CHECK(caught([&] {
            f.call(f.inventory_manager, "counterOrders.Deliver", {{"id", o["id"]}});
          }).code == ErrorCode::kDeliveryMethodMismatch);
    o = f.call(f.inventory_manager, "counterOrders.Ship",
               {{"id", o["id"]}, {"trackingNumber", "BLUEDART-123"}});
    CHECK(o["status"] == "SHIPPED");
    CHECK(o["trackingNumber"] == "BLUEDART-123");
    CHECK(f.balance(coolant).on_hand == qty("18"));
    f.verify_stock();
    o = f.call(f.inventory_manager, "counterOrders.Deliver", {{"id", o["id"]}});
    CHECK(o["status"] == "DELIVERED");
    CHECK(f.balance(coolant).on_hand == qty("18"));  // exactly once
    CHECK(f.balance(pads).on_hand == qty("9"));
    f.verify_stock();
  }

  SECTION("cancelled: the reservation is released") {
    Json o = f.call(f.inventory_manager, "counterOrders.Create",
                    {{"customerName", "Walk In"},
                     {"customerPhone", "+919822222222"},
                     {"items", {{{"partId", pads}, {"quantity", "4"}}}}});
    f.call(f.inventory_manager, "counterOrders.Process", {{"id", o["id"]}});
    CHECK(f.balance(pads).allocated == qty("4"));
    f.verify_stock();
    o = f.call(f.inventory_manager, "counterOrders.Cancel",
               {{"id", o["id"]}, {"reason", "changed mind"}});
    CHECK(o["status"] == "CANCELLED");
    CHECK(f.balance(pads).allocated == qty("0"));
    CHECK(f.balance(pads).on_hand == qty("10"));
    f.verify_stock();
  }

  SECTION("more than available: INSUFFICIENT_STOCK at PROCESSING, nothing changed") {
    Json o = f.call(
        f.inventory_manager, "counterOrders.Create",
        {{"customerId", customer["id"]},
         {"items",
          {{{"partId", coolant}, {"quantity", "5"}}, {{"partId", pads}, {"quantity", "11"}}}}});
    CHECK(o["items"][1]["availableQuantity"] == "10");
    CHECK(o["items"][1]["inStock"] == false);
    const int64_t moves = f.count("SELECT COUNT(*) FROM inv_moves");
    const int64_t audits = f.count("SELECT COUNT(*) FROM audit_logs");
    CHECK(caught([&] {
            f.call(f.inventory_manager, "counterOrders.Process", {{"id", o["id"]}});
          }).code == ErrorCode::kInsufficientStock);
    CHECK(f.call(f.inventory_manager, "counterOrders.Get", {{"id", o["id"]}})["status"] ==
          "PENDING");
    CHECK(f.balance(coolant).allocated == qty("0"));
    CHECK(f.balance(pads).allocated == qty("0"));
    CHECK(f.count("SELECT COUNT(*) FROM inv_moves") == moves);
    CHECK(f.count("SELECT COUNT(*) FROM audit_logs") == audits);
    f.verify_stock();
  }
}

TEST_CASE("sales: tax-inclusive prices, computed by hand") {
  SalesWorld f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  const std::string mrp_part = f.part("MRP-1", "85076000", "18", "1180.00", "10");
  const std::string other = f.part("MRP-2", "87089900", "12", "560.00", "10");
  const Json customer = f.customer();

  // MRP 1,180.00 at 18 % intra-state: half = 1180 x 9 / 118 = 90.00; taxable 1,000.00.
  Json o = f.call(f.inventory_manager, "counterOrders.Create",
                  {{"customerId", customer["id"]},
                   {"pricesIncludeTax", true},
                   {"items", {{{"partId", mrp_part}, {"quantity", "1"}}}}});
  CHECK(o["pricesIncludeTax"] == true);
  CHECK(o["items"][0]["taxable"] == "1000.00");
  CHECK(o["items"][0]["cgst"] == "90.00");
  CHECK(o["items"][0]["sgst"] == "90.00");
  CHECK(o["grandTotal"] == "1180.00");

  // A document discount on inclusive prices: 174.00 over nets 1,180.00 and 560.00 gives shares
  // 118.00 and 56.00; amounts 1,062.00 and 504.00. Line 1: half = 1062 x 9 / 118 = 81.00, taxable
  // 900.00. Line 2: half = 504 x 6 / 112 = 27.00, taxable 450.00. Totals: taxable 1,350.00, CGST =
  // SGST = 108.00, total 1,566.00.
  Json q = f.call(f.advisor, "quotations.Create",
                  {{"customerId", customer["id"]},
                   {"pricesIncludeTax", true},
                   {"documentDiscount", "174.00"},
                   {"items",
                    {{{"type", "spare_part"}, {"partId", mrp_part}, {"quantity", "1"}},
                     {{"type", "spare_part"}, {"partId", other}, {"quantity", "1"}}}}});
  CHECK(q["items"][0]["documentDiscountShare"] == "118.00");
  CHECK(q["items"][1]["documentDiscountShare"] == "56.00");
  CHECK(q["items"][0]["taxable"] == "900.00");
  CHECK(q["items"][0]["cgst"] == "81.00");
  CHECK(q["items"][1]["taxable"] == "450.00");
  CHECK(q["items"][1]["cgst"] == "27.00");
  for (const Json& line : q["items"]) CHECK(line["cgst"] == line["sgst"]);
  CHECK(q["taxable"] == "1350.00");
  CHECK(q["cgst"] == "108.00");
  CHECK(q["sgst"] == "108.00");
  CHECK(q["grandTotal"] == "1566.00");

  // A manual invoice: 100.00 at 18 % inclusive is 100.00, not 118.00 (half = round2(100 x 9 /
  // 118) = 7.63, taxable 84.74).
  const Json inv = f.call(f.manager, "invoices.Create",
                          {{"customerId", customer["id"]},
                           {"pricesIncludeTax", true},
                           {"items",
                            {{{"type", "service"},
                              {"description", "Wash"},
                              {"hsnSac", "998714"},
                              {"quantity", "1"},
                              {"unitPrice", "100.00"},
                              {"gstRate", "18"}}}}});
  CHECK(inv["pricesIncludeTax"] == true);
  CHECK(inv["cgst"] == "7.63");
  CHECK(inv["sgst"] == "7.63");
  CHECK(inv["taxable"] == "84.74");
  CHECK(inv["grandTotal"] == "100.00");
  const Json same = f.call(f.manager, "invoices.Get", {{"id", inv["id"]}});
  CHECK(same["grandTotal"] == "100.00");
  f.verify_stock();
}

TEST_CASE("sales: a part's MRP is the default price of tax-inclusive lines") {
  SalesWorld f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  // Selling price 1,000.00 and MRP 1,180.00 at 18 %: a line that falls back to the selling price
  // on an inclusive document would give taxable 847.46, not 1,000.00.
  const Json part = f.call(f.system, "inventory.CreatePart",
                           {{"partNumber", "MRP-10"},
                            {"name", "Battery"},
                            {"hsnCode", "85076000"},
                            {"gstRate", "18"},
                            {"costPrice", "700.00"},
                            {"unitPrice", "1000.00"},
                            {"mrp", "1180.00"}});
  CHECK(part["mrp"] == "1180.00");
  const std::string part_id = part["id"];
  const Json plain = f.call(f.system, "inventory.CreatePart",
                            {{"partNumber", "MRP-11"},
                             {"name", "Wiper"},
                             {"hsnCode", "85129000"},
                             {"gstRate", "18"},
                             {"unitPrice", "236.00"}});
  CHECK(plain["mrp"].is_null());
  const Json customer = f.customer();

  // Inclusive, no unit price: the MRP. half = round2(1,180.00 x 9 / 118) = 90.00; taxable
  // 1,180.00 - 2 x 90.00 = 1,000.00.
  const Json o = f.call(f.inventory_manager, "counterOrders.Create",
                        {{"customerId", customer["id"]},
                         {"pricesIncludeTax", true},
                         {"items", {{{"partId", part_id}, {"quantity", "1"}}}}});
  REQUIRE(o["items"].size() == 1);
  CHECK(o["items"][0]["unitPrice"] == "1180.00");
  CHECK(o["items"][0]["taxable"] == "1000.00");
  CHECK(o["items"][0]["cgst"] == "90.00");
  CHECK(o["items"][0]["sgst"] == "90.00");
  CHECK(o["items"][0]["igst"] == "0.00");
  CHECK(o["taxable"] == "1000.00");
  CHECK(o["grandTotal"] == "1180.00");
  CHECK(f.call(f.inventory_manager, "counterOrders.Get", {{"id", o["id"]}}) == o);

  // Exclusive, no unit price: the selling price as before. 1,000.00 + 2 x 90.00 = 1,180.00.
  const Json ex = f.call(
      f.inventory_manager, "counterOrders.Create",
      {{"customerId", customer["id"]}, {"items", {{{"partId", part_id}, {"quantity", "1"}}}}});
  CHECK(ex["items"][0]["unitPrice"] == "1000.00");
  CHECK(ex["items"][0]["taxable"] == "1000.00");
  CHECK(ex["items"][0]["cgst"] == "90.00");

  // Inclusive: an explicit unit price wins; a part without an MRP keeps its selling price
  // (236.00 inclusive: half = round2(236 x 9 / 118) = 18.00, taxable 200.00).
  const Json q = f.call(
      f.advisor, "quotations.Create",
      {{"customerId", customer["id"]},
       {"pricesIncludeTax", true},
       {"items",
        {{{"type", "spare_part"}, {"partId", part_id}, {"quantity", "1"}},
         {{"type", "spare_part"}, {"partId", part_id}, {"quantity", "1"}, {"unitPrice", "1062.00"}},
         {{"type", "spare_part"}, {"partId", plain["id"]}, {"quantity", "1"}}}}});
  REQUIRE(q["items"].size() == 3);
  CHECK(q["items"][0]["unitPrice"] == "1180.00");
  CHECK(q["items"][0]["taxable"] == "1000.00");
  CHECK(q["items"][1]["unitPrice"] == "1062.00");
  CHECK(q["items"][1]["taxable"] == "900.00");  // half = 1062 x 9 / 118 = 81.00
  CHECK(q["items"][2]["unitPrice"] == "236.00");
  CHECK(q["items"][2]["taxable"] == "200.00");
  CHECK(q["items"][2]["cgst"] == "18.00");
  // An exclusive quotation updated to inclusive with its items: the MRP again.
  Json q2 = f.call(f.advisor, "quotations.Create",
                   {{"customerId", customer["id"]},
                    {"items", {{{"type", "spare_part"}, {"partId", part_id}, {"quantity", "1"}}}}});
  CHECK(q2["items"][0]["unitPrice"] == "1000.00");
  q2 = f.call(f.advisor, "quotations.Update",
              {{"id", q2["id"]},
               {"pricesIncludeTax", true},
               {"items", {{{"type", "spare_part"}, {"partId", part_id}, {"quantity", "1"}}}}});
  CHECK(q2["items"][0]["unitPrice"] == "1180.00");
  CHECK(q2["items"][0]["sgst"] == "90.00");

  // A negative MRP is VALIDATION naming mrp, on create and on update; nothing changes.
  const auto create_negative = caught([&] {
    f.call(f.system, "inventory.CreatePart",
           {{"partNumber", "MRP-12"}, {"name", "Bad"}, {"gstRate", "18"}, {"mrp", "-1.00"}});
  });
  CHECK(create_negative.code == ErrorCode::kValidation);
  CHECK(create_negative.field == "mrp");
  CHECK(f.count("SELECT COUNT(*) FROM inv_parts WHERE part_number = 'MRP-12'") == 0);
  const auto update_negative = caught([&] {
    f.call(f.system, "inventory.UpdatePart", {{"id", part_id}, {"mrp", "-0.01"}});
  });
  CHECK(update_negative.code == ErrorCode::kValidation);
  CHECK(update_negative.field == "mrp");

  // Get equals the List rows; an update changes the MRP and null removes it.
  const auto listed_mrp = [&] {
    const Json page = f.call(f.system, "inventory.ListParts", {{"partNumber", "MRP-10"}});
    REQUIRE_FALSE(page["data"].empty());
    for (const Json& row : page["data"]) CHECK(row["mrp"] == page["data"][0]["mrp"]);
    return page["data"][0]["mrp"];
  };
  CHECK(f.call(f.system, "inventory.GetPart", {{"id", part_id}})["mrp"] == "1180.00");
  CHECK(listed_mrp() == "1180.00");
  CHECK(f.call(f.system, "inventory.UpdatePart", {{"id", part_id}, {"mrp", "1200.00"}})["mrp"] ==
        "1200.00");
  CHECK(listed_mrp() == "1200.00");
  const Json cleared =
      f.call(f.system, "inventory.UpdatePart", {{"id", part_id}, {"mrp", nullptr}});
  CHECK(cleared["mrp"].is_null());
  CHECK(cleared["unitPrice"] == "1000.00");
  CHECK(listed_mrp().is_null());
  CHECK(f.call(f.system, "inventory.GetPart", {{"id", part_id}})["mrp"].is_null());
  // Without an MRP an inclusive order falls back to the selling price.
  const Json fallback = f.call(f.inventory_manager, "counterOrders.Create",
                               {{"customerId", customer["id"]},
                                {"pricesIncludeTax", true},
                                {"items", {{{"partId", part_id}, {"quantity", "1"}}}}});
  CHECK(fallback["items"][0]["unitPrice"] == "1000.00");
  f.verify_stock();
}

namespace {

// 4 processes each reserve a counter order of 4 pieces against 10: exactly 2 succeed.
void four_processes_reserve(storage::Engine engine) {
  SalesWorld f(engine);
  const std::string part = f.part("CONC-1", "87083000", "18", "100.00", "10");
  std::vector<std::string> orders;
  for (int i = 0; i < 4; ++i) {
    orders.push_back(f.call(f.inventory_manager, "counterOrders.Create",
                            {{"customerName", "Walk In"},
                             {"customerPhone", "+919833333333"},
                             {"items", {{{"partId", part}, {"quantity", "4"}}}}})["id"]);
  }
  const Context actor = f.inventory_manager;
  const std::string url = f.database.url();
  int ready[2];
  REQUIRE(pipe(ready) == 0);
  std::vector<pid_t> children;
  for (int i = 0; i < 4; ++i) {
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {  // the child: its own Database; no Catch2 here
      close(ready[1]);
      int code = 3;
      try {
        auto db = Database::open(url);
        char go;
        if (read(ready[0], &go, 1) != 1) _exit(4);
        db->call(actor, "counterOrders.Process", {{"id", orders[static_cast<size_t>(i)]}});
        code = 0;
      } catch (const Error& e) {
        code = e.code() == ErrorCode::kInsufficientStock ? 1 : 2;
      } catch (...) {
        code = 2;
      }
      _exit(code);
    }
    children.push_back(pid);
  }
  close(ready[0]);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  REQUIRE(write(ready[1], "gggg", 4) == 4);
  close(ready[1]);
  int ok = 0, insufficient = 0, other = 0;
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 9;
    ++(code == 0 ? ok : code == 1 ? insufficient : other);
  }
  CHECK(ok == 2);
  CHECK(insufficient == 2);
  CHECK(other == 0);
  CHECK(f.balance(part).allocated == qty("8"));
  CHECK(f.count("SELECT COUNT(*) FROM sales_counter_orders WHERE status = 'PROCESSING'") == 2);
  f.verify_stock();
}

}  // namespace

TEST_CASE("sales: 4 processes reserving against 10 pieces never reserve more (SQLite file)") {
  four_processes_reserve(storage::Engine::kSqlite);
}

TEST_CASE("sales: 4 processes reserving against 10 pieces never reserve more (PostgreSQL)") {
  four_processes_reserve(storage::Engine::kPostgres);
}
