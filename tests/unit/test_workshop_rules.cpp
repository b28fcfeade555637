// Pure rules of the workshop and billing: the state tables, validators, search detection and
// payment arithmetic.
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <utility>

#include "billing/invoice_rules.hpp"
#include "workshop/validation.hpp"
#include "workshop/workflows.hpp"

using namespace dms;
using namespace dms::workshop;

namespace {

// Walks every pair of states: allowed pairs are exactly `expected`; the others throw
// INVALID_STATUS_TRANSITION naming both states.
template <class State>
void check_table(const Workflow<State>& flow,
                 const std::set<std::pair<std::string, std::string>>& expected) {
  std::set<std::pair<std::string, std::string>> allowed;
  for (State from : flow.states()) {
    for (State to : flow.states()) {
      const std::pair<std::string, std::string> move{flow.name(from), flow.name(to)};
      INFO(move.first << " -> " << move.second);
      if (expected.count(move)) {
        CHECK(flow.allows(from, to));
        CHECK_NOTHROW(flow.require(from, to));
        allowed.insert(move);
        continue;
      }
      CHECK_FALSE(flow.allows(from, to));
      try {
        flow.require(from, to);
        FAIL("accepted");
      } catch (const Error& e) {
        CHECK(e.code() == ErrorCode::kInvalidStatusTransition);
        CHECK(e.from_state() == move.first);
        CHECK(e.to_state() == move.second);
      }
    }
  }
  CHECK(allowed == expected);
}

}  // namespace

TEST_CASE("job card: seed 002's transitions and issue 7's additions, nothing else") {
  check_table(kJobCardFlow, {{"CREATED", "ASSIGNED"},
                             {"ASSIGNED", "IN_PROGRESS"},
                             {"IN_PROGRESS", "PARTS_PENDING"},
                             {"IN_PROGRESS", "COMPLETED"},
                             {"PARTS_PENDING", "IN_PROGRESS"},
                             {"COMPLETED", "INVOICED"},
                             {"IN_PROGRESS", "WAITING_CUSTOMER_APPROVAL"},
                             {"WAITING_CUSTOMER_APPROVAL", "IN_PROGRESS"},
                             {"INVOICED", "DELIVERED"},
                             {"CREATED", "CANCELLED"},
                             {"ASSIGNED", "CANCELLED"},
                             {"IN_PROGRESS", "CANCELLED"},
                             {"PARTS_PENDING", "CANCELLED"},
                             {"WAITING_CUSTOMER_APPROVAL", "CANCELLED"}});
  CHECK(kJobCardFlow.states().size() == 9);
}

TEST_CASE("service request, appointment, parts request and invoice tables") {
  check_table(kServiceRequestFlow, {{"PENDING", "APPROVED"},
                                    {"PENDING", "REJECTED"},
                                    {"APPROVED", "SCHEDULED"},
                                    {"SCHEDULED", "IN_PROGRESS"},
                                    {"IN_PROGRESS", "COMPLETED"},
                                    {"PENDING", "CANCELLED"},
                                    {"APPROVED", "CANCELLED"},
                                    {"SCHEDULED", "CANCELLED"},
                                    {"IN_PROGRESS", "CANCELLED"}});
  check_table(kAppointmentFlow, {{"SCHEDULED", "CONFIRMED"},
                                 {"SCHEDULED", "ARRIVED"},
                                 {"CONFIRMED", "ARRIVED"},
                                 {"ARRIVED", "CONVERTED"},
                                 {"SCHEDULED", "NO_SHOW"},
                                 {"CONFIRMED", "NO_SHOW"},
                                 {"SCHEDULED", "CANCELLED"},
                                 {"CONFIRMED", "CANCELLED"},
                                 {"ARRIVED", "CANCELLED"}});
  check_table(kPartsRequestFlow, {{"PENDING", "ISSUED"},
                                  {"PENDING", "PARTIALLY_ISSUED"},
                                  {"PENDING", "REJECTED"},
                                  {"PENDING", "CANCELLED"}});
  check_table(billing::kInvoiceFlow, {{"DRAFT", "FINALIZED"},
                                      {"DRAFT", "CANCELLED"},
                                      {"FINALIZED", "PARTIALLY_PAID"},
                                      {"FINALIZED", "PAID"},
                                      {"PARTIALLY_PAID", "PAID"},
                                      {"FINALIZED", "CANCELLED"},
                                      {"PARTIALLY_PAID", "CANCELLED"},
                                      {"PAID", "CANCELLED"}});
}

