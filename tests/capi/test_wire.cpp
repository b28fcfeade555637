// The protobuf wire layer: the schema covers every registered method, uses only what the
// converter supports, and the converter agrees with protobuf's own JSON mapping
// (google::protobuf::util) on random instances of every message of the schema.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <catch2/catch.hpp>
#include <memory>
#include <random>
#include <string>

#include "dms/database.hpp"
#include "dms/error.hpp"
#include "wire.hpp"

namespace pb = google::protobuf;
using dms::Json;

namespace {

std::unique_ptr<pb::Message> new_message(const pb::Descriptor* type) {
  return std::unique_ptr<pb::Message>(
      pb::MessageFactory::generated_factory()->GetPrototype(type)->New());
}

std::vector<const pb::Descriptor*> all_messages() {
  std::vector<const pb::Descriptor*> out;
  const Json schema = dms::wire::describe_schema();
  for (const auto& [name, message] : schema["messages"].items()) {
    const pb::Descriptor* d = dms::wire::find_message(name);
    REQUIRE(d != nullptr);
    out.push_back(d);
  }
  return out;
}

class RandomFiller {
 public:
  explicit RandomFiller(uint32_t seed) : rng_(seed) {}

  void fill(pb::Message& m, int depth) {
    const pb::Descriptor* d = m.GetDescriptor();
    if (d == pb::Struct::descriptor()) return fill_struct(static_cast<pb::Struct&>(m), depth);
    if (d == pb::Value::descriptor()) return fill_value(static_cast<pb::Value&>(m), depth);
    if (d == pb::ListValue::descriptor()) return fill_list(static_cast<pb::ListValue&>(m), depth);
    const pb::Reflection& r = *m.GetReflection();
    for (int i = 0; i < d->field_count(); ++i) {
      const pb::FieldDescriptor* f = d->field(i);
      if (pick(3) == 0) continue;  // leave some fields unset
      if (f->is_map()) {
        for (int k = 0, n = pick(3); k < n; ++k) {
          pb::Message* entry = r.AddMessage(&m, f);
          const pb::Reflection& er = *entry->GetReflection();
          // Distinct keys: a map holds each key once.
          er.SetString(entry, f->message_type()->map_key(), text() + std::to_string(k));
          set(*entry, er, f->message_type()->map_value(), depth);
        }
      } else if (f->is_repeated()) {
        for (int k = 0, n = pick(4); k < n; ++k) set(m, r, f, depth);
      } else if (f->message_type() == nullptr || depth < 4) {
        set(m, r, f, depth);
      }
    }
  }

 private:
  int pick(int n) { return static_cast<int>(rng_() % static_cast<uint32_t>(n)); }

  std::string text() {
    static const char* const kTexts[] = {"",      "a",          "4720000.00",  "2025-12-20",
                                         "héllo", "\"quoted\"", "line\nbreak", "\xe2\x82\xb9 9"};
    return kTexts[pick(8)];
  }

  int64_t integer() {
    switch (pick(5)) {
      case 0:
        return 0;
      case 1:
        return -static_cast<int64_t>(rng_() % 1000);
      case 2:
        return static_cast<int64_t>(rng_());
      case 3:
        return std::numeric_limits<int64_t>::max() - pick(3);
      default:
        return std::numeric_limits<int64_t>::min() + pick(3);
    }
  }

  void set(pb::Message& m, const pb::Reflection& r, const pb::FieldDescriptor* f, int depth) {
    const bool rep = f->is_repeated();
    using FD = pb::FieldDescriptor;
    const int64_t v = integer();
    switch (f->cpp_type()) {
      case FD::CPPTYPE_INT32: {
        const auto x = static_cast<int32_t>(v);
        rep ? r.AddInt32(&m, f, x) : r.SetInt32(&m, f, x);
        break;
      }
      case FD::CPPTYPE_UINT32: {
        const auto x = static_cast<uint32_t>(v);
        rep ? r.AddUInt32(&m, f, x) : r.SetUInt32(&m, f, x);
        break;
      }
      case FD::CPPTYPE_INT64:
        rep ? r.AddInt64(&m, f, v) : r.SetInt64(&m, f, v);
        break;
      case FD::CPPTYPE_UINT64:
        rep ? r.AddUInt64(&m, f, static_cast<uint64_t>(v))
            : r.SetUInt64(&m, f, static_cast<uint64_t>(v));
        break;
      case FD::CPPTYPE_BOOL:
        rep ? r.AddBool(&m, f, pick(2) == 0) : r.SetBool(&m, f, pick(2) == 0);
        break;
      case FD::CPPTYPE_STRING:
        rep ? r.AddString(&m, f, text()) : r.SetString(&m, f, text());
        break;
      case FD::CPPTYPE_MESSAGE:
        fill(rep ? *r.AddMessage(&m, f) : *r.MutableMessage(&m, f), depth + 1);
        break;
      default:
        FAIL("unsupported field type in the schema: " << f->full_name());
    }
  }

