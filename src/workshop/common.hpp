// The shared helpers as the workshop's services name them: the text and row helpers of
// service/rows.hpp and the center and user lookups of service/centers.hpp. Nothing is defined
// here.
//
// Thread-safety: see the headers named.
#pragma once

#include "service/centers.hpp"
#include "service/rows.hpp"

namespace dms::workshop {

using namespace rows;  // NOLINT(google-build-using-namespace): the module's own helper names
using storage::Value;

using service::allocate_number;
using service::AllocatedNumber;
using service::center_for_new_record;
using service::find_user;
using service::load_in_center;
using service::load_service_center;
using service::reference_not_found;
using service::ServiceCenterInfo;
using service::user_name;
using service::UserInfo;

}  // namespace dms::workshop
