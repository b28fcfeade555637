// The main job of scripts/demo.sh: one realistic day of a dealer group on an embedded SQLite file.
//
// Sets up a central warehouse in Maharashtra, two service centers (Mumbai, Maharashtra and
// Bengaluru, Karnataka) and a user of every role; then receives a purchase order, issues parts to
// a service center, takes two job cards to paid and delivered invoices (an intra-state customer
// and an inter-state B2B customer), and raises a low-stock alert. Prints stock per location before
// and after, each invoice's tax breakdown, the audit row count, verify_stock() and the audit-chain
// check. Each run starts from a fresh file.
//
// Everything goes through dms::Database::call, exactly as the C, Python and Node bindings do.
#include <dms/database.hpp>
#include <dms/error.hpp>
#include <dms/gst.hpp>
#include <dms/money.hpp>
#include <dms/version.hpp>

#include <cstdio>
#include <iomanip>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace {

using dms::Context;
using dms::Json;

// A GSTIN with a correct check character: state code + PAN + entity number + 'Z'.
std::string make_gstin(const std::string& state_code, const std::string& pan) {
  const std::string first14 = state_code + pan + "1Z";
  return first14 + dms::gstin_check_character(first14);
}

class Day {
 public:
  explicit Day(const std::string& path) : db_(dms::Database::open(path)) {}

  Json call(const Context& ctx, const char* method, const Json& request) {
    return db_->call(ctx, method, request);
  }

  Context user(const char* email, const char* first, const char* role,
               const std::string& service_center_id = "") {
    Json request = {{"email", email},     {"phone", next_phone()}, {"firstName", first},
                    {"lastName", "Demo"}, {"role", role},          {"deliveryChannel", "email"}};
    if (!service_center_id.empty()) request["serviceCenterId"] = service_center_id;
    const Context& creator = has_admin_ ? admin_ : system_;
    const Json created = call(creator, "users.Create", request);
    const std::string id = created.contains("user") ? created["user"]["id"].get<std::string>()
                                                    : created["id"].get<std::string>();
    ++users_;
    return db_->context_for_user(id);
  }

  void run();

 private:
  std::string next_phone() { return "+9198" + std::to_string(10000000 + users_ * 7919); }
  void print_stock(const char* title);
  void print_invoice(const Json& invoice);
  std::string take_job_card_to_delivery(const std::string& label, const Json& customer_request,
                                        const Json& vehicle_request);

  std::unique_ptr<dms::Database> db_;
  Context system_ = db_->system_context();
  Context admin_;
  bool has_admin_ = false;
  int users_ = 0;
  std::map<std::string, Context> staff_;  // "SC01.sc_manager" -> context
  std::map<std::string, std::string> center_ids_;
  std::map<std::string, std::string> part_ids_;
  std::vector<Json> invoices_;
};

std::string id_of(const Json& doc) {
  return doc.at("id").get<std::string>();
}

void Day::print_stock(const char* title) {
  std::cout << "\n" << title << "\n";
  std::cout << "  " << std::left << std::setw(24) << "location" << std::setw(18) << "part"
            << std::right << std::setw(10) << "on hand" << std::setw(11) << "allocated"
            << std::setw(11) << "available" << std::setw(14) << "avg cost"
            << "\n";
  int rows = 0;
  const Json locations = call(admin_, "inventory.ListLocations", Json::object());
  for (const auto& location : locations["data"]) {
    const std::string kind = location.value("kind", std::string());
    if (kind != "WAREHOUSE" && kind != "STORE" && kind != "IN_TRANSIT") continue;
    const Json page =
        call(admin_, "inventory.ListParts", {{"locationId", id_of(location)}, {"limit", 100}});
    for (const auto& part : page["data"]) {
      if (part.value("stockQuantity", std::string("0")) == "0" &&
          part.value("allocated", std::string("0")) == "0") {
        continue;
      }
      ++rows;
      std::cout << "  " << std::left << std::setw(24) << location.value("name", std::string())
                << std::setw(18) << part.value("partName", std::string()) << std::right
                << std::setw(10) << part.value("stockQuantity", std::string()) << std::setw(11)
                << part.value("allocated", std::string()) << std::setw(11)
                << part.value("available", std::string()) << std::setw(14)
                << part.value("averageCost", std::string()) << "\n";
    }
  }
  if (rows == 0) std::cout << "  (no stock anywhere)\n";
}

