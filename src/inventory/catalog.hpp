// Private to the inventory module: what documents need to know about a catalog part.
//
// Thread-safety: functions over the caller's Transaction.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "dms/json.hpp"
#include "dms/money.hpp"
#include "storage/store.hpp"

namespace dms::inventory {

struct PartSummary {
  std::string id;
  std::string part_number;
  std::string name;
  std::string hsn_code;  // empty when the catalog has none
  Percent gst_rate;
  Money cost_price;
  bool active = true;
};

// NOT_FOUND naming `field` ("items[2].partId") when the part does not exist.
PartSummary load_part(storage::Transaction& tx, const std::string& part_id,
                      const std::string& field);

// Many parts at once, by id (duplicates allowed). NOT_FOUND naming "<array>[i].partId" for the
// first id that does not exist.
std::map<std::string, PartSummary> load_parts(storage::Transaction& tx,
                                              const std::vector<std::string>& part_ids,
                                              const std::string& array);

// The part document of GetPart/CreatePart from an inv_parts row (every column).
Json part_json(const storage::Row& row);

}  // namespace dms::inventory
