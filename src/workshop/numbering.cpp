#include "workshop/numbering.hpp"

#include "dms/error.hpp"

namespace dms::workshop {

std::string next_customer_number(storage::Transaction& tx) {
  return storage::allocate(tx, series::kCustomer, {});
}

}  // namespace dms::workshop
