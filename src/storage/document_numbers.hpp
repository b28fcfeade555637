// Document numbers: unique, gapless, human-readable numbers for job cards, purchase orders,
// parts issues, customers and tax invoices.
//
// A counter row per (series, scope) lives in document_counters and is incremented inside the
// caller's transaction with one atomic "UPDATE ... SET value = value + 1 ... RETURNING value"
// (after an "INSERT ... ON CONFLICT DO NOTHING" when the row is new). So a number is taken only
// if the document that uses it commits (gapless), and concurrent writers queue on the row lock
// (PostgreSQL, READ COMMITTED) or the database write lock (SQLite) and never see the same value.
// The scope is the part of the number that restarts the count: a service center and month for job
// cards, a financial year for invoices.
//
//   std::string number = storage::allocate(tx, storage::series::kJobCard,
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

// The defaults from seed 002 (fields: scCode for the service center's short code, plus
// date_fields of the document's business date).
namespace series {
// SC01-2025-03-0001: per service center and month.
inline constexpr NumberSeries kJobCard{"job_card", "{scCode}-{YYYY}-{MM}-{SEQ4}",
                                       "{scCode}/{YYYY}-{MM}", 0};
// PO-2025-0001: per calendar year.
inline constexpr NumberSeries kPurchaseOrder{"purchase_order", "PO-{YYYY}-{SEQ4}", "{YYYY}", 0};
// PI-2025-0001: per calendar year.
inline constexpr NumberSeries kPartsIssue{"parts_issue", "PI-{YYYY}-{SEQ4}", "{YYYY}", 0};
// CUST-0001: one count for the whole dealer.
inline constexpr NumberSeries kCustomer{"customer", "CUST-{SEQ4}", "", 0};
// SC01/2425/00001: GST tax invoices, per service center per financial year (April-March),
// consecutive, at most 16 characters (so scCode has at most 5 characters and a center issues at
// most 99,999 invoices a year before the number no longer fits).
inline constexpr NumberSeries kInvoice{"invoice", "{scCode}/{FY}/{SEQ5}", "{scCode}/{FY}", 16};
}  // namespace series

}  // namespace dms::storage
