// The stock ledger's pure arithmetic: moves, allocation, moving-average cost, adjustments, low
// stock, receipts and the document workflows.
#include <catch2/catch.hpp>

#include <boost/multiprecision/cpp_int.hpp>
#include <functional>
#include <random>

#include "dms/error.hpp"
#include "inventory/ledger.hpp"
#include "inventory/workflows.hpp"

using dms::ErrorCode;
using dms::Money;
using dms::Quantity;
namespace inv = dms::inventory;

namespace {

Quantity q(const char* text) {
  return Quantity::parse(text);
}
Money m(const char* text) {
  return Money::parse(text);
}

ErrorCode code_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const dms::Error& e) {
    return e.code();
  }
  return ErrorCode::kOk;
}

constexpr inv::StockPolicy kReal{true, false};
constexpr inv::StockPolicy kVirtual{false, false};

}  // namespace

TEST_CASE("a move takes from one balance and gives to the other") {
  const inv::Balance supplier{};
  const inv::Balance central{q("10"), q("0"), m("100.00")};
  const auto r = inv::apply_move(supplier, kVirtual, central, kReal, q("30"), m("120.00"));
  CHECK(r.from.on_hand == q("-30"));
  CHECK(r.to.on_hand == q("40"));
  // (10 x 100 + 30 x 120) / 40 = 115
  CHECK(r.to.average_cost == m("115.00"));
  CHECK(r.from.on_hand + r.to.on_hand == supplier.on_hand + central.on_hand);
}

TEST_CASE("a real source without negative stock must have the quantity available") {
  const inv::Balance central{q("10"), q("4"), m("50.00")};
  const inv::Balance scrap{};
  CHECK(code_of([&] { inv::apply_move(central, kReal, scrap, kVirtual, q("7"), m("50.00")); }) ==
        ErrorCode::kInsufficientStock);
  const auto ok = inv::apply_move(central, kReal, scrap, kVirtual, q("6"), m("50.00"));
  CHECK(ok.from.on_hand == q("4"));
  CHECK(ok.from.average_cost == m("50.00"));  // leaving stock keeps the source's average
  const auto negative =
      inv::apply_move(central, {true, true}, scrap, kVirtual, q("12"), m("50.00"));
  CHECK(negative.from.on_hand == q("-2"));
  CHECK(code_of([&] { inv::apply_move(central, kReal, scrap, kVirtual, q("0"), m("1")); }) ==
        ErrorCode::kValidation);
}

TEST_CASE("allocation reserves available stock and release gives it back") {
  const inv::Balance b{q("10"), q("0"), m("1.00")};
  const auto a = inv::allocate(b, q("8"));
  CHECK(a.allocated == q("8"));
  CHECK(a.available() == q("2"));
  CHECK(code_of([&] { inv::allocate(a, q("8")); }) == ErrorCode::kInsufficientStock);
  CHECK(inv::release(a, q("8")).allocated == q("0"));
  CHECK(code_of([&] { inv::release(a, q("9")); }) == ErrorCode::kReleaseExceedsAllocated);
}

TEST_CASE("the moving average is exact and rounds once, half away from zero") {
  // (3 x 10.00 + 1 x 10.01) / 4 = 10.0025 -> 10.00; (1 x 0.01 + 1 x 0.02) / 2 = 0.015 -> 0.02
  CHECK(inv::moving_average(q("3"), m("10.00"), q("1"), m("10.01")) == m("10.00"));
  CHECK(inv::moving_average(q("1"), m("0.01"), q("1"), m("0.02")) == m("0.02"));
  CHECK(inv::moving_average(q("0"), m("99.00"), q("5"), m("40000.00")) == m("40000.00"));
  CHECK(inv::moving_average(q("-3"), m("99.00"), q("5"), m("7.00")) == m("7.00"));
  CHECK(inv::moving_average(q("1.5"), m("2.00"), q("0.5"), m("4.00")) == m("2.50"));
  CHECK(inv::stock_value(q("1.5"), m("0.03")) == m("0.05"));  // 0.045 -> 0.05
}

