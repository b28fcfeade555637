// system.*: methods about the library itself. They need no permission and touch no storage, so
// hosts use them for liveness checks and the bindings' benchmarks use them to measure the cost of
// a call through each surface (docs/benchmarks.md, "Bindings").
//
//   system.Ping     {echo?, delayMs?} -> {echo?, time}
//                   delayMs (0-10000) holds the calling thread that long before answering: hosts
//                   test that a long call does not block them (the Node suite's event-loop test).
//   system.Version  {} -> {version, versionNumber}
#include <chrono>
#include <thread>

#include "dms/error.hpp"
#include "dms/version.hpp"
#include "service/request.hpp"
#include "service/service.hpp"

namespace dms {
namespace {

constexpr int64_t kMaxPingDelayMs = 10000;

Json ping(Env& env, const Context&, const Json& req) {
  const request::Fields in(req);
  Json out = Json::object();
  if (auto echo = in.opt_str("echo", 10000)) out["echo"] = std::move(*echo);
  if (auto delay = in.opt_integer("delayMs")) {
    if (*delay < 0 || *delay > kMaxPingDelayMs) {
      throw Error::Validation("delayMs", "delayMs must be between 0 and 10000");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(*delay));
  }
  out["time"] = env.clock->now().to_string();
  return out;
}

Json version(Env&, const Context&, const Json& req) {
  static_cast<void>(request::Fields(req));  // only checks that the request is an object
  return Json{{"version", version_string()}, {"versionNumber", version_number()}};
}

const service::MethodRegistration kPing("system.Ping", &ping);
const service::MethodRegistration kVersion("system.Version", &version);

}  // namespace
}  // namespace dms
