// dms_schema_table_gen OUTPUT: writes the core's request schema table (src/service/schema.hpp)
// from the descriptors of proto/dms/v1/*.proto. Run by the build (src/CMakeLists.txt); the
// output is never committed. The core does not link protobuf, so this host program is how the
// wire schema reaches it (docs/decisions/0007-strict-requests.md).
//
// Exits non-zero when an option is misused (multiline or max_length on a field that is not text).
#include <google/protobuf/descriptor.h>
#include <google/protobuf/struct.pb.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "dms/v1/options.pb.h"

namespace {

namespace pb = google::protobuf;
using FD = pb::FieldDescriptor;

constexpr const char* kSchemaFiles[] = {
#include "dms_proto_files.inc"
};

constexpr uint32_t kDefaultTextLength = 1000;
constexpr uint32_t kDefaultMultilineLength = 10000;
constexpr uint32_t kDefaultTypedTextLength = 64;  // decimals, dates, timestamps

struct Generator {
  std::vector<const pb::Descriptor*> messages;
  std::map<const pb::Descriptor*, int> index;
  std::vector<std::string> problems;

  void collect(const pb::Descriptor* d) {
    if (d->options().map_entry() || index.count(d) != 0) return;
    index[d] = static_cast<int>(messages.size());
    messages.push_back(d);
    for (int i = 0; i < d->nested_type_count(); ++i) collect(d->nested_type(i));
  }

  static bool is_struct(const pb::Descriptor* d) { return d == pb::Struct::descriptor(); }
  static bool is_value(const pb::Descriptor* d) { return d == pb::Value::descriptor(); }
  static bool is_list_value(const pb::Descriptor* d) { return d == pb::ListValue::descriptor(); }

  // The C++ enumerator of a field's (or a map value's) type, and its message index.
  std::pair<std::string, int> type_of(const FD* f) {
    switch (f->cpp_type()) {
      case FD::CPPTYPE_STRING:
        return {"kString", -1};
      case FD::CPPTYPE_INT32:
        return {"kInt32", -1};
      case FD::CPPTYPE_INT64:
        return {"kInt64", -1};
      case FD::CPPTYPE_UINT32:
        return {"kUInt32", -1};
      case FD::CPPTYPE_UINT64:
        return {"kUInt64", -1};
      case FD::CPPTYPE_BOOL:
        return {"kBool", -1};
      case FD::CPPTYPE_MESSAGE: {
        const pb::Descriptor* m = f->message_type();
        if (is_struct(m)) return {"kStruct", -1};
        if (is_value(m)) return {"kValue", -1};
        if (is_list_value(m)) return {"kListValue", -1};
        auto it = index.find(m);
        if (it == index.end()) {
          problems.push_back(f->full_name() + ": message type outside the schema");
          return {"kStruct", -1};
        }
        return {"kMessage", it->second};
      }
      default:
        problems.push_back(f->full_name() + ": unsupported type (see bindings/c/wire.hpp)");
        return {"kString", -1};
    }
  }

  std::string field_row(const FD* f) {
    const FD* element = f->is_map() ? f->message_type()->map_value() : f;
    const auto [type, message] = type_of(element);
    const auto& options = f->options();
    const bool multiline = options.GetExtension(dms::v1::multiline);
    uint32_t max_length = options.GetExtension(dms::v1::max_length);
    const bool text = element->cpp_type() == FD::CPPTYPE_STRING;
    if (!text && (multiline || max_length != 0)) {
      problems.push_back(f->full_name() + ": multiline and max_length apply to text fields only");
    }
    if (!text) {
      max_length = 0;
    } else if (max_length == 0) {
      max_length = options.GetExtension(dms::v1::kind) != dms::v1::FIELD_KIND_TEXT
                       ? kDefaultTypedTextLength
                   : multiline ? kDefaultMultilineLength
                               : kDefaultTextLength;
    }
    std::string flags;
    if (f->is_map()) {
      flags = "kMap";
    } else if (f->is_repeated()) {
      flags = "kRepeated";
    }
    if (multiline) flags += flags.empty() ? "kMultiline" : " | kMultiline";
    if (flags.empty()) flags = "0";
    std::ostringstream row;
    row << "    {\"" << f->json_name() << "\", FieldType::" << type << ", " << flags << ", "
        << max_length << ", " << message << "},  // " << f->full_name() << "\n";
    return row.str();
  }