TEST_CASE("the moving average matches an arbitrary-precision model") {
  using boost::multiprecision::cpp_int;
  std::mt19937_64 rng(20251220);
  std::uniform_int_distribution<int64_t> qty(1, 5'000'000);
  std::uniform_int_distribution<int64_t> cost(0, 10'000'000'000);
  for (int i = 0; i < 20000; ++i) {
    const int64_t q1 = qty(rng), q2 = qty(rng), c1 = cost(rng), c2 = cost(rng);
    const cpp_int num = cpp_int(q1) * c1 + cpp_int(q2) * c2;
    const cpp_int den = cpp_int(q1) + q2;
    cpp_int expected = num / den;
    if ((num % den) * 2 >= den) expected += 1;
    const Money got = inv::moving_average(Quantity::from_units(q1), Money::from_minor(c1),
                                          Quantity::from_units(q2), Money::from_minor(c2));
    REQUIRE(cpp_int(got.minor()) == expected);
  }
}

TEST_CASE("adjustments add, subtract or set") {
  CHECK(inv::adjustment_delta(q("50"), inv::AdjustmentType::kAdd, q("10")) == q("10"));
  CHECK(inv::adjustment_delta(q("50"), inv::AdjustmentType::kSubtract, q("10")) == q("-10"));
  CHECK(inv::adjustment_delta(q("50"), inv::AdjustmentType::kSet, q("42")) == q("-8"));
  CHECK(inv::adjustment_delta(q("50"), inv::AdjustmentType::kSet, q("50")) == q("0"));
  CHECK(code_of([] { inv::adjustment_delta(q("5"), inv::AdjustmentType::kAdd, q("0")); }) ==
        ErrorCode::kValidation);
  CHECK(code_of([] { inv::adjustment_delta(q("5"), inv::AdjustmentType::kSet, q("-1")); }) ==
        ErrorCode::kValidation);
}

TEST_CASE("low stock uses the larger of min level and reorder point") {
  inv::StockLevels levels;
  CHECK_FALSE(inv::is_low_stock(q("0"), levels));
  levels.min_level = q("10");
  levels.reorder_point = q("15");
  CHECK(inv::is_low_stock(q("15"), levels));
  CHECK_FALSE(inv::is_low_stock(q("15.001"), levels));
  CHECK(inv::low_stock_deficit(q("8"), levels) == q("7"));
  CHECK(inv::low_stock_deficit(q("20"), levels) == q("0"));
  CHECK(inv::crosses_into_low_stock(q("16"), q("15"), levels));
  CHECK_FALSE(inv::crosses_into_low_stock(q("15"), q("14"), levels));
  levels.max_level = q("5");
  CHECK(code_of([&] { inv::validate_levels(levels); }) == ErrorCode::kValidation);
}

TEST_CASE("a receipt line balances and never exceeds what was ordered") {
  inv::ReceiptLine line{q("100"), q("0"), q("100"), q("98"), q("2")};
  CHECK_NOTHROW(inv::validate_receipt_line(line, "receivedItems[0]."));
  line.rejected = q("1");
  try {
    inv::validate_receipt_line(line, "receivedItems[0].");
    FAIL("no error");
  } catch (const dms::Error& e) {
    CHECK(e.code() == ErrorCode::kValidation);
    CHECK(e.field() == "receivedItems[0].acceptedQty");
  }
  inv::ReceiptLine over{q("100"), q("60"), q("41"), q("41"), q("0")};
  CHECK(code_of([&] { inv::validate_receipt_line(over, ""); }) == ErrorCode::kValidation);
  over.received = over.accepted = q("40");
  CHECK_NOTHROW(inv::validate_receipt_line(over, ""));
}

TEST_CASE("random moves between locations keep every part's sum at zero") {
  std::mt19937 rng(7);
  std::vector<inv::Balance> balances(6);
  const std::vector<inv::StockPolicy> policies = {kVirtual, kVirtual, kReal,
                                                  kReal,    kReal,    kVirtual};
  int refused = 0;
  for (int i = 0; i < 5000; ++i) {
    const size_t from = rng() % balances.size();
    size_t to = rng() % balances.size();
    if (to == from) to = (to + 1) % balances.size();
    const Quantity qty = Quantity::from_units(1 + static_cast<int64_t>(rng() % 20000));
    try {
      if (rng() % 4 == 0 && policies[from].real) {
        balances[from] = inv::allocate(balances[from], qty);
        continue;
      }
      if (rng() % 4 == 0 && balances[from].allocated.units() > 0) {
        balances[from] = inv::release(balances[from], balances[from].allocated);
        continue;
      }
      const auto r = inv::apply_move(balances[from], policies[from], balances[to], policies[to],
                                     qty, Money::from_minor(static_cast<int64_t>(rng() % 100000)));
      balances[from] = r.from;
      balances[to] = r.to;
    } catch (const dms::Error& e) {
      REQUIRE(e.code() == ErrorCode::kInsufficientStock);
      ++refused;
    }
    Quantity sum;
    for (size_t k = 0; k < balances.size(); ++k) {
      sum += balances[k].on_hand;
      if (policies[k].real) {
        REQUIRE(balances[k].allocated.units() >= 0);
        REQUIRE(balances[k].allocated <= balances[k].on_hand);
      }
    }
    REQUIRE(sum.is_zero());
  }
  CHECK(refused > 0);
}

TEST_CASE("purchase order workflow table") {
  using inv::PoStatus;
  CHECK(inv::kPoFlow.allows(PoStatus::kDraft, PoStatus::kPendingApproval));
  CHECK_FALSE(inv::kPoFlow.allows(PoStatus::kDraft, PoStatus::kCompleted));
  CHECK_FALSE(inv::kPoFlow.allows(PoStatus::kApproved, PoStatus::kApproved));
  CHECK_FALSE(inv::kPoFlow.allows(PoStatus::kPartiallyReceived, PoStatus::kCancelled));
  CHECK(code_of([] { inv::kPoFlow.require(PoStatus::kDraft, PoStatus::kPartiallyReceived); }) ==
        ErrorCode::kInvalidStatusTransition);
  CHECK(inv::kPoFlow.parse("ORDERED") == PoStatus::kOrdered);
}

TEST_CASE("transfer workflow table") {
  using inv::TransferStatus;
  CHECK(inv::kPartsIssueFlow.allows(TransferStatus::kApproved, TransferStatus::kDispatched));
  CHECK_FALSE(
      inv::kPartsIssueFlow.allows(TransferStatus::kPendingApproval, TransferStatus::kDispatched));
  CHECK_FALSE(inv::kPartsIssueFlow.allows(TransferStatus::kDispatched, TransferStatus::kCancelled));
  CHECK(inv::location_kind_from_name("IN_TRANSIT") == inv::LocationKind::kInTransit);
  CHECK(inv::txn_type_from_name("RELEASE") == inv::TxnType::kRelease);
  CHECK_FALSE(inv::txn_type_from_name("NOPE"));
}
