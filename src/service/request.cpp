#include "service/request.hpp"

#include "dms/error.hpp"

namespace dms::request {
namespace {

const Json& null_json() {
  static const Json kNull;
  return kNull;
}

}  // namespace

Fields::Fields(const Json& doc, std::string prefix) : doc_(doc), prefix_(std::move(prefix)) {
  if (!doc_.is_object()) {
    const std::string where = prefix_.empty() ? "request" : prefix_.substr(0, prefix_.size() - 1);
    throw Error::Validation(where, where + " must be a JSON object");
  }
}

const Json* Fields::find(std::string_view name) const {
  auto it = doc_.find(std::string(name));
  if (it == doc_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool Fields::has(std::string_view name) const { return find(name) != nullptr; }

const Json& Fields::raw(std::string_view name) const {
  const Json* v = find(name);
  return v ? *v : null_json();
}

std::optional<std::string> Fields::opt_str(std::string_view name, size_t max_len) const {
  const Json* v = find(name);
  if (!v) return std::nullopt;
  if (!v->is_string()) throw Error::Validation(path(name), path(name) + " must be a string");
  const auto& s = v->get_ref<const std::string&>();
  if (s.size() > max_len) {
    throw Error::Validation(path(name), path(name) + " is longer than " +
                                            std::to_string(max_len) + " characters");
  }
  return s;
}

std::string Fields::str(std::string_view name, size_t min_len, size_t max_len) const {
  auto s = opt_str(name, max_len);
  if (!s) throw Error::Validation(path(name), path(name) + " is required");
  if (s->size() < min_len) {
    throw Error::Validation(path(name), min_len <= 1 ? path(name) + " must not be empty"
                                                     : path(name) + " must have at least " +
                                                           std::to_string(min_len) +
                                                           " characters");
  }
  return *s;
}

std::optional<std::string> Fields::opt_one_of(std::string_view name,
                                              std::initializer_list<const char*> allowed) const {
  auto s = opt_str(name);
  if (!s) return std::nullopt;
  for (const char* a : allowed) {
    if (*s == a) return s;
  }
  std::string list;
  for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  throw Error::Validation(path(name), path(name) + " must be one of " + list);
}

std::string Fields::one_of(std::string_view name, std::initializer_list<const char*> allowed) const {
  auto s = opt_one_of(name, allowed);
  if (!s) throw Error::Validation(path(name), path(name) + " is required");
  return *s;
}

std::optional<int64_t> Fields::opt_integer(std::string_view name) const {
  const Json* v = find(name);
  if (!v) return std::nullopt;
  if (v->is_number_integer()) return v->get<int64_t>();
  if (v->is_string()) {
    const Decimal d = Decimal::parse(v->get_ref<const std::string&>(), path(name));
    return d.units_at_exact(0, path(name));
  }
  throw Error::Validation(path(name), path(name) + " must be an integer");
}

int64_t Fields::integer(std::string_view name) const {
  auto v = opt_integer(name);
  if (!v) throw Error::Validation(path(name), path(name) + " is required");
  return *v;
}

bool Fields::boolean(std::string_view name, bool fallback) const {
  const Json* v = find(name);
  if (!v) return fallback;
  if (!v->is_boolean()) throw Error::Validation(path(name), path(name) + " must be true or false");
  return v->get<bool>();
}

std::string Fields::decimal_text(std::string_view name) const {
  const Json* v = find(name);
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number()) return v->dump();  // shortest round-trip text, e.g. 2500.5 -> "2500.5"
  throw Error::Validation(path(name), path(name) + " must be a decimal string");
}

std::optional<Money> Fields::opt_money(std::string_view name) const {
  if (!has(name)) return std::nullopt;
  return Money::parse(decimal_text(name), Currency::inr(), path(name));
}

Money Fields::money(std::string_view name) const {
  auto v = opt_money(name);
  if (!v) throw Error::Validation(path(name), path(name) + " is required");
  return *v;
}

std::optional<Quantity> Fields::opt_quantity(std::string_view name) const {
  if (!has(name)) return std::nullopt;
  return Quantity::parse(decimal_text(name), path(name));
}

Quantity Fields::quantity(std::string_view name) const {
  auto v = opt_quantity(name);
  if (!v) throw Error::Validation(path(name), path(name) + " is required");
  return *v;
}

std::optional<Percent> Fields::opt_percent(std::string_view name) const {
  if (!has(name)) return std::nullopt;
  return Percent::parse(decimal_text(name), path(name));
}

Percent Fields::percent(std::string_view name) const {
  auto v = opt_percent(name);
  if (!v) throw Error::Validation(path(name), path(name) + " is required");
  return *v;
}

std::optional<Date> Fields::opt_date(std::string_view name) const {
  auto s = opt_str(name, 40);
  if (!s) return std::nullopt;
  return Date::parse(*s, path(name));
}

Date Fields::date(std::string_view name) const {
  auto v = opt_date(name);
  if (!v) throw Error::Validation(path(name), path(name) + " is required");
  return *v;
}

std::optional<Timestamp> Fields::opt_timestamp(std::string_view name) const {
  auto s = opt_str(name, 60);
  if (!s) return std::nullopt;
  return Timestamp::parse(*s, path(name));
}

Timestamp Fields::timestamp(std::string_view name) const {
  auto v = opt_timestamp(name);
  if (!v) throw Error::Validation(path(name), path(name) + " is required");
  return *v;
}

const Json& Fields::array(std::string_view name, size_t max_items) const {
  const Json* v = find(name);
  if (!v) throw Error::Validation(path(name), path(name) + " is required");
  if (!v->is_array()) throw Error::Validation(path(name), path(name) + " must be an array");
  if (v->empty()) throw Error::Validation(path(name), path(name) + " must not be empty");
  if (v->size() > max_items) {
    throw Error::Validation(path(name), path(name) + " has more than " +
                                            std::to_string(max_items) + " items");
  }
  return *v;
}

Fields Fields::element(std::string_view array_name, size_t index) const {
  const Json& arr = array(array_name);
  return Fields(arr.at(index), path(array_name) + "[" + std::to_string(index) + "].");
}

Fields Fields::object(std::string_view name) const {
  const Json* v = find(name);
  if (!v) throw Error::Validation(path(name), path(name) + " is required");
  return Fields(*v, path(name) + ".");
}

}  // namespace dms::request
