// The monthly compiled report (seed 004): every report of the catalogue for one month and one
// service center or the whole group, compiled into one PDF and one XLSX workbook (a sheet per
// report table), stored in generated_files and announced by a `report.generated` event
// {reportName: "monthly", period: "2026-11", serviceCenterId?}.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <optional>
#include <string>

#include "dms/context.hpp"
#include "dms/json.hpp"
#include "dms/time.hpp"
#include "storage/store.hpp"

namespace dms::reports {

// Compiles, stores and announces the month ("2026-11") for `center` (none: every center the
// actor may see), in the caller's transaction. Reports the actor may not run are left out.
// Returns reports.GenerateMonthly's response.
Json generate_monthly(storage::Transaction& tx, const Context& ctx, const std::string& month,
                      const std::optional<std::string>& center);

// The scheduled job's work (kind "monthly_report", e.g. "monthly on day 1 at 06:00"): the month
// before `local_date` for config.serviceCenterId, or the whole group. Shaped for
// jobs::JobRegistration("monthly_report", ...) of the jobs module: its function calls this with
// the run's transaction, ctx, config and local_date().
Json run_monthly_report_job(storage::Transaction& tx, const Context& ctx, const Json& config,
                            Date local_date);

}  // namespace dms::reports