TEST_CASE("phone, e-mail, pincode, registration, VIN and time checks") {
  CHECK(is_indian_mobile("+919876543210"));
  CHECK(is_indian_mobile("+916000000000"));
  CHECK_FALSE(is_indian_mobile("+915876543210"));  // must start 6-9
  CHECK_FALSE(is_indian_mobile("9876543210"));
  CHECK_FALSE(is_indian_mobile("+91987654321"));
  CHECK_FALSE(is_indian_mobile("+9198765432100"));
  CHECK_FALSE(is_indian_mobile("+91987654321a"));

  CHECK(is_email("john@example.com"));
  CHECK(is_email("j.o+tag@mail.example.co.in"));
  CHECK_FALSE(is_email("john@example"));
  CHECK_FALSE(is_email("john example@x.com"));
  CHECK_FALSE(is_email("@example.com"));
  CHECK_FALSE(is_email("a@@example.com"));
  CHECK_FALSE(is_email("a@example..com"));
  CHECK_FALSE(is_email("a@-example.com"));

  CHECK(is_pincode("400001"));
  CHECK_FALSE(is_pincode("040001"));
  CHECK_FALSE(is_pincode("40001"));

  CHECK(is_registration("MH01AB1234"));
  CHECK(is_registration("KA05M9999"));
  CHECK_FALSE(is_registration("MH1AB1234"));
  CHECK_FALSE(is_registration("MH01ABC1234"));
  CHECK_FALSE(is_registration("mh01ab1234"));
  CHECK(normalize_vehicle_identifier("mh 01-ab 1234") == "MH01AB1234");

  CHECK(is_vin("VIN123456789"));
  CHECK(is_vin("1HGCM82633A004352"));
  CHECK_FALSE(is_vin("VIN12"));
  CHECK_FALSE(is_vin("1HGCM82633A0043521"));

  CHECK(is_time_of_day("09:30"));
  CHECK_FALSE(is_time_of_day("24:00"));
  CHECK_FALSE(is_time_of_day("9:30"));

  try {
    check_indian_mobile("12345", "whatsappNumber");
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kValidation);
    CHECK(e.field() == "whatsappNumber");
  }
}

TEST_CASE("customer search auto-detection follows seed 002") {
  CHECK(detect_search_kind("+919876543210") == SearchKind::kPhone);
  CHECK(detect_search_kind("9876543210") == SearchKind::kPhone);
  CHECK(detect_search_kind("98765 43210") == SearchKind::kPhone);
  CHECK(detect_search_kind("john@example.com") == SearchKind::kEmail);
  CHECK(detect_search_kind("MH01AB1234") == SearchKind::kRegistration);
  CHECK(detect_search_kind("mh 01 ab 1234") == SearchKind::kRegistration);
  CHECK(detect_search_kind("VIN123456789") == SearchKind::kVin);
  CHECK(detect_search_kind("1HGCM82633A004352") == SearchKind::kVin);
  CHECK(detect_search_kind("John Doe") == SearchKind::kName);
  CHECK(detect_search_kind("Jo") == SearchKind::kName);
  CHECK(parse_search_kind("vin", "anything") == SearchKind::kVin);
  CHECK(parse_search_kind("auto", "john") == SearchKind::kName);
  CHECK_THROWS_AS(parse_search_kind("colour", "x"), Error);
  CHECK(phone_digits("+91 98765-43210") == "9876543210");
}

TEST_CASE("payments: statuses, overpayment, overdue") {
  using billing::InvoiceStatus;
  const Money total = Money::parse("1180.00");
  CHECK(billing::status_after_payment(total, Money::parse("500.00")) ==
        InvoiceStatus::kPartiallyPaid);
  CHECK(billing::status_after_payment(total, total) == InvoiceStatus::kPaid);
  CHECK(billing::status_after_payment(total, Money()) == InvoiceStatus::kFinalized);
  CHECK_NOTHROW(billing::check_payment_amount(Money::parse("680.00"), Money::parse("680.00")));
  for (const char* bad : {"680.01", "0.00", "-1.00"}) {
    try {
      billing::check_payment_amount(Money::parse(bad), Money::parse("680.00"));
      FAIL("accepted " << bad);
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::kValidation);
      CHECK(e.field() == "amount");
    }
  }
  const Date due = Date::parse("2025-04-15");
  CHECK(billing::is_overdue(Money::parse("1.00"), due, Date::parse("2025-04-16")));
  CHECK_FALSE(billing::is_overdue(Money::parse("1.00"), due, Date::parse("2025-04-15")));
  CHECK_FALSE(billing::is_overdue(Money(), due, Date::parse("2025-05-01")));
}
