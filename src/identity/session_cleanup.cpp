// Job kind session_cleanup (src/jobs/jobs.hpp): deletes the login state nobody can use any more,
// older than the configured retention (config {"retentionDays": 30}, 0-3650): refresh tokens that
// expired or were used, sessions that expired or were revoked (with their tokens), and password
// reset codes that expired or were used. Recent ones are kept for inspection (the audit log keeps
// the logins themselves). Counts only in the run's summary: no secrets, no token digests.
#include <string>

#include "dms/error.hpp"
#include "jobs/jobs.hpp"

namespace dms::identity {
namespace {

constexpr int64_t kDay = int64_t{24} * 3600 * 1000000;

int64_t retention_days(const Json& config) {
  if (!config.contains("retentionDays")) return 30;
  const Json& days = config["retentionDays"];
  if (!days.is_number_integer() || days.get<int64_t>() < 0 || days.get<int64_t>() > 3650) {
    throw Error::Validation("config.retentionDays", "retentionDays must be 0-3650 whole days");
  }
  return days.get<int64_t>();
}

void check_config(const Json& config) {
  retention_days(config);
}

Json clean_up_sessions(storage::Transaction& tx, const jobs::JobRun& run) {
  const int64_t cutoff = run.as_of.unix_micros() - retention_days(run.config) * kDay;
  // Sessions past use: expired or revoked before the cutoff.
  const std::string dead_sessions =
      "SELECT id FROM sessions WHERE expires_at < ? OR (revoked_at IS NOT NULL AND revoked_at < ?)";
  const int64_t tokens = tx.exec(
      "DELETE FROM refresh_tokens WHERE expires_at < ? OR (used_at IS NOT NULL AND used_at < ?) "
      "OR session_id IN (" +
          dead_sessions + ")",
      {cutoff, cutoff, cutoff, cutoff});
  const int64_t sessions = tx.exec(
      "DELETE FROM sessions WHERE expires_at < ? OR (revoked_at IS NOT NULL AND revoked_at < ?)",
      {cutoff, cutoff});
  const int64_t resets = tx.exec(
      "DELETE FROM password_reset_tokens WHERE expires_at < ? OR (used_at IS NOT NULL AND "
      "used_at < ?)",
      {cutoff, cutoff});
  return {{"refreshTokensDeleted", tokens},
          {"sessionsDeleted", sessions},
          {"resetTokensDeleted", resets}};
}

const jobs::JobRegistration kJob("session_cleanup", clean_up_sessions, check_config);

}  // namespace
}  // namespace dms::identity
