// Money arithmetic: the building block of every priced line.
#include <benchmark/benchmark.h>

#include "dms/money.hpp"

static void BM_MoneyTimesQuantity(benchmark::State& state) {
  const dms::Money price = dms::Money::parse("333.33");
  const dms::Quantity qty = dms::Quantity::parse("1.5");
  for (auto _ : state) {
    benchmark::DoNotOptimize(price.times(qty, dms::Rounding::kHalfAwayFromZero));
  }
}
BENCHMARK(BM_MoneyTimesQuantity);

static void BM_MoneyParse(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(dms::Money::parse("123456.78"));
}
BENCHMARK(BM_MoneyParse);

BENCHMARK_MAIN();
