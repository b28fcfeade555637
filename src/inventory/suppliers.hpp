// Private to the inventory module: what purchase orders need to know about a supplier.
//
// Thread-safety: functions over the caller's Transaction.
#pragma once

#include <optional>
#include <string>

#include "storage/store.hpp"

namespace dms::inventory {

struct SupplierSummary {
  std::string id;
  std::string name;
  std::optional<std::string> contact_person;
  std::optional<std::string> state_code;  // GST state, "27"
  bool active = true;
};

// NOT_FOUND on field "supplierId" when there is no such supplier.
SupplierSummary load_supplier(storage::Transaction& tx, const std::string& supplier_id);

}  // namespace dms::inventory
