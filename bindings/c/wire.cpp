#include "wire.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/struct.pb.h>

#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "dms/error.hpp"
#include "dms/v1/options.pb.h"

namespace dms::wire {
namespace {

namespace pb = google::protobuf;
using FD = pb::FieldDescriptor;

constexpr const char* kSchemaFiles[] = {
#include "dms_proto_files.inc"
};
constexpr std::string_view kPackagePrefix = "dms.v1.";

// ---- The method table ---------------------------------------------------------------------------

std::vector<const pb::FileDescriptor*> schema_files() {
  std::vector<const pb::FileDescriptor*> files;
  for (const char* name : kSchemaFiles) {
    const pb::FileDescriptor* file = pb::DescriptorPool::generated_pool()->FindFileByName(name);
    if (file == nullptr) throw Error::Internal(std::string("schema file not linked: ") + name);
    files.push_back(file);
  }
  return files;
}

// "PurchaseOrders" -> "purchaseOrders": the prefix of the registry's method names.
std::string method_prefix(const pb::ServiceDescriptor& service) {
  std::string prefix = service.name();
  if (!prefix.empty() && prefix[0] >= 'A' && prefix[0] <= 'Z') {
    prefix[0] = static_cast<char>(prefix[0] - 'A' + 'a');
  }
  return prefix;
}

const std::map<std::string, MethodTypes, std::less<>>& method_table() {
  static const auto table = [] {
    std::map<std::string, MethodTypes, std::less<>> methods;
    for (const pb::FileDescriptor* file : schema_files()) {
      for (int s = 0; s < file->service_count(); ++s) {
        const pb::ServiceDescriptor& service = *file->service(s);
        const std::string prefix = method_prefix(service);
        for (int m = 0; m < service.method_count(); ++m) {
          const pb::MethodDescriptor& method = *service.method(m);
          methods[prefix + "." + method.name()] = {method.input_type(), method.output_type()};
        }
      }
    }
    return methods;
  }();
  return table;
}

// ---- Paths for error messages -------------------------------------------------------------------

// A position in the document being read, rendered only when an error names it.
struct Path {
  const Path* parent = nullptr;
  std::string_view key;  // a field name, or empty for an array element
  size_t index = 0;

  std::string render(const std::string& root) const {
    std::string text = parent ? parent->render(root) : root;
    if (!key.empty()) {
      if (!text.empty()) text += '.';
      text += key;
    } else if (parent != nullptr) {
      text += '[' + std::to_string(index) + ']';
    }
    return text;
  }
};

struct Reader {
  const std::string& root;

