#include "dms/version.hpp"

namespace dms {
int version_number() noexcept { return DMS_VERSION_NUMBER; }
const char* version_string() noexcept { return DMS_VERSION_STRING; }
}  // namespace dms
