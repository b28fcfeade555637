// Schema conformance of responses: every call the integration tests make through the fixtures
// (IdentityFixture::call, InventoryWorld::call, checked_call) checks that its response conforms
// to the method's response message in the wire schema proto/dms/v1 (read through dms_wire):
// no field outside the message, at any depth, and the JSON type protobuf's JSON mapping expects
// (text as strings, int32 as numbers in range, int64 as numbers or integer strings, booleans,
// objects for messages and maps, arrays for repeated fields; null for an absent field).
//
// Coverage: each test process records the test cases it ran and the methods it checked in the
// directory $DMS_CONFORMANCE_DIR (ctest sets it); the ctest test "integration: every registered
// method's response is checked" (test_conformance.cpp) fails when, after a full run, some
// registered method was never checked (docs/decisions/0007-strict-requests.md).
//
// Thread-safety: check_conforms may be called from any thread; a non-conforming response
// throws std::logic_error (not dms::Error, which tests may expect).
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "dms/context.hpp"
#include "dms/database.hpp"
#include "dms/json.hpp"

namespace dms::test {

// Throws std::logic_error naming every problem when `response` does not conform; records
// `method` as checked.
void check_conforms(std::string_view method, const Json& response);

// db.call(ctx, method, request), its response checked.
Json checked_call(Database& db, const Context& ctx, std::string_view method, const Json& request);

// The problems of `response` against the response message of `method` (empty: it conforms).
std::set<std::string> conformance_problems(std::string_view method, const Json& response);

// What this process ran and checked (written to $DMS_CONFORMANCE_DIR/<pid>.txt at the end of
// the run: lines "test <name>" and "method <name>").
class ConformanceRecord {
 public:
  static ConformanceRecord& instance();
  void test_started(const std::string& name);
  void checked(std::string_view method);
  void write() const;

 private:
  mutable std::mutex mutex_;
  std::set<std::string> tests_;
  std::set<std::string, std::less<>> methods_;
};

}  // namespace dms::test