  [[noreturn]] void fail(const Path& at, const std::string& what) const {
    std::string where = at.render(root);
    if (where.empty()) where = "request";
    throw Error::Validation(where, where + " " + what);
  }
};

// ---- Message -> JSON ----------------------------------------------------------------------------

bool is_struct(const pb::Descriptor* d) {
  return d == pb::Struct::descriptor();
}
bool is_value(const pb::Descriptor* d) {
  return d == pb::Value::descriptor();
}
bool is_list_value(const pb::Descriptor* d) {
  return d == pb::ListValue::descriptor();
}

Json message_to_json(const pb::Message& message);

Json number_to_json(double number) {
  // protobuf prints integral doubles without a fraction ("5000", not "5000.0").
  if (std::isfinite(number) && std::trunc(number) == number &&
      std::fabs(number) < 9.007199254740992e15) {
    return static_cast<int64_t>(number);
  }
  return number;
}

Json value_to_json(const pb::Value& value) {
  switch (value.kind_case()) {
    case pb::Value::kNumberValue:
      return number_to_json(value.number_value());
    case pb::Value::kStringValue:
      return value.string_value();
    case pb::Value::kBoolValue:
      return value.bool_value();
    case pb::Value::kStructValue: {
      Json object = Json::object();
      for (const auto& [key, item] : value.struct_value().fields())
        object[key] = value_to_json(item);
      return object;
    }
    case pb::Value::kListValue: {
      Json array = Json::array();
      for (const auto& item : value.list_value().values()) array.push_back(value_to_json(item));
      return array;
    }
    case pb::Value::kNullValue:
    case pb::Value::KIND_NOT_SET:
      break;
  }
  return nullptr;
}

// One element of a field (index -1: a singular field).
Json field_to_json(const pb::Message& m, const pb::Reflection& r, const FD* f, int index) {
  const bool rep = index >= 0;
  switch (f->cpp_type()) {
    case FD::CPPTYPE_INT32:
      return rep ? r.GetRepeatedInt32(m, f, index) : r.GetInt32(m, f);
    case FD::CPPTYPE_UINT32:
      return rep ? r.GetRepeatedUInt32(m, f, index) : r.GetUInt32(m, f);
    case FD::CPPTYPE_INT64:  // 64-bit integers are strings in protobuf's JSON mapping
      return std::to_string(rep ? r.GetRepeatedInt64(m, f, index) : r.GetInt64(m, f));
    case FD::CPPTYPE_UINT64:
      return std::to_string(rep ? r.GetRepeatedUInt64(m, f, index) : r.GetUInt64(m, f));
    case FD::CPPTYPE_BOOL:
      return rep ? r.GetRepeatedBool(m, f, index) : r.GetBool(m, f);
    case FD::CPPTYPE_STRING:
      return rep ? r.GetRepeatedString(m, f, index) : r.GetString(m, f);
    case FD::CPPTYPE_MESSAGE:
      return message_to_json(rep ? r.GetRepeatedMessage(m, f, index) : r.GetMessage(m, f));
    default:
      break;  // schema_problems() rejects every other type
  }
  throw Error::Internal("unsupported protobuf field type in " + f->full_name());
}

Json map_to_json(const pb::Message& m, const pb::Reflection& r, const FD* f) {
  Json object = Json::object();
  const FD* key = f->message_type()->map_key();
  const FD* value = f->message_type()->map_value();
  for (int i = 0, n = r.FieldSize(m, f); i < n; ++i) {
    const pb::Message& entry = r.GetRepeatedMessage(m, f, i);
    const pb::Reflection& er = *entry.GetReflection();
    object[er.GetString(entry, key)] = field_to_json(entry, er, value, -1);
  }
  return object;
}

Json message_to_json(const pb::Message& message) {
  const pb::Descriptor* d = message.GetDescriptor();
  if (is_value(d)) return value_to_json(static_cast<const pb::Value&>(message));
  if (is_struct(d)) {
    Json object = Json::object();
    for (const auto& [key, item] : static_cast<const pb::Struct&>(message).fields()) {
      object[key] = value_to_json(item);
    }
    return object;
  }
  if (is_list_value(d)) {
    Json array = Json::array();
    for (const auto& item : static_cast<const pb::ListValue&>(message).values()) {
      array.push_back(value_to_json(item));
    }
    return array;
  }
  const pb::Reflection& r = *message.GetReflection();
  Json object = Json::object();
  for (int i = 0, n = d->field_count(); i < n; ++i) {
    const FD* f = d->field(i);
    if (f->is_map()) {
      if (r.FieldSize(message, f) > 0) object[f->json_name()] = map_to_json(message, r, f);
    } else if (f->is_repeated()) {
      const int size = r.FieldSize(message, f);
      if (size == 0) continue;
      Json array = Json::array();
      for (int k = 0; k < size; ++k) array.push_back(field_to_json(message, r, f, k));
      object[f->json_name()] = std::move(array);
    } else if (r.HasField(message, f)) {  // implicit presence: true when not the default
      object[f->json_name()] = field_to_json(message, r, f, -1);
    }
  }
  return object;
}

// ---- JSON -> message ----------------------------------------------------------------------------

void message_from_json(const Reader& in, const Json& j, pb::Message& message, const Path& at);

void value_from_json(const Reader& in, const Json& j, pb::Value& value, const Path& at) {
  switch (j.type()) {
    case Json::value_t::null:
      value.set_null_value(pb::NULL_VALUE);
      return;
    case Json::value_t::boolean:
      value.set_bool_value(j.get<bool>());
      return;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      value.set_number_value(j.get<double>());
      return;
    case Json::value_t::string:
      value.set_string_value(j.get_ref<const std::string&>());
      return;
    case Json::value_t::object: {
      auto& fields = *value.mutable_struct_value()->mutable_fields();
      for (const auto& [key, item] : j.items()) {
        const Path child{&at, key};
        value_from_json(in, item, fields[key], child);
      }
      return;
    }
    case Json::value_t::array: {
      auto& list = *value.mutable_list_value();
      size_t i = 0;
      for (const auto& item : j) {
        const Path child{&at, {}, i++};
        value_from_json(in, item, *list.add_values(), child);
      }
      return;
    }
    default:
      in.fail(at, "is not a JSON value");
  }
}

template <class Int>
Int integer_from_json(const Reader& in, const Json& j, const Path& at) {
  using Limits = std::numeric_limits<Int>;
  if (j.is_number_integer()) {  // signed or unsigned
    if (j.is_number_unsigned()) {
      const uint64_t v = j.get<uint64_t>();
      if (v <= static_cast<uint64_t>(Limits::max())) return static_cast<Int>(v);
    } else {
      const int64_t v = j.get<int64_t>();
      if (v >= static_cast<int64_t>(Limits::min()) &&
          (v < 0 || static_cast<uint64_t>(v) <= static_cast<uint64_t>(Limits::max()))) {
        return static_cast<Int>(v);
      }
    }
    in.fail(at, "is out of range");
  }
  if (j.is_number_float()) {
    const double v = j.get<double>();
    if (std::trunc(v) != v) in.fail(at, "must be an integer");
    // Bounds as doubles: exact for 32-bit types; 2^63 and 2^64 for 64-bit ones.
    if (v >= static_cast<double>(Limits::min()) && v < static_cast<double>(Limits::max()) + 1.0) {
      return static_cast<Int>(v);
    }
    in.fail(at, "is out of range");
  }
  if (j.is_string()) {  // protobuf accepts integers in strings (and prints 64-bit ones so)
    const std::string& s = j.get_ref<const std::string&>();
    if (!s.empty() && s.size() <= 21) {
      size_t pos = 0;
      const bool negative = s[0] == '-';
      if (negative) pos = 1;
      if (pos < s.size()) {
        unsigned long long magnitude = 0;
        bool ok = true;
        for (; pos < s.size() && ok; ++pos) {
          if (s[pos] < '0' || s[pos] > '9')
            ok = false;
          else if (magnitude > (std::numeric_limits<unsigned long long>::max() - 9) / 10)
            ok = false;
          else
            magnitude = magnitude * 10 + static_cast<unsigned>(s[pos] - '0');
        }
        if (ok) {
          if (!negative && magnitude <= static_cast<unsigned long long>(Limits::max())) {
            return static_cast<Int>(magnitude);
          }
          if (negative && Limits::is_signed &&
              magnitude <= static_cast<unsigned long long>(Limits::max()) + 1ull) {
            return static_cast<Int>(-static_cast<long long>(magnitude - 1) - 1);
          }
          if (negative && magnitude == 0) return 0;
          in.fail(at, "is out of range");
        }
      }
    }
  }
  in.fail(at, "must be an integer");
}

// One element of a field (repeated: added; singular: set).
void element_from_json(const Reader& in, const Json& j, pb::Message& m, const pb::Reflection& r,
                       const FD* f, const Path& at) {
  const bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case FD::CPPTYPE_INT32: {
      const auto v = integer_from_json<int32_t>(in, j, at);
      rep ? r.AddInt32(&m, f, v) : r.SetInt32(&m, f, v);
      return;
    }
    case FD::CPPTYPE_UINT32: {
      const auto v = integer_from_json<uint32_t>(in, j, at);
      rep ? r.AddUInt32(&m, f, v) : r.SetUInt32(&m, f, v);
      return;
    }
    case FD::CPPTYPE_INT64: {
      const auto v = integer_from_json<int64_t>(in, j, at);
      rep ? r.AddInt64(&m, f, v) : r.SetInt64(&m, f, v);
      return;
    }
    case FD::CPPTYPE_UINT64: {
      const auto v = integer_from_json<uint64_t>(in, j, at);
      rep ? r.AddUInt64(&m, f, v) : r.SetUInt64(&m, f, v);
      return;
    }
    case FD::CPPTYPE_BOOL:
      if (!j.is_boolean()) in.fail(at, "must be true or false");
      rep ? r.AddBool(&m, f, j.get<bool>()) : r.SetBool(&m, f, j.get<bool>());
      return;
    case FD::CPPTYPE_STRING: {
      // Numbers are taken as their text: the seed's examples send money as JSON numbers.
      std::string v;
      if (j.is_string()) {
        v = j.get_ref<const std::string&>();
      } else if (j.is_number()) {
        v = j.dump();
      } else {
        in.fail(at, "must be a string");
      }
      rep ? r.AddString(&m, f, std::move(v)) : r.SetString(&m, f, std::move(v));
      return;
    }
    case FD::CPPTYPE_MESSAGE: {
      pb::Message* child = rep ? r.AddMessage(&m, f) : r.MutableMessage(&m, f);
      message_from_json(in, j, *child, at);
      return;
    }
    default:
      break;
  }
  throw Error::Internal("unsupported protobuf field type in " + f->full_name());
}

void map_from_json(const Reader& in, const Json& j, pb::Message& m, const pb::Reflection& r,
                   const FD* f, const Path& at) {
  if (!j.is_object()) in.fail(at, "must be an object");
  const FD* key_field = f->message_type()->map_key();
  const FD* value_field = f->message_type()->map_value();
  for (const auto& [key, item] : j.items()) {
    const Path child{&at, key};
    if (item.is_null() && !is_value(value_field->message_type()))
      in.fail(child, "must not be null");
    pb::Message* entry = r.AddMessage(&m, f);
    const pb::Reflection& er = *entry->GetReflection();
    er.SetString(entry, key_field, key);
    element_from_json(in, item, *entry, er, value_field, child);
  }
}

void message_from_json(const Reader& in, const Json& j, pb::Message& message, const Path& at) {
  const pb::Descriptor* d = message.GetDescriptor();
  if (is_value(d)) return value_from_json(in, j, static_cast<pb::Value&>(message), at);
  if (is_struct(d)) {
    if (!j.is_object()) in.fail(at, "must be an object");
    auto& fields = *static_cast<pb::Struct&>(message).mutable_fields();
    for (const auto& [key, item] : j.items()) {
      const Path child{&at, key};
      value_from_json(in, item, fields[key], child);
    }
    return;
  }
  if (is_list_value(d)) {
    if (!j.is_array()) in.fail(at, "must be an array");
    auto& list = static_cast<pb::ListValue&>(message);
    size_t i = 0;
    for (const auto& item : j) {
      const Path child{&at, {}, i++};
      value_from_json(in, item, *list.add_values(), child);
    }
    return;
  }
  if (!j.is_object()) in.fail(at, "must be an object");
  const pb::Reflection& r = *message.GetReflection();
  for (const auto& [key, item] : j.items()) {
    const FD* f = d->FindFieldByCamelcaseName(key);  // == json_name (see schema_problems)
    if (f == nullptr) f = d->FindFieldByName(key);
    if (f == nullptr) continue;  // ignore_unknown_fields
    const Path child{&at, key};
    const bool holds_value = f->message_type() != nullptr && is_value(f->message_type());
    if (item.is_null() && !(holds_value && !f->is_repeated())) continue;  // null: unset
    if (f->is_map()) {
      map_from_json(in, item, message, r, f, child);
    } else if (f->is_repeated()) {
      if (!item.is_array()) in.fail(child, "must be an array");
      size_t i = 0;
      for (const auto& element : item) {
        const Path at_element{&child, {}, i++};
        if (element.is_null() && !holds_value) in.fail(at_element, "must not be null");
        element_from_json(in, element, message, r, f, at_element);
      }
    } else {
      element_from_json(in, item, message, r, f, child);
    }
  }
}

// ---- The schema ---------------------------------------------------------------------------------

void collect_messages(const pb::Descriptor* d, std::vector<const pb::Descriptor*>& out) {
  out.push_back(d);
  for (int i = 0; i < d->nested_type_count(); ++i) {
    if (!d->nested_type(i)->options().map_entry()) collect_messages(d->nested_type(i), out);
  }
}

std::vector<const pb::Descriptor*> schema_messages() {
  std::vector<const pb::Descriptor*> messages;
  for (const pb::FileDescriptor* file : schema_files()) {
    for (int i = 0; i < file->message_type_count(); ++i)
      collect_messages(file->message_type(i), messages);
  }
  return messages;
}

const char* kind_name(const FD* f) {
  switch (f->options().GetExtension(dms::v1::kind)) {
    case dms::v1::FIELD_KIND_DECIMAL:
      return "decimal";
    case dms::v1::FIELD_KIND_DATE:
      return "date";
    case dms::v1::FIELD_KIND_TIMESTAMP:
      return "timestamp";
    default:
      return "text";
  }
}

bool supported_message_type(const pb::Descriptor* d) {
  const std::string& name = d->full_name();
  return name.rfind(kPackagePrefix, 0) == 0 || is_struct(d) || is_value(d) || is_list_value(d);
}

bool supported_scalar(const FD* f) {
  switch (f->type()) {
    case FD::TYPE_DOUBLE:
    case FD::TYPE_FLOAT:  // no floating point near money
    case FD::TYPE_BYTES:
    case FD::TYPE_ENUM:  // workflow states are strings, as in the seed
    case FD::TYPE_GROUP:
      return false;
    default:
      return true;
  }
}

}  // namespace

