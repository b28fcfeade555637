// TEMPORARY: replaced by the identity module (issue 5). Delete this file when auth.cpp lands.
#include "dms/error.hpp"
#include "identity/auth.hpp"

namespace dms::identity {
Json login(Env&, const std::string&, const std::string&, const RequestMeta&) {
  throw Error::Internal("identity module not built yet");
}
Context context_from_token(Env&, const std::string&, const RequestMeta&) {
  throw Error::Internal("identity module not built yet");
}
Context context_for_user(Env&, const std::string&, const RequestMeta&) {
  throw Error::Internal("identity module not built yet");
}
}  // namespace dms::identity
