#include <catch2/catch.hpp>

#include "dms/workflow.hpp"

namespace {
enum class Light { kRed, kGreen, kYellow };
constexpr dms::StateName<Light> kNames[] = {
    {Light::kRed, "RED"}, {Light::kGreen, "GREEN"}, {Light::kYellow, "YELLOW"}};
constexpr dms::Transition<Light> kMoves[] = {
    {Light::kRed, Light::kGreen}, {Light::kGreen, Light::kYellow}, {Light::kYellow, Light::kRed}};
constexpr dms::Workflow<Light> kFlow{"light", kNames, kMoves};
}  // namespace

TEST_CASE("a workflow allows exactly its table and names both states otherwise") {
  int allowed = 0;
  for (Light from : kFlow.states()) {
    for (Light to : kFlow.states()) {
      if (kFlow.allows(from, to)) {
        ++allowed;
        CHECK_NOTHROW(kFlow.require(from, to));
      } else {
        try {
          kFlow.require(from, to);
          FAIL("no error");
        } catch (const dms::Error& e) {
          CHECK(e.code() == dms::ErrorCode::kInvalidStatusTransition);
          CHECK(e.from_state() == kFlow.name(from));
          CHECK(e.to_state() == kFlow.name(to));
        }
      }
    }
  }
  CHECK(allowed == 3);
  CHECK(kFlow.parse("GREEN") == Light::kGreen);
  CHECK_THROWS_AS(kFlow.parse("BLUE"), dms::Error);
  CHECK(kFlow.describe() == "RED -> GREEN\nGREEN -> YELLOW\nYELLOW -> RED\n");
}
