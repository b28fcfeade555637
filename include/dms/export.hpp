// Exports of reports to files, with progress and cancellation (for large exports; the method
// reports.Export returns the bytes in its response instead).
//
//   dms::export_report(*db, ctx, {{"name", "financial.revenue_by_period"},
//                                 {"params", {{"from", "2026-04-01"}, {"to", "2026-11-30"}}},
//                                 {"format", "xlsx"}},
//                      "/tmp/revenue.xlsx",
//                      [](int64_t done, int64_t total) { return !cancelled; });
//
// The request is reports.Export's: name, params (as for reports.Run), format csv|xlsx|pdf. The
// report is computed in one read transaction (the read replica when one is configured), then
// written; progress(done, total) counts rows written, and returning false stops the export with
// EXPORT_CANCELLED, leaving no file at `path`.
//
// Thread-safety: like Database::call.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "dms/context.hpp"
#include "dms/database.hpp"
#include "dms/json.hpp"

namespace dms {

using ExportProgress = std::function<bool(int64_t done, int64_t total)>;

// Returns {filename, contentType, sizeBytes} of the file written.
Json export_report(Database& db, const Context& ctx, const Json& request, const std::string& path,
                   const ExportProgress& progress = {});

}  // namespace dms
