// The service layer's shared machinery: the Database internals every service receives, the method
// registry behind Database::call, and the tenant-scoping helpers.
//
// A service method is a free function `Json fn(Env& env, const Context& ctx, const Json& req)`
// registered with a static MethodRegistration in its module's .cpp. The shape of each method:
//   1. ctx.require("resource:action")                       (authorize)
//   2. parse and validate `req` (src/service/request.hpp)    (VALIDATION naming the field)
//   3. env.store->write([&](storage::Transaction& tx) {      (one transaction)
//        load, require_visible(...) for tenant scoping, apply domain rules,
//        write rows, stock moves, audit::record(...), events::emit(...) });
//   4. return the response document (seed 002's shape, camelCase).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dms/context.hpp"
#include "dms/database.hpp"
#include "dms/json.hpp"
#include "storage/list_query.hpp"
#include "storage/store.hpp"

namespace dms {

// Settings of one Database, fixed at open.
struct Settings {
  std::string token_secret;  // HS256 key for access tokens
  int64_t access_token_ttl_seconds = 15 * 60;
  int64_t refresh_token_ttl_seconds = 7 * 24 * 3600;
  int64_t reset_token_ttl_seconds = 3600;
  int max_failed_logins = 5;
  int64_t lockout_seconds = 15 * 60;
  int list_limit_cap = 100;
  // The customers' loyalty earn rule: one point per this many paise of paid invoices (0: none;
  // src/sales/customer_totals.hpp).
  int64_t loyalty_spend_per_point_paise = 10000;
  // Argon2id cost of new password hashes: libsodium's INTERACTIVE (2 passes, 64 MiB, about
  // 0.1 s). Tests may lower it to the minimum (1, 8192) right after open; hashes record their
  // own cost, so existing ones keep verifying.
  uint64_t password_hash_opslimit = 2;
  size_t password_hash_memlimit_bytes = size_t{64} * 1024 * 1024;
  // E-mail and SMS delivery (src/delivery/dispatcher.hpp).
  DeliverySettings delivery;
  BackgroundSettings background;
};

namespace service {
class Background;
}

struct Database::Impl {
  Impl();
  ~Impl();  // stops the background tasks before the store closes
  std::unique_ptr<storage::Store> store;
  const Clock* clock = &Clock::system();
  Settings settings;
  // Named periodic tasks on their own threads (src/service/background.hpp).
  std::unique_ptr<service::Background> background;
};
using Env = Database::Impl;

namespace service {

using Handler = Json (*)(Env& env, const Context& ctx, const Json& request);

// The list spec of a List method: its filterable fields are the plain filter parameters the
// request may carry ("priority": "high"); src/service/schema.hpp checks them before the handler.
using ListSpecOf = const storage::ListSpec& (*)();

struct MethodRegistration {
  MethodRegistration(const char* name, Handler handler, ListSpecOf list_spec = nullptr);
};
// The list spec of a method registered without one (methods registered by a macro).
struct ListSpecRegistration {
  ListSpecRegistration(const char* name, ListSpecOf list_spec);
};

// The handler of `name`, or nullptr.
Handler find_method(std::string_view name);
// The list spec registered with `name`, or nullptr.
const storage::ListSpec* find_list_spec(std::string_view name);
std::vector<std::string> method_names();

// The service center a list must be confined to: the actor's own for service-center users,
// nullopt for those who see every center.
std::optional<std::string> tenant_scope(const Context& ctx);
// Throws NOT_FOUND (not FORBIDDEN: existence must not leak) when a record of another center is
// addressed by a user confined to their own. A record with no center is visible to everyone
// allowed by permission.
void require_visible(const Context& ctx, const std::optional<std::string>& record_center,
                     std::string_view entity, std::string_view id);
// The stricter rule for records owned by a center or by the central organisation (users, audit
// logs): a confined user sees only their own center's, never a record with no center.
void require_in_scope(const Context& ctx, const std::optional<std::string>& record_center,
                      std::string_view entity, std::string_view id);

}  // namespace service
}  // namespace dms
