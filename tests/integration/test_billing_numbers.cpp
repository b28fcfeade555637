// Billing's number series (billing/numbering.hpp) through the services: a service center whose
// code is too long for a 16-character GST invoice number is refused at finalize, with the code
// and the limit named, and nothing is numbered.
#include <catch2/catch.hpp>
#include <string>

#include "workshop_fixture.hpp"

using namespace dms;
using dms::test::caught;

TEST_CASE("billing: a center code too long for a 16-character invoice number is refused") {
  test::WorkshopFixture f(GENERATE(test::engines()));
  INFO("engine: " << storage::engine_name(f.database.engine()));
  // Identity accepts codes of up to 20 characters; invoice numbers fit 5.
  const std::string central_id = f.create_center("CENTRAL", "27");
  const Context manager = f.user_context("sc_manager", central_id);
  const Json customer = f.customer();
  const Json draft = f.call(manager, "invoices.Create",
                            {{"customerId", customer["id"]},
                             {"items",
                              {{{"type", "service"},
                                {"description", "Battery health check"},
                                {"hsnSac", "998714"},
                                {"quantity", "1"},
                                {"unitPrice", "1000.00"},
                                {"gstRate", "18"}}}}});
  CHECK(draft["status"] == "DRAFT");
  const auto error = caught([&] { f.call(manager, "invoices.Finalize", {{"id", draft["id"]}}); });
  CHECK(error.code == ErrorCode::kValidation);
  CHECK(error.field == "numberFormat");
  CHECK_THAT(error.message, Catch::Contains("CENTRAL") && Catch::Contains("16 characters") &&
                                Catch::Contains("at most 5 characters"));
  const Json after = f.call(manager, "invoices.Get", {{"id", draft["id"]}});
  CHECK(after["status"] == "DRAFT");
  CHECK(after["invoiceNumber"].is_null());
  // A center with a short code numbers from 1: the refusal moved no counter anywhere.
  const Json other = f.call(f.manager, "invoices.Create",
                            {{"customerId", customer["id"]},
                             {"items",
                              {{{"description", "Check"},
                                {"hsnSac", "998714"},
                                {"quantity", "1"},
                                {"unitPrice", "10.00"},
                                {"gstRate", "18"}}}}});
  const std::string number =
      f.call(f.manager, "invoices.Finalize", {{"id", other["id"]}})["invoiceNumber"];
  CHECK(number.substr(0, 6) == "SC001/");
  CHECK(number.substr(number.size() - 6) == "/00001");
}
