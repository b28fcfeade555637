// The wire layer of the C ABI: the dms.v1 protobuf schema, its method table, and conversion
// between protobuf messages and the service API's JSON documents.
//
// Conversion follows protobuf's proto3 JSON mapping (camelCase json_name keys, int64 as strings,
// enums by name, fields at their default value omitted unless they track presence, Struct/Value/
// ListValue as plain JSON), so the result equals what google::protobuf::util::MessageToJsonString
// and JsonStringToMessage(ignore_unknown_fields) produce: tests/capi/test_wire.cpp checks that
// against protobuf's own implementation. It works directly between reflection and dms::Json,
// without the text round trips of protobuf's converter, which would cost several microseconds
// per call (docs/decisions/0005-bindings.md).
//
// The schema may use only what the converter supports: scalars other than bytes, float and
// double; messages; repeated fields; maps with string keys; Struct, Value and ListValue.
// schema_problems() lists any other use and the tests require it to be empty.
//
// Thread-safety: everything here reads immutable descriptors and is safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dms/json.hpp"

namespace google::protobuf {
class Descriptor;
class Message;
}  // namespace google::protobuf

namespace dms::wire {

// A method's request and response messages.
struct MethodTypes {
  const google::protobuf::Descriptor* request = nullptr;
  const google::protobuf::Descriptor* response = nullptr;
};

// The types of `method` ("purchaseOrders.Create", from `service PurchaseOrders { rpc Create }`),
// or nullptr when the schema does not describe it.
const MethodTypes* find_method(std::string_view method);
// The names of every method the schema describes, sorted.
std::vector<std::string> schema_methods();

// A message type of the schema by full name ("dms.v1.PingRequest"), or nullptr.
const google::protobuf::Descriptor* find_message(std::string_view full_name);

// Message -> JSON document.
Json to_json(const google::protobuf::Message& message);
// JSON document -> message (which the caller has cleared). Keys the message does not know are
// ignored; null values leave fields unset. A value of the wrong JSON type is
// Error(kValidation) naming its path under `path` ("items[2].quantity").
void from_json(const Json& document, google::protobuf::Message& message,
               const std::string& path = "");

// The schema as one JSON document (dms_schema() in dms.h describes its shape).
Json describe_schema();
// Uses of protobuf features the converter does not support; empty when the schema is valid.
std::vector<std::string> schema_problems();

}  // namespace dms::wire