void Day::print_invoice(const Json& invoice) {
  auto text = [](const Json& doc, const char* name) {
    const auto it = doc.find(name);
    return it == doc.end() || it->is_null() ? std::string("-")
           : it->is_string()                ? it->get<std::string>()
                                            : it->dump();
  };
  std::cout << "\n  Invoice " << text(invoice, "invoiceNumber") << "  "
            << text(invoice, "supplyType") << " (supplier state "
            << text(invoice, "supplierStateCode") << ", place of supply "
            << text(invoice, "placeOfSupply") << "), " << text(invoice, "status") << "\n";
  std::cout << "    " << std::left << std::setw(30) << "item" << std::right << std::setw(6) << "qty"
            << std::setw(10) << "price" << std::setw(6) << "GST%" << std::setw(10) << "taxable"
            << std::setw(9) << "CGST" << std::setw(9) << "SGST" << std::setw(9) << "IGST"
            << std::setw(10) << "total"
            << "\n";
  for (const auto& line : invoice["items"]) {
    std::cout << "    " << std::left << std::setw(30) << text(line, "description") << std::right
              << std::setw(6) << text(line, "quantity") << std::setw(10) << text(line, "unitPrice")
              << std::setw(6) << text(line, "gstRate") << std::setw(10) << text(line, "taxable")
              << std::setw(9) << text(line, "cgst") << std::setw(9) << text(line, "sgst")
              << std::setw(9) << text(line, "igst") << std::setw(10) << text(line, "total") << "\n";
  }
  for (const auto& rate : invoice["taxSummary"]) {
    std::cout << "    GST " << std::setw(2) << text(rate, "rate") << "%: taxable "
              << text(rate, "taxable") << ", CGST " << text(rate, "cgst") << ", SGST "
              << text(rate, "sgst") << ", IGST " << text(rate, "igst") << "\n";
  }
  std::cout << "    taxable " << text(invoice, "taxable") << " + CGST " << text(invoice, "cgst")
            << " + SGST " << text(invoice, "sgst") << " + IGST " << text(invoice, "igst") << " = "
            << text(invoice, "total") << "; round-off " << text(invoice, "roundOff")
            << "; grand total " << text(invoice, "grandTotal") << "; paid "
            << text(invoice, "paidAmount") << "\n";
}

