// Document numbers: the gapless counter allocator behind the unique, human-readable numbers of
// job cards, purchase orders, parts issues, customers, tax invoices and the rest.
//
// A counter row per (series, scope) lives in document_counters and is incremented inside the
// caller's transaction with one atomic "UPDATE ... SET value = value + 1 ... RETURNING value"
// (after an "INSERT ... ON CONFLICT DO NOTHING" when the row is new). So a number is taken only
// if the document that uses it commits (gapless), and concurrent writers queue on the row lock
// (PostgreSQL, READ COMMITTED) or the database write lock (SQLite) and never see the same value.
// The scope is the part of the number that restarts the count: a service center and month for job
// cards, a financial year for invoices.
//
// Storage owns only the counters and the pattern language. Each series (its name, pattern, scope
// and length limit) is defined by the module that owns the document: workshop/numbering.hpp (job
// cards, customers, service requests, appointments), inventory/numbering.hpp (purchase orders,
// parts issues, stock transfers), billing/numbering.hpp (tax invoices, credit notes).
//
//   constexpr storage::NumberSeries kJobCard{"job_card", "{scCode}-{YYYY}-{MM}-{SEQ4}",
//                                            "{scCode}/{YYYY}-{MM}", 0};
//   std::string number = storage::allocate(tx, kJobCard,
//                                          storage::date_fields(today, {{"scCode", "SC01"}}));
//   // "SC01-2025-03-0042"
//
// Thread-safety: free functions over the caller's Transaction.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "dms/time.hpp"
#include "storage/store.hpp"

namespace dms::storage {

// Values for the {name} tokens of a pattern ("scCode" -> "SC01", "YYYY" -> "2025").
using NumberFields = std::map<std::string, std::string, std::less<>>;

// The next value (1, 2, 3, ...) of the counter `series` within `scope` ("" for one global
// count), taken inside `tx`. REQUIRES: a write transaction; series is not empty.
int64_t next_number(Transaction& tx, std::string_view series, std::string_view scope);

// Expands a pattern: {SEQn} is `sequence` zero-padded to n digits (1-9; a larger sequence is
// printed in full), {name} is fields[name]. An unknown token or unbalanced brace is
// Error(kValidation, "numberFormat").
std::string format_number(std::string_view pattern, int64_t sequence, const NumberFields& fields);

// Adds the calendar tokens of `date` to `fields`: YYYY, YY, MM, DD, and FY (the Indian financial
// year as "2425" for FY 2024-25) and FYLABEL ("2024-25").
NumberFields date_fields(Date date, NumberFields fields = {});

// next_number + format_number. When max_length > 0, a longer result is
// Error(kValidation, "numberFormat") (the transaction should then roll back).
std::string allocate(Transaction& tx, std::string_view series, std::string_view scope,
                     std::string_view pattern, const NumberFields& fields, size_t max_length = 0);

// A named series: its counter, its format, and the pattern of its scope (formatted from the
// same fields, without {SEQn}), so numbers and counters restart together.
struct NumberSeries {
  const char* name;
  const char* pattern;
  const char* scope;
  size_t max_length;  // 0: unbounded
};
std::string allocate(Transaction& tx, const NumberSeries& series, const NumberFields& fields);

}  // namespace dms::storage
