// Document numbers of the workshop records, from storage's gapless allocator
// (src/storage/document_numbers.hpp), taken inside the caller's write transaction so that a
// rolled-back call leaves no gap. The workshop's series are defined here; billing's (invoices,
// credit notes) in billing/numbering.hpp; both are numbered through service::allocate_number
// (service/centers.hpp).
//
//   customer         CUST-{SEQ4}                     one series for the dealer (seed 002)
//   job card         {scCode}-{YYYY}-{MM}-{SEQ4}     per center and month (seed 002)
//   service request  SR-{scCode}-{YYYY}-{SEQ4}       per center and calendar year
//   appointment      APT-{scCode}-{YYYY}-{SEQ4}      per center and calendar year
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <cstdint>
#include <string>

#include "dms/time.hpp"
#include "storage/document_numbers.hpp"
#include "storage/store.hpp"
#include "workshop/common.hpp"

namespace dms::workshop {

namespace series {
// SC01-2025-03-0001: per service center and month (seed 002).
inline constexpr storage::NumberSeries kJobCard{"job_card", "{scCode}-{YYYY}-{MM}-{SEQ4}",
                                                "{scCode}/{YYYY}-{MM}", 0};
// CUST-0001: one count for the whole dealer (seed 002).
inline constexpr storage::NumberSeries kCustomer{"customer", "CUST-{SEQ4}", "", 0};
inline constexpr storage::NumberSeries kServiceRequest{
    "service_request", "SR-{scCode}-{YYYY}-{SEQ4}", "{scCode}/{YYYY}", 0};
inline constexpr storage::NumberSeries kAppointment{"appointment", "APT-{scCode}-{YYYY}-{SEQ4}",
                                                    "{scCode}/{YYYY}", 0};
}  // namespace series

// Numbers of these series: allocate_number (service/centers.hpp).
std::string next_customer_number(storage::Transaction& tx);

}  // namespace dms::workshop
