// The response checker and the per-process coverage record of conformance.hpp.
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#include "conformance.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/struct.pb.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <mutex>
#include <stdexcept>

#include "wire.hpp"

namespace dms::test {
namespace {

namespace pb = google::protobuf;
using FD = pb::FieldDescriptor;

struct Walker {
  std::set<std::string>& problems;

  void add(const std::string& path, const std::string& what) {
    problems.insert((path.empty() ? std::string("response") : path) + ": " + what);
  }

  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  void message(const pb::Descriptor* d, const Json& j, const std::string& path) {
    if (d == pb::Struct::descriptor()) {
      if (!j.is_object()) add(path, "must be an object (Struct)");
      return;
    }
    if (d == pb::Value::descriptor()) return;
    if (d == pb::ListValue::descriptor()) {
      if (!j.is_array()) add(path, "must be an array (ListValue)");
      return;
    }
    if (!j.is_object()) {
      add(path, "must be an object (" + d->full_name() + ")");
      return;
    }
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string at = join(path, it.key());
      const FD* f = d->FindFieldByCamelcaseName(it.key());
      if (f == nullptr) {
        add(at, "is not a field of " + d->full_name());
        continue;
      }
      if (it->is_null()) continue;  // an absent field
      if (f->is_map()) {
        if (!it->is_object()) {
          add(at, "must be an object (map)");
          continue;
        }
        const FD* value = f->message_type()->map_value();
        for (auto entry = it->begin(); entry != it->end(); ++entry) {
          scalar_or_message(value, *entry, at + "." + entry.key());
        }
      } else if (f->is_repeated()) {
        if (!it->is_array()) {
          add(at, "must be an array");
          continue;
        }
        size_t i = 0;
        for (const Json& item : *it) {
          const std::string item_at = at + "[" + std::to_string(i++) + "]";
          if (item.is_null() && !(f->message_type() == pb::Value::descriptor())) {
            add(item_at, "must not be null");
          } else {
            scalar_or_message(f, item, item_at);
          }
        }
      } else {
        scalar_or_message(f, *it, at);
      }
    }
  }

  template <class Int>
  void integer(const Json& j, const std::string& path, bool string_allowed) {
    if (j.is_number_unsigned()) {
      if (j.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<Int>::max())) {
        add(path, "is out of range");
      }
    } else if (j.is_number_integer()) {
      const int64_t v = j.get<int64_t>();
      if (v < static_cast<int64_t>(std::numeric_limits<Int>::min()) ||
          (v > 0 &&
           static_cast<uint64_t>(v) > static_cast<uint64_t>(std::numeric_limits<Int>::max()))) {
        add(path, "is out of range");
      }
    } else if (string_allowed && j.is_string()) {
      const std::string& s = j.get_ref<const std::string&>();
      const size_t start = !s.empty() && s[0] == '-' ? 1 : 0;
      if (s.size() == start || s.find_first_not_of("0123456789", start) != std::string::npos) {
        add(path, "must be an integer string, not \"" + s + "\"");
      }
    } else {
      add(path, std::string("must be an integer number, not ") + j.type_name());
    }
  }

  void scalar_or_message(const FD* f, const Json& j, const std::string& path) {
    switch (f->cpp_type()) {
      case FD::CPPTYPE_STRING:
        if (!j.is_string()) add(path, std::string("must be a string, not ") + j.type_name());
        return;
      case FD::CPPTYPE_BOOL:
        if (!j.is_boolean()) add(path, std::string("must be true or false, not ") + j.type_name());
        return;
      case FD::CPPTYPE_INT32:
        return integer<int32_t>(j, path, false);
      case FD::CPPTYPE_UINT32:
        return integer<uint32_t>(j, path, false);
      case FD::CPPTYPE_INT64:
        return integer<int64_t>(j, path, true);
      case FD::CPPTYPE_UINT64:
        return integer<uint64_t>(j, path, true);
      case FD::CPPTYPE_MESSAGE:
        return message(f->message_type(), j, path);
      default:
        add(path, "has a type the schema may not use");
    }
  }
};

}  // namespace

ConformanceRecord& ConformanceRecord::instance() {
  static ConformanceRecord record;
  return record;
}

void ConformanceRecord::test_started(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  tests_.insert(name);
}

void ConformanceRecord::checked(std::string_view method) {
  std::lock_guard<std::mutex> lock(mutex_);
  methods_.emplace(method);
}

void ConformanceRecord::write() const {
  const char* dir = std::getenv("DMS_CONFORMANCE_DIR");
  if (dir == nullptr || *dir == '\0') return;
  std::lock_guard<std::mutex> lock(mutex_);
  std::filesystem::create_directories(dir);
  const std::string path = std::string(dir) + "/" + std::to_string(::getpid()) + ".txt";
  std::ofstream out(path, std::ios::app);
  for (const auto& test : tests_) out << "test " << test << "\n";
  for (const auto& method : methods_) out << "method " << method << "\n";
}

std::set<std::string> conformance_problems(std::string_view method, const Json& response) {
  std::set<std::string> problems;
  const wire::MethodTypes* types = wire::find_method(method);
  if (types == nullptr) {
    problems.insert(std::string(method) + " has no response message in the schema");
    return problems;
  }
  Walker{problems}.message(types->response, response, "");
  return problems;
}

void check_conforms(std::string_view method, const Json& response) {
  const auto problems = conformance_problems(method, response);
  if (!problems.empty()) {
    std::string text =
        "the response of " + std::string(method) + " does not conform to the wire schema:";
    for (const auto& problem : problems) text += "\n  " + problem;
    throw std::logic_error(text);
  }
  ConformanceRecord::instance().checked(method);
}

Json checked_call(Database& db, const Context& ctx, std::string_view method, const Json& request) {
  Json response = db.call(ctx, method, request);
  check_conforms(method, response);
  return response;
}

namespace {

// Records the test cases this process ran, and writes the record when the run ends.
struct ConformanceListener : Catch::TestEventListenerBase {
  using TestEventListenerBase::TestEventListenerBase;

  void testCaseStarting(const Catch::TestCaseInfo& info) override {
    ConformanceRecord::instance().test_started(info.name);
  }
  void testRunEnded(const Catch::TestRunStats&) override { ConformanceRecord::instance().write(); }
};

CATCH_REGISTER_LISTENER(ConformanceListener)

}  // namespace
}  // namespace dms::test