std::string Day::take_job_card_to_delivery(const std::string& label, const Json& customer_request,
                                           const Json& vehicle_request) {
  const std::string sc = center_ids_["SC01"];
  const Context& advisor = staff_["SC01.service_advisor"];
  const Context& manager = staff_["SC01.sc_manager"];
  const Context& engineer = staff_["SC01.service_engineer"];
  const Context& store = staff_["SC01.inventory_manager"];

  const Json customer = call(advisor, "customers.Create", customer_request);
  Json vehicle_req = vehicle_request;
  vehicle_req["customerId"] = id_of(customer);
  const Json vehicle = call(advisor, "vehicles.Create", vehicle_req);
  const Json job = call(advisor, "jobCards.Create",
                        {{"serviceCenterId", sc},
                         {"customerId", id_of(customer)},
                         {"vehicleId", id_of(vehicle)},
                         {"serviceType", "Periodic Service"},
                         {"description", "Battery range drop and brake noise"},
                         {"priority", "MEDIUM"},
                         {"part1Data",
                          {{"fullName", customer_request["name"]},
                           {"mobilePrimary", customer_request["phone"]},
                           {"registrationNumber", vehicle_request["registration"]},
                           {"customerFeedback", "Brakes squeal"}}}});
  const std::string job_id = id_of(job);
  std::cout << "  " << label << ": customer " << customer.value("customerNumber", std::string(""))
            << ", vehicle " << vehicle_request["registration"].get<std::string>() << ", job card "
            << job.value("jobCardNumber", std::string("")) << "\n";

  call(manager, "jobCards.AssignEngineer", {{"id", job_id}, {"engineerId", engineer.user_id}});
  call(engineer, "jobCards.Start", {{"id", job_id}});
  const Json parts_request =
      call(engineer, "jobCards.RequestParts",
           {{"id", job_id},
            {"parts",
             {{{"partId", part_ids_["BRK-PAD-001"]}, {"requestedQty", "2"}, {"isWarranty", false}},
              {{"partId", part_ids_["COOL-001"]}, {"requestedQty", "1.5"}}}},
            {"urgency", "HIGH"}});
  const std::string request_id =
      parts_request.value("partsRequestId", parts_request.value("id", std::string()));
  call(store, "partsRequests.Approve", {{"id", request_id}});
  call(engineer, "jobCards.UpdateStatus", {{"id", job_id}, {"status", "IN_PROGRESS"}});
  call(engineer, "jobCards.AddServiceLine",
       {{"id", job_id},
        {"serviceType", "Brake service"},
        {"rate", "1500.00"},
        {"estimatedHours", "1.5"}});
  call(engineer, "jobCards.Complete", {{"id", job_id}});

  const Json draft = call(manager, "invoices.CreateFromJobCard", {{"jobCardId", job_id}});
  const Json invoice = call(manager, "invoices.Finalize", {{"id", id_of(draft)}});
  const dms::Money grand = dms::Money::parse(invoice.at("grandTotal").get<std::string>());
  const dms::Money first = grand.mul_div(1, 2, dms::Rounding::kDown);
  call(manager, "invoices.RecordPayment",
       {{"id", id_of(invoice)},
        {"amount", first.to_string()},
        {"paymentMethod", "upi"},
        {"transactionId", "UPI-" + label}});
  call(manager, "invoices.RecordPayment",
       {{"id", id_of(invoice)},
        {"amount", (grand - first).to_string()},
        {"paymentMethod", "card"},
        {"transactionId", "CARD-" + label}});
  call(manager, "jobCards.Deliver", {{"id", job_id}});
  invoices_.push_back(call(manager, "invoices.Get", {{"id", id_of(invoice)}}));
  const Json v = call(advisor, "vehicles.Get", {{"id", id_of(vehicle)}});
  std::cout << "    paid " << grand.to_string() << " in two payments; vehicle now "
            << v.value("currentStatus", std::string("")) << ", services "
            << v.value("totalServices", 0) << ", spent " << v.value("totalSpent", std::string(""))
            << "\n";
  return job_id;
}