const MethodTypes* find_method(std::string_view method) {
  const auto& table = method_table();
  auto it = table.find(method);
  return it == table.end() ? nullptr : &it->second;
}

std::vector<std::string> schema_methods() {
  std::vector<std::string> names;
  for (const auto& [name, types] : method_table()) names.push_back(name);
  return names;
}

const pb::Descriptor* find_message(std::string_view full_name) {
  if (full_name.substr(0, kPackagePrefix.size()) != kPackagePrefix) return nullptr;
  return pb::DescriptorPool::generated_pool()->FindMessageTypeByName(std::string(full_name));
}

Json to_json(const pb::Message& message) {
  return message_to_json(message);
}

void from_json(const Json& document, pb::Message& message, const std::string& path) {
  const Reader in{path};
  message_from_json(in, document, message, Path{});
}

Json describe_schema() {
  Json methods = Json::object();
  for (const auto& [name, types] : method_table()) {
    methods[name] = {{"request", types.request->full_name()},
                     {"response", types.response->full_name()}};
  }
  Json messages = Json::object();
  for (const pb::Descriptor* d : schema_messages()) {
    Json fields = Json::array();
    for (int i = 0; i < d->field_count(); ++i) {
      const FD* f = d->field(i);
      const pb::Descriptor* type = f->message_type();
      Json field = {{"name", f->json_name()},
                    {"protoName", f->name()},
                    {"type", f->is_map() ? "map" : f->type_name()},
                    {"kind", kind_name(f)},
                    {"repeated", f->is_repeated() && !f->is_map()},
                    {"optional", f->has_optional_keyword()},
                    {"message", nullptr}};
      if (f->is_map()) type = type->map_value()->message_type();
      if (type != nullptr) field["message"] = type->full_name();
      if (f->is_map() && type == nullptr)
        field["mapValue"] = f->message_type()->map_value()->type_name();
      fields.push_back(std::move(field));
    }
    messages[d->full_name()] = {{"fields", std::move(fields)}};
  }
  return {{"methods", std::move(methods)}, {"messages", std::move(messages)}};
}

