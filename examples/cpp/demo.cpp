// The main job of scripts/demo.sh. Until the dealer services exist it shows the exact value
// types every service is built on.
#include <dms/error.hpp>
#include <dms/money.hpp>
#include <dms/time.hpp>
#include <dms/version.hpp>

#include <iostream>

int main(int argc, char** argv) {
  using namespace dms;
  std::cout << "libdms " << version_string() << "\n";
  if (argc > 1) std::cout << "database: " << argv[1] << "\n";

  const Money price = Money::parse("40000.00");
  const Money gross = price.times(Quantity::from_int(100), Rounding::kHalfAwayFromZero);
  const Money half_gst = gross.percent_of(Percent::parse("9"), Rounding::kHalfAwayFromZero);
  std::cout << "100 x 40000.00 = " << gross.to_string() << ", CGST 9 % = " << half_gst.to_string()
            << ", SGST 9 % = " << half_gst.to_string()
            << ", total = " << (gross + half_gst + half_gst).to_string() << "\n";
  std::cout << "0.1 + 0.2 = " << (Money::parse("0.1") + Money::parse("0.2")).to_string() << "\n";
  const Date today = Clock::system().now().business_date();
  std::cout << "today (IST) " << today.to_string() << " is in FY "
            << FinancialYear::of(today).label() << "\n";
  try {
    Money::parse("12.345");
  } catch (const Error& e) {
    std::cout << "parsing 12.345 as INR: " << e.info().name << " (" << e.message() << ")\n";
  }
  return 0;
}