void Day::run() {
  std::cout << "libdms " << dms::version_string() << ": a day at a dealer group\n";

  // --- Set-up: an admin, two service centers in different states, a user of every role.
  admin_ = user("admin@dealer.example", "Asha", "admin");
  has_admin_ = true;
  struct Center {
    const char* code;
    const char* name;
    const char* city;
    const char* state;
    const char* state_code;
    const char* pan;
  };
  const Center centers[] = {
      {"SC01", "SC01 - Mumbai", "Mumbai", "Maharashtra", "27", "AAACM1234F"},
      {"SC02", "SC02 - Bengaluru", "Bengaluru", "Karnataka", "29", "AAACB5678K"}};
  for (const auto& c : centers) {
    const Json created =
        call(admin_, "serviceCenters.Create",
             {{"code", c.code},
              {"name", c.name},
              {"address", {{"city", c.city}, {"state", c.state}, {"stateCode", c.state_code}}},
              {"gstin", make_gstin(c.state_code, c.pan)},
              {"phone", "+912212345678"},
              {"email", std::string(c.code) + "@dealer.example"}});
    center_ids_[c.code] = id_of(created);
    for (const char* role : {"sc_manager", "service_advisor", "service_engineer",
                             "inventory_manager", "call_center"}) {
      const std::string email = std::string(role) + "." + c.code + "@dealer.example";
      staff_[std::string(c.code) + "." + role] =
          user(email.c_str(), role, role, center_ids_[c.code]);
    }
  }
  const Context central = user("central@dealer.example", "Ravi", "central_inventory_manager");
  std::cout << "  set up: 2 service centers, " << users_ << " users in 7 roles\n";

  // The supplier is in Maharashtra, like the central warehouse: purchases are intra-state.
  const Json supplier = call(central, "suppliers.Create",
                             {{"name", "Volt Parts Pvt Ltd"},
                              {"contactPerson", "John Smith"},
                              {"phone", "+919820012345"},
                              {"email", "sales@voltparts.example"},
                              {"gstin", make_gstin("27", "AABCV4321P")}});
  struct PartDef {
    const char* number;
    const char* name;
    const char* unit;
    const char* hsn;
    const char* cost;
    const char* price;
    const char* gst;
  };
  const PartDef parts[] = {
      {"BAT-MOD-001", "Battery Module", "piece", "85076000", "40000.00", "50000.00", "18"},
      {"BRK-PAD-001", "Brake Pad Set", "set", "87083000", "2000.00", "2500.00", "28"},
      {"COOL-001", "Coolant", "litre", "38200000", "350.00", "450.00", "18"}};
  for (const auto& p : parts) {
    const Json created = call(central, "inventory.CreatePart",
                              {{"partNumber", p.number},
                               {"partName", p.name},
                               {"unit", p.unit},
                               {"hsnCode", p.hsn},
                               {"costPrice", p.cost},
                               {"unitPrice", p.price},
                               {"gstRate", p.gst},
                               {"supplierId", id_of(supplier)},
                               {"category", "Service Parts"}});
    part_ids_[p.number] = id_of(created);
  }
  print_stock("Stock before the day:");

  // --- Purchase order (seed 002 workflow 1).
  const Json po = call(central, "purchaseOrders.Create",
                       {{"supplierId", id_of(supplier)},
                        {"items",
                         {{{"partId", part_ids_["BAT-MOD-001"]},
                           {"quantity", 100},
                           {"unitPrice", "40000.00"},
                           {"gstRate", "18"}},
                          {{"partId", part_ids_["BRK-PAD-001"]},
                           {"quantity", 60},
                           {"unitPrice", "2000.00"},
                           {"gstRate", "28"}},
                          {{"partId", part_ids_["COOL-001"]},
                           {"quantity", "40"},
                           {"unitPrice", "350.00"},
                           {"gstRate", "18"}}}}});
  call(central, "purchaseOrders.Submit", {{"id", id_of(po)}});
  call(admin_, "purchaseOrders.Approve", {{"id", id_of(po)}, {"notes", "Approved"}});
  Json received_items = Json::array();
  for (const auto& item : po["items"]) {
    const std::string qty = item["quantity"].get<std::string>();
    const bool battery = item.value("partId", std::string()) == part_ids_["BAT-MOD-001"];
    received_items.push_back({{"itemId", id_of(item)},
                              {"receivedQty", qty},
                              {"acceptedQty", battery ? "98" : qty},
                              {"rejectedQty", battery ? "2" : "0"},
                              {"condition", battery ? "PARTIAL" : "GOOD"},
                              {"notes", battery ? "2 units damaged in transit" : ""}});
  }
  const Json po_done = call(
      central, "purchaseOrders.Receive",
      {{"id", id_of(po)}, {"receivedItems", received_items}, {"invoiceNumber", "SUP-INV-001"}});
  std::cout << "\nPurchase order " << po.value("poNumber", std::string("")) << ": subtotal "
            << po.value("subtotal", std::string("")) << ", CGST "
            << po.value("cgst", std::string("")) << ", SGST " << po.value("sgst", std::string(""))
            << ", total " << po.value("totalAmount", std::string(""))
            << "; received, 2 batteries rejected, now " << po_done.value("status", std::string(""))
            << "\n";

  // --- Parts issue, central to SC01 (seed 002 workflow 2), with a low-stock threshold at SC01.
  const Json issue = call(staff_["SC01.sc_manager"], "partsIssues.Create",
                          {{"toServiceCenterId", center_ids_["SC01"]},
                           {"items",
                            {{{"partId", part_ids_["BAT-MOD-001"]}, {"requestedQty", 10}},
                             {{"partId", part_ids_["BRK-PAD-001"]}, {"requestedQty", 6}},
                             {{"partId", part_ids_["COOL-001"]}, {"requestedQty", 10}}}},
                           {"priority", "HIGH"},
                           {"notes", "Stock for pending jobs"}});
  call(admin_, "partsIssues.Approve", {{"id", id_of(issue)}});
  call(central, "partsIssues.Dispatch",
       {{"id", id_of(issue)},
        {"trackingNumber", "TRK-123456"},
        {"transportDetails", {{"vehicleNumber", "MH01AB1234"}, {"driverName", "Ramesh"}}}});
  Json arrived = Json::array();
  for (const auto& item : issue["items"]) {
    arrived.push_back(
        {{"itemId", id_of(item)}, {"receivedQty", item["requestedQty"]}, {"condition", "GOOD"}});
  }
  call(staff_["SC01.inventory_manager"], "partsIssues.Receive",
       {{"id", id_of(issue)}, {"receivedItems", arrived}});
  call(staff_["SC01.inventory_manager"], "inventory.SetStockLevels",
       {{"partId", part_ids_["BRK-PAD-001"]},
        {"serviceCenterId", center_ids_["SC01"]},
        {"minStockLevel", "3"},
        {"reorderPoint", "3"},
        {"location", "Rack A-5"}});
  std::cout << "Parts issue " << issue.value("issueNumber", std::string(""))
            << ": approved, dispatched and received at SC01\n";

  // --- Two job cards at SC01: an intra-state and an inter-state (B2B, Karnataka GSTIN) customer.
  std::cout << "\nWorkshop:\n";
  take_job_card_to_delivery("intra-state",
                            {{"name", "Priya Sharma"},
                             {"phone", "+919876543210"},
                             {"email", "priya@example.com"},
                             {"cityState", "Mumbai, Maharashtra"},
                             {"customerType", "B2C"}},
                            {{"registration", "MH01AB1234"},
                             {"vin", "VIN0000000000001"},
                             {"vehicleMake", "Tata"},
                             {"vehicleModel", "Nexon EV"},
                             {"vehicleYear", 2023}});
  take_job_card_to_delivery("inter-state",
                            {{"name", "Karnataka Fleet Services"},
                             {"phone", "+919845012345"},
                             {"cityState", "Bengaluru, Karnataka"},
                             {"customerType", "B2B"},
                             {"gstin", make_gstin("29", "AAFCK2468Q")}},
                            {{"registration", "KA05MN4321"},
                             {"vin", "VIN0000000000002"},
                             {"vehicleMake", "MG"},
                             {"vehicleModel", "ZS EV"},
                             {"vehicleYear", 2024}});

  std::cout << "\nInvoices:";
  for (const auto& invoice : invoices_) print_invoice(invoice);

  const Json low = call(staff_["SC01.inventory_manager"], "inventory.LowStock", Json::object());
  std::cout << "\nLow-stock alerts at SC01:\n";
  for (const auto& row : low["data"]) {
    std::cout << "  " << row.value("partName", std::string("")) << ": stock "
              << row.value("stockQuantity", std::string("")) << ", min "
              << row.value("minStockLevel", std::string("")) << ", deficit "
              << row.value("deficit", std::string("")) << "\n";
  }
  print_stock("Stock after the day:");

  const Json audit = call(admin_, "auditLogs.List", {{"limit", 1}});
  const Json chain = call(admin_, "auditLogs.Verify", Json::object());
  const Json stock = call(admin_, "inventory.VerifyStock", Json::object());
  std::cout << "\nAudit rows written: " << audit["pagination"].value("total", 0) << "\n";
  std::cout << "Audit chains: " << (chain.value("ok", false) ? "ok" : "BROKEN") << ", "
            << chain["chains"].size() << " chains (one per service center, one for the group), "
            << chain.value("rows", 0) << " rows\n";
  std::cout << "verify_stock(): " << stock.dump() << "\n";
  if (!chain.value("ok", false) || !stock.value("ok", false))
    throw dms::Error::Internal("checks failed");
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "dealer.db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  try {
    Day day(path);
    day.run();
    std::cout << "\nDatabase: " << path << "\n";
    return 0;
  } catch (const dms::Error& e) {
    std::cerr << "demo failed: " << e.info().name << " " << e.message()
              << (e.field().empty() ? "" : " (field " + e.field() + ")") << "\n";
    return 1;
  }
}
