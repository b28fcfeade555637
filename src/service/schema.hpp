// The request schema of every method, compiled into the core, and the strict check that every
// request passes before its handler runs (docs/decisions/0007-strict-requests.md).
//
// The table is generated at build time from the wire schema proto/dms/v1/*.proto by
// proto/schema_table_gen.cpp (a host program linked with the protobuf descriptors, which the
// core itself never links: libdms.so and libdms_c.so in one process would register them twice).
// It lists, for each method, its request and response messages; for each message, its fields
// with their JSON name, type, whether repeated or a map, the nested message, and for text its
// longest length and whether it may span lines.
//
// check_request() rejects, with VALIDATION naming the path ("items[0].discountPercnt"):
//   - a field the message does not declare, at any depth, with a "did you mean" hint when a
//     declared one is close (google.protobuf.Struct and Value fields stay free-form); a List
//     request also takes plain filter parameters naming a filterable field of its list spec
//     ("priority": "high") and nested expansion limits ("vehicles.limit": 5);
//   - text with a control character (line feed, carriage return and tab only in multi-line
//     fields), invalid UTF-8, or more characters than the field's maximum;
//   - an integer outside the range of its int32/int64/uint32/uint64 field;
//   - a message field that is not an object, a repeated field that is not an array.
// Types of scalars are otherwise left to the handler's reader (src/service/request.hpp), which
// accepts, for example, money as a JSON number in a decimal string field.
//
// Thread-safety: the table is immutable; check_request may run on any thread.
#pragma once

#include <cstdint>
#include <string_view>

#include "dms/json.hpp"
#include "storage/list_query.hpp"

namespace dms::schema {

enum class FieldType : uint8_t {
  kString,
  kInt32,
  kInt64,
  kUInt32,
  kUInt64,
  kBool,
  kMessage,    // a message of the schema (Field::message)
  kStruct,     // google.protobuf.Struct: a free-form object
  kValue,      // google.protobuf.Value: any JSON value
  kListValue,  // google.protobuf.ListValue: a free-form array
};

enum FieldFlag : uint8_t {
  kRepeated = 1,   // a JSON array of the type
  kMap = 2,        // a JSON object whose values are of the type (string keys)
  kMultiline = 4,  // text that may hold line feeds, carriage returns and tabs
};

enum MessageFlag : uint8_t {
  kListQuery = 1,  // takes plain filter parameters and "<relation>.limit" keys as well
};

struct Field {
  const char* name;  // the JSON (camelCase) name
  FieldType type;
  uint8_t flags;
  uint32_t max_length;  // text: the longest accepted, in characters
  int32_t message;      // kMessage: index into Schema::messages; otherwise -1
};

struct Message {
  const char* name;  // "dms.v1.CreateInvoiceRequest"
  uint32_t first_field;
  uint32_t field_count;
  uint8_t flags;
};

struct Method {
  const char* name;  // "invoices.Create"
  int32_t request;   // indexes into Schema::messages
  int32_t response;
};

struct Schema {
  const Field* fields;
  size_t field_count;
  const Message* messages;
  size_t message_count;
  const Method* methods;  // sorted by name
  size_t method_count;

  const Method* find_method(std::string_view name) const;
  const Message& message(int32_t index) const { return messages[index]; }
  const Field* find_field(const Message& message, std::string_view json_name) const;
};

// The generated table (schema_table.cpp in the build tree).
const Schema& schema();

// Throws Error(kValidation) when `request` does not conform to the request message of `method`
// (see above), and Error(kInternal) when the schema does not describe `method` (a test keeps
// every registered method described). A null request is an empty one. The plain filter
// parameters of a list request (a message marked list_query) must name a filterable field of
// `list_spec`, the list the method registered (none registered: no plain parameters).
void check_request(std::string_view method, const Json& request,
                   const storage::ListSpec* list_spec = nullptr);

}  // namespace dms::schema
