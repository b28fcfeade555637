// A program outside the libdms tree that uses the installed package.
#include <dms/money.hpp>
#include <dms/version.hpp>

#include <iostream>

int main() {
  const dms::Money sum = dms::Money::parse("0.1") + dms::Money::parse("0.2");
  std::cout << "libdms " << dms::version_string() << ": 0.1 + 0.2 = " << sum.to_string() << "\n";
  return dms::version_number() == DMS_VERSION_NUMBER ? 0 : 1;
}
