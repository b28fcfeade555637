#include <algorithm>
#include <map>
#include <mutex>

#include "dms/error.hpp"
#include "service/service.hpp"

namespace dms::service {
namespace {

struct Registered {
  Handler handler = nullptr;
  ListSpecOf list_spec = nullptr;
};

std::map<std::string, Registered, std::less<>>& registry() {
  static std::map<std::string, Registered, std::less<>> methods;
  return methods;
}

}  // namespace

MethodRegistration::MethodRegistration(const char* name, Handler handler, ListSpecOf list_spec) {
  Registered& entry = registry()[name];  // a ListSpecRegistration may come first
  entry.handler = handler;
  if (list_spec != nullptr) entry.list_spec = list_spec;
}

ListSpecRegistration::ListSpecRegistration(const char* name, ListSpecOf list_spec) {
  registry()[name].list_spec = list_spec;
}

Handler find_method(std::string_view name) {
  auto& methods = registry();
  auto it = methods.find(name);
  return it == methods.end() ? nullptr : it->second.handler;
}

const storage::ListSpec* find_list_spec(std::string_view name) {
  auto& methods = registry();
  auto it = methods.find(name);
  return it == methods.end() || it->second.list_spec == nullptr ? nullptr : &it->second.list_spec();
}

std::vector<std::string> method_names() {
  std::vector<std::string> names;
  for (const auto& [name, entry] : registry()) {
    if (entry.handler != nullptr) names.push_back(name);
  }
  return names;
}

std::optional<std::string> tenant_scope(const Context& ctx) {
  if (ctx.sees_all_service_centers()) return std::nullopt;
  // A confined user without a center sees nothing that belongs to a center.
  return ctx.service_center_id.value_or(std::string("\x01no-service-center"));
}

void require_visible(const Context& ctx, const std::optional<std::string>& record_center,
                     std::string_view entity, std::string_view id) {
  if (!record_center || record_center->empty()) return;
  const auto scope = tenant_scope(ctx);
  if (scope && *scope != *record_center) throw Error::NotFound(entity, id);
}

void require_in_scope(const Context& ctx, const std::optional<std::string>& record_center,
                      std::string_view entity, std::string_view id) {
  const auto scope = tenant_scope(ctx);
  if (scope && (!record_center || *record_center != *scope)) throw Error::NotFound(entity, id);
}

}  // namespace dms::service
