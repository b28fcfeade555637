// GST identities: state codes, GSTIN validation, intra- or inter-state supply.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>

#include "dms/error.hpp"
#include "dms/gst.hpp"

namespace {

// The field and message of the validation error `gstin` raises ("" when it is valid).
std::string gstin_problem(const std::string& gstin) {
  try {
    dms::validate_gstin(gstin, "customer.gstin");
    return "";
  } catch (const dms::Error& e) {
    CHECK(e.code() == dms::ErrorCode::kValidation);
    CHECK(e.field() == "customer.gstin");
    return e.message();
  }
}

}  // namespace

TEST_CASE("state table: codes ascend, names and aliases resolve", "[gst]") {
  std::size_t count = 0;
  const dms::IndianState* states = dms::indian_states(&count);
  REQUIRE(count >= 38);
  for (std::size_t i = 1; i < count; ++i)
    CHECK(std::strcmp(states[i - 1].code, states[i].code) < 0);

  CHECK(std::string(dms::find_state_by_code("27")->name) == "Maharashtra");
  CHECK(std::string(dms::find_state_by_code("37")->name) == "Andhra Pradesh");
  CHECK(std::string(dms::find_state_by_code("38")->name) == "Ladakh");
  CHECK(dms::find_state_by_code("00") == nullptr);
  CHECK(dms::find_state_by_code("7") == nullptr);
  CHECK(dms::find_state_by_code("40") == nullptr);

  CHECK(std::string(dms::find_state_by_name("  maharashtra ")->code) == "27");
  CHECK(std::string(dms::find_state_by_name("TAMIL NADU")->code) == "33");
  CHECK(std::string(dms::find_state_by_name("Jammu & Kashmir")->code) == "01");
  CHECK(std::string(dms::find_state_by_name("Jammu&Kashmir")->code) == "01");
  CHECK(std::string(dms::find_state_by_name("Andaman & Nicobar Islands")->code) == "35");
  CHECK(std::string(dms::find_state_by_name("Orissa")->code) == "21");
  CHECK(std::string(dms::find_state_by_name("Pondicherry")->code) == "34");
  CHECK(std::string(dms::find_state_by_name("Andhra Pradesh")->code) == "37");  // not 28
  CHECK(std::string(dms::find_state_by_name("Daman and Diu")->code) == "26");   // merged 2020
  CHECK(dms::find_state_by_name("Mumbai") == nullptr);
  CHECK(dms::find_state_by_name("") == nullptr);
}

TEST_CASE("GSTIN: check character and every kind of rejection", "[gst]") {
  // Published GSTINs of large companies (their check characters are the network's).
  for (const char* valid :
       {"27AAPFU0939F1ZV", "29AAGCB7383J1Z4", "33AAACH7409R1Z8", "24AAACC1206D1ZM"}) {
    INFO(valid);
    CHECK(dms::gstin_check_character(valid) == valid[14]);
    CHECK(gstin_problem(valid).empty());
    CHECK(dms::is_valid_gstin(valid));
  }
  CHECK(std::string(dms::validate_gstin("29AAGCB7383J1Z4").code) == "29");

  CHECK_THAT(gstin_problem("27AAPFU0939F1Z"), Catch::Contains("15 characters"));
  CHECK_THAT(gstin_problem("27AAPFU0939F1ZVX"), Catch::Contains("15 characters"));
  CHECK_THAT(gstin_problem("00AAPFU0939F1ZV"), Catch::Contains("state code"));
  CHECK_THAT(gstin_problem("96AAPFU0939F1ZV"), Catch::Contains("state code"));
  CHECK_THAT(gstin_problem("2AAAPFU0939F1ZV"), Catch::Contains("state code"));
  CHECK_THAT(gstin_problem("27AAPF10939F1ZV"), Catch::Contains("PAN"));
  CHECK_THAT(gstin_problem("27AAPFU09X9F1ZV"), Catch::Contains("PAN"));
  CHECK_THAT(gstin_problem("27AAPFU093941ZV"), Catch::Contains("PAN"));
  CHECK_THAT(gstin_problem("27aapfu0939f1zv"), Catch::Contains("PAN"));
  CHECK_THAT(gstin_problem("27AAPFU0939F0ZV"), Catch::Contains("character 13"));
  CHECK_THAT(gstin_problem("27AAPFU0939F1-V"), Catch::Contains("character 14"));
  CHECK_THAT(gstin_problem("27AAPFU0939F1ZW"), Catch::Contains("check character"));
  // A single changed character or a swap of neighbours is caught by the check character.
  CHECK_FALSE(dms::is_valid_gstin("27AAPFU0938F1ZV"));
  CHECK_FALSE(dms::is_valid_gstin("27AAPFU0993F1ZV"));
  CHECK(dms::gstin_check_character("27AAPFU0939f1Z") == '\0');
}

TEST_CASE("supply: GSTIN first, then the address, else intra-state", "[gst]") {
  using dms::SupplyType;
  using std::nullopt;
  CHECK(dms::determine_supply("27", "27AAPFU0939F1ZV", nullopt) == SupplyType::kIntraState);
  CHECK(dms::determine_supply("29", "27AAPFU0939F1ZV", nullopt) == SupplyType::kInterState);
  CHECK(dms::determine_supply("27", "27AAPFU0939F1ZV", "Karnataka") == SupplyType::kIntraState);
  CHECK(dms::determine_supply("27", "", "Karnataka") == SupplyType::kInterState);
  CHECK(dms::determine_supply("27", nullopt, "29") == SupplyType::kInterState);
  CHECK(dms::determine_supply("27", nullopt, "maharashtra") == SupplyType::kIntraState);
  CHECK(dms::determine_supply("27", nullopt, "96") == SupplyType::kInterState);  // export
  CHECK(dms::determine_supply("27", nullopt, nullopt) == SupplyType::kIntraState);
  CHECK(dms::determine_supply("27", "", "") == SupplyType::kIntraState);

  auto field_of = [](auto&& call) {
    try {
      call();
    } catch (const dms::Error& e) {
      CHECK(e.code() == dms::ErrorCode::kValidation);
      return e.field();
    }
    return std::string("(accepted)");
  };
  CHECK(field_of([] { dms::determine_supply("42", nullopt, nullopt); }) == "supplierState");
  CHECK(field_of([] { dms::determine_supply("96", nullopt, nullopt); }) == "supplierState");
  CHECK(field_of([] { dms::determine_supply("27", "27AAPFU0939F1ZW", nullopt); }) ==
        "customerGstin");
  CHECK(field_of([] { dms::determine_supply("27", nullopt, "Atlantis"); }) == "customerState");
  CHECK(std::string(dms::supply_type_name(SupplyType::kInterState)) == "inter_state");
}