  void fill_value(pb::Value& v, int depth) {
    switch (depth < 4 ? pick(6) : pick(4)) {
      case 0:
        v.set_null_value(pb::NULL_VALUE);
        break;
      case 1:
        v.set_bool_value(pick(2) == 0);
        break;
      case 2: {
        static const double kNumbers[] = {0, 1, -2.5, 5000, 0.1, 1e15, 12345.678};
        v.set_number_value(kNumbers[pick(7)]);
        break;
      }
      case 3:
        v.set_string_value(text());
        break;
      case 4:
        fill_struct(*v.mutable_struct_value(), depth + 1);
        break;
      default:
        fill_list(*v.mutable_list_value(), depth + 1);
    }
  }
  void fill_struct(pb::Struct& s, int depth) {
    for (int k = 0, n = pick(4); k < n; ++k) fill_value((*s.mutable_fields())[text()], depth);
  }
  void fill_list(pb::ListValue& l, int depth) {
    for (int k = 0, n = pick(4); k < n; ++k) fill_value(*l.add_values(), depth);
  }

  std::mt19937 rng_;
};

Json protobuf_json(const pb::Message& m) {
  std::string text;
  pb::util::JsonPrintOptions options;  // camelCase names, defaults omitted: as the converter
  REQUIRE(pb::util::MessageToJsonString(m, &text, options).ok());
  return Json::parse(text);
}

}  // namespace

TEST_CASE("the schema uses only what the converter supports") {
  const auto problems = dms::wire::schema_problems();
  for (const auto& problem : problems) UNSCOPED_INFO(problem);
  CHECK(problems.empty());
}

TEST_CASE("the schema describes every registered method") {
  // Every method must be callable in binary protobuf, typed in the Python stubs and TypeScript
  // declarations, and have its decimals and times converted in Python. For a new method, add its
  // request and response messages to proto/dms/v1/<module>.proto and an rpc to the module's
  // service block, then regenerate the stubs (docs/bindings.md, "The wire schema").
  const auto registered = dms::Database::methods();
  for (const auto& method : registered) {
    INFO(method << " has no request/response messages in proto/dms/v1");
    CHECK(dms::wire::find_method(method) != nullptr);
  }
  for (const auto& method : dms::wire::schema_methods()) {
    INFO(method << " is in the schema but not registered");
    CHECK(std::binary_search(registered.begin(), registered.end(), method));
  }
}

TEST_CASE("the converter agrees with protobuf's JSON mapping on random messages") {
  RandomFiller filler(20251220);
  int compared = 0;
  for (const pb::Descriptor* type : all_messages()) {
    for (int round = 0; round < 200; ++round) {
      auto original = new_message(type);
      filler.fill(*original, 0);
      INFO(type->full_name() << ": " << original->ShortDebugString());

      // Message -> JSON: the same document as protobuf's printer.
      const Json ours = dms::wire::to_json(*original);
      CHECK(ours == protobuf_json(*original));

      // JSON -> message: back to the same message, and the same as protobuf's parser.
      auto back = new_message(type);
      dms::wire::from_json(ours, *back);
      CHECK(pb::util::MessageDifferencer::Equals(*original, *back));
      auto theirs = new_message(type);
      pb::util::JsonParseOptions options;
      options.ignore_unknown_fields = true;
      REQUIRE(pb::util::JsonStringToMessage(ours.dump(), theirs.get(), options).ok());
      CHECK(pb::util::MessageDifferencer::Equals(*theirs, *back));
      ++compared;
    }
  }
  CHECK(compared >= 200);
}

TEST_CASE("reading JSON: unknown keys ignored, nulls unset, numbers as strings, typed errors") {
  const pb::Descriptor* ping = dms::wire::find_message("dms.v1.PingRequest");
  REQUIRE(ping != nullptr);
  auto m = new_message(ping);
  dms::wire::from_json(Json{{"echo", nullptr}, {"other", {1, 2}}, {"delay_ms", "7"}}, *m);
  CHECK(dms::wire::to_json(*m) == Json{{"delayMs", 7}});

  m->Clear();
  dms::wire::from_json(Json{{"echo", 12.5}}, *m);  // the seed sends money as numbers
  CHECK(dms::wire::to_json(*m) == Json{{"echo", "12.5"}});

  auto field_of = [&](const Json& doc) {
    m->Clear();
    try {
      dms::wire::from_json(doc, *m, "request");
    } catch (const dms::Error& e) {
      CHECK(e.code() == dms::ErrorCode::kValidation);
      return e.field();
    }
    return std::string("(no error)");
  };
  CHECK(field_of(Json{{"echo", {{"a", 1}}}}) == "request.echo");
  CHECK(field_of(Json{{"delayMs", 1.5}}) == "request.delayMs");
  CHECK(field_of(Json{{"delayMs", 1e12}}) == "request.delayMs");
  CHECK(field_of(Json{{"delayMs", "12x"}}) == "request.delayMs");
  CHECK(field_of(Json{{"delayMs", true}}) == "request.delayMs");
  CHECK(field_of(Json::array()) == "request");
  CHECK(field_of(Json{{"delayMs", 3}}) == "(no error)");
}

TEST_CASE("method names come from the service blocks") {
  const auto* ping = dms::wire::find_method("system.Ping");
  REQUIRE(ping != nullptr);
  CHECK(ping->request->full_name() == "dms.v1.PingRequest");
  CHECK(ping->response->full_name() == "dms.v1.PingResponse");
  CHECK(dms::wire::find_method("System.Ping") == nullptr);
  CHECK(dms::wire::find_message("google.protobuf.Struct") == nullptr);
}
