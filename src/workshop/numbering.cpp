#include "workshop/numbering.hpp"

#include <algorithm>

#include "dms/error.hpp"

namespace dms::workshop {

AllocatedNumber allocate_number(storage::Transaction& tx, const storage::NumberSeries& s,
                                const ServiceCenterInfo& center, Date date) {
  const storage::NumberFields fields = storage::date_fields(date, {{"scCode", center.code}});
  const std::string scope = storage::format_number(s.scope, 0, fields);
  const std::string longest = storage::format_number(s.pattern, 0, fields);  // checks the pattern
  if (s.max_length > 0 && longest.size() > s.max_length) {
    const size_t rest = longest.size() - std::min(longest.size(), center.code.size());
    const size_t longest_code = s.max_length > rest ? s.max_length - rest : 0;
    throw Error::Validation("numberFormat", std::string(s.name) + " numbers of service center " +
                                                center.code + " would be longer than " +
                                                std::to_string(s.max_length) + " characters ('" +
                                                longest + "'): a center numbering " + s.name +
                                                "s needs a code of at most " +
                                                std::to_string(longest_code) + " characters");
  }
  AllocatedNumber out;
  out.sequence = storage::next_number(tx, s.name, scope);
  out.number = storage::format_number(s.pattern, out.sequence, fields);
  if (s.max_length > 0 && out.number.size() > s.max_length) {
    throw Error::Validation("numberFormat", "number " + out.number + " exceeds " +
                                                std::to_string(s.max_length) + " characters");
  }
  return out;
}

std::string next_customer_number(storage::Transaction& tx) {
  return storage::allocate(tx, series::kCustomer, {});
}

}  // namespace dms::workshop