std::vector<std::string> schema_problems() {
  std::vector<std::string> problems;
  for (const pb::Descriptor* d : schema_messages()) {
    for (int i = 0; i < d->field_count(); ++i) {
      const FD* f = d->field(i);
      const std::string where = f->full_name() + ": ";
      if (f->is_map()) {
        const FD* key = f->message_type()->map_key();
        const FD* value = f->message_type()->map_value();
        if (key->type() != FD::TYPE_STRING) problems.push_back(where + "map keys must be strings");
        if (value->message_type() ? !supported_message_type(value->message_type())
                                  : !supported_scalar(value)) {
          problems.push_back(where + "unsupported map value type");
        }
      } else if (f->message_type() != nullptr) {
        if (!supported_message_type(f->message_type())) {
          problems.push_back(where + "unsupported message type " + f->message_type()->full_name());
        }
      } else if (!supported_scalar(f)) {
        problems.push_back(where + "unsupported type " + f->type_name());
      }
      if (f->real_containing_oneof() != nullptr) problems.push_back(where + "oneof is not used");
      if (f->json_name() != f->camelcase_name()) {
        problems.push_back(where + "json_name must be the default (the camelCase name)");
      }
      if (f->options().GetExtension(dms::v1::kind) != dms::v1::FIELD_KIND_TEXT &&
          f->type() != FD::TYPE_STRING) {
        problems.push_back(where + "a decimal, date or timestamp kind needs a string field");
      }
    }
  }
  return problems;
}

}  // namespace dms::wire
