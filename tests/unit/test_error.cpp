#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "dms/error.hpp"

using dms::Error;
using dms::ErrorCode;

TEST_CASE("error codes are unique, named and mapped to the seed's legacy codes") {
  size_t n = 0;
  const dms::ErrorInfo* infos = dms::all_error_infos(&n);
  REQUIRE(n >= 20);
  std::set<int> numbers;
  std::set<std::string> names;
  const std::set<std::string> legacy = {"OK",
                                        "AUTH_001",
                                        "AUTH_002",
                                        "AUTH_003",
                                        "VALIDATION_001",
                                        "NOT_FOUND_001",
                                        "DUPLICATE_001",
                                        "BUSINESS_001",
                                        "SERVER_001"};
  for (size_t i = 0; i < n; ++i) {
    CHECK(numbers.insert(static_cast<int>(infos[i].code)).second);
    CHECK(names.insert(infos[i].name).second);
    CHECK(legacy.count(infos[i].legacy_code) == 1);
    CHECK(&dms::error_info(infos[i].code) == &infos[i]);
    CHECK(dms::error_code_from_name(infos[i].name) == infos[i].code);
    if (i > 0) CHECK(static_cast<int>(infos[i - 1].code) < static_cast<int>(infos[i].code));
  }
  // Every legacy code of seed 000 section 10.4 is reachable.
  std::set<std::string> reached;
  for (size_t i = 0; i < n; ++i) reached.insert(infos[i].legacy_code);
  CHECK(reached == legacy);
}

TEST_CASE("the numbers are part of the ABI") {
  CHECK(static_cast<int>(ErrorCode::kInvalidCredentials) == 101);
  CHECK(static_cast<int>(ErrorCode::kValidation) == 200);
  CHECK(static_cast<int>(ErrorCode::kNotFound) == 300);
  CHECK(static_cast<int>(ErrorCode::kConflict) == 401);
  CHECK(static_cast<int>(ErrorCode::kInvalidStatusTransition) == 501);
  CHECK(static_cast<int>(ErrorCode::kInsufficientStock) == 502);
  CHECK(static_cast<int>(ErrorCode::kInternal) == 999);
}

TEST_CASE("factories carry code, field, states, http hint and retryable flag") {
  const Error v = Error::Validation("phone", "phone must match ^\\+91[6-9]\\d{9}$");
  CHECK(v.code() == ErrorCode::kValidation);
  CHECK(v.field() == "phone");
  CHECK(v.info().http_status == 400);
  CHECK(std::string(v.what()).rfind("VALIDATION_ERROR: ", 0) == 0);

  const Error t = Error::InvalidTransition("job card", "CREATED", "COMPLETED");
  CHECK(t.code() == ErrorCode::kInvalidStatusTransition);
  CHECK(t.from_state() == "CREATED");
  CHECK(t.to_state() == "COMPLETED");
  CHECK(t.message() == "Invalid status transition of job card from CREATED to COMPLETED");

  CHECK(Error::Conflict("row changed").retryable());
  CHECK_FALSE(Error::NotFound("customer", "x").retryable());
  CHECK(Error::Forbidden("job_cards:create").info().http_status == 403);
  CHECK(dms::error_info(static_cast<ErrorCode>(12345)).code == ErrorCode::kInternal);
}

TEST_CASE("every code has an HTTP hint, and each business rule has its own code in its group") {
  size_t n = 0;
  const dms::ErrorInfo* infos = dms::all_error_infos(&n);
  size_t rules = 0;
  for (size_t i = 0; i < n; ++i) {
    const int number = static_cast<int>(infos[i].code);
    INFO(infos[i].name);
    if (number == 0) continue;
    CHECK(infos[i].http_status >= 400);
    CHECK(infos[i].http_status <= 599);
    if (number > 502 && number < 600) {
      ++rules;
      CHECK(std::string(infos[i].legacy_code) == "BUSINESS_001");
      CHECK_FALSE(infos[i].retryable);
      CHECK((infos[i].http_status == 409 || infos[i].http_status == 422));
      const Error e = Error::BusinessRule(infos[i].code, "why");
      CHECK(e.code() == infos[i].code);
      CHECK(std::string(e.what()) == std::string(infos[i].name) + ": why");
    }
  }
  CHECK(rules == 45);  // 503-532, 540-547, 555, 560-561, 580-583: adding a rule means adding its
                       // code here and in the docs
  CHECK(static_cast<int>(ErrorCode::kServiceCenterInactive) == 503);
  CHECK(static_cast<int>(ErrorCode::kVehicleHasOpenJobCard) == 508);
  CHECK(static_cast<int>(ErrorCode::kInvoiceIsDraft) == 531);
  CHECK(static_cast<int>(ErrorCode::kLeadClosed) == 540);
  CHECK(static_cast<int>(ErrorCode::kCounterOrderItemsFixed) == 547);
  CHECK(static_cast<int>(ErrorCode::kCustomerNoEmail) == 583);
}