  static std::string method_prefix(const pb::ServiceDescriptor& service) {
    std::string prefix = service.name();
    if (!prefix.empty() && prefix[0] >= 'A' && prefix[0] <= 'Z') {
      prefix[0] = static_cast<char>(prefix[0] - 'A' + 'a');
    }
    return prefix;
  }

  std::string generate() {
    std::vector<const pb::FileDescriptor*> files;
    for (const char* name : kSchemaFiles) {
      const pb::FileDescriptor* file = pb::DescriptorPool::generated_pool()->FindFileByName(name);
      if (file == nullptr) {
        problems.push_back(std::string("schema file not linked: ") + name);
        continue;
      }
      files.push_back(file);
      for (int i = 0; i < file->message_type_count(); ++i) collect(file->message_type(i));
    }
    std::map<std::string, std::pair<int, int>> methods;
    for (const pb::FileDescriptor* file : files) {
      for (int s = 0; s < file->service_count(); ++s) {
        const pb::ServiceDescriptor& service = *file->service(s);
        for (int m = 0; m < service.method_count(); ++m) {
          const pb::MethodDescriptor& method = *service.method(m);
          auto request = index.find(method.input_type());
          auto response = index.find(method.output_type());
          if (request == index.end() || response == index.end()) {
            problems.push_back(method.full_name() + ": messages outside the schema");
            continue;
          }
          methods[method_prefix(service) + "." + method.name()] = {request->second,
                                                                   response->second};
        }
      }
    }

    std::ostringstream fields;
    std::ostringstream message_rows;
    size_t field_count = 0;
    for (const pb::Descriptor* d : messages) {
      const size_t first = field_count;
      for (int i = 0; i < d->field_count(); ++i) {
        fields << field_row(d->field(i));
        ++field_count;
      }
      const bool list_query = d->options().GetExtension(dms::v1::list_query);
      message_rows << "    {\"" << d->full_name() << "\", " << first << ", "
                   << (field_count - first) << ", " << (list_query ? "kListQuery" : "0")
                   << "},  // " << index[d] << "\n";
    }
    if (field_count == 0) fields << "    {\"\", FieldType::kString, 0, 0, -1},\n";

    std::ostringstream out;
    out << "// Generated by dms_schema_table_gen (proto/schema_table_gen.cpp) from "
           "proto/dms/v1/*.proto.\n"
        << "// Do not edit and do not commit: the build writes it.\n"
        << "#include <iterator>\n\n#include \"service/schema.hpp\"\n\n"
        << "namespace dms::schema {\nnamespace {\n\n"
        << "constexpr Field kFields[] = {\n"
        << fields.str() << "};\n\n"
        << "constexpr Message kMessages[] = {\n"
        << message_rows.str() << "};\n\n"
        << "constexpr Method kMethods[] = {\n";
    for (const auto& [name, types] : methods) {
      out << "    {\"" << name << "\", " << types.first << ", " << types.second << "},\n";
    }
    out << "};\n\n}  // namespace\n\n"
        << "const Schema& schema() {\n"
        << "  static const Schema table{kFields,   " << field_count
        << ",\n                             kMessages, std::size(kMessages),\n"
        << "                             kMethods,  std::size(kMethods)};\n"
        << "  return table;\n}\n\n}  // namespace dms::schema\n";
    return out.str();
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: dms_schema_table_gen OUTPUT.cpp\n";
    return 2;
  }
  Generator generator;
  const std::string text = generator.generate();
  if (!generator.problems.empty()) {
    for (const auto& problem : generator.problems) std::cerr << "schema: " << problem << "\n";
    return 1;
  }
  // Rewrite only on change, so an unchanged schema recompiles nothing.
  std::ifstream existing(argv[1], std::ios::binary);
  if (existing) {
    std::ostringstream old;
    old << existing.rdbuf();
    if (old.str() == text) return 0;
  }
  const std::string temporary = std::string(argv[1]) + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) {
      std::cerr << "cannot write " << temporary << "\n";
      return 1;
    }
  }
  if (std::rename(temporary.c_str(), argv[1]) != 0) {
    std::cerr << "cannot write " << argv[1] << "\n";
    return 1;
  }
  return 0;
}
