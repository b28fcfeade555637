// Service centers and users as every module reads them: the identity module's records as small
// structs, the center a new record belongs to, a tenant's row loaded by id (another center's row
// reads as missing), and document numbers of a center's series.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dms/context.hpp"
#include "dms/time.hpp"
#include "service/request.hpp"
#include "storage/document_numbers.hpp"
#include "storage/store.hpp"

namespace dms::service {

struct ServiceCenterInfo {
  std::string id;
  std::string code;
  std::string name;
  std::string state_code;  // GST state code of the center ("27"); may be empty
  std::string state;       // state name
  std::string gstin;
  // The address and contacts printed on documents (empty when not on record).
  std::string street, city, zip_code, phone, email;
  std::string upi_id;  // the UPI payee of the invoices' payment QR code
};

struct UserInfo {
  std::string id;
  std::string name;
  std::string role;
  std::optional<std::string> service_center_id;
  bool active = true;
};

// NOT_FOUND naming `field` when the center does not exist.
ServiceCenterInfo load_service_center(storage::Transaction& tx, const std::string& id,
                                      std::string_view field = "serviceCenterId");
std::optional<UserInfo> find_user(storage::Transaction& tx, const std::string& id);
// The display name of a user, or empty.
std::string user_name(storage::Transaction& tx, const std::optional<std::string>& id);

// The service center a new record of `ctx` belongs to: the request's serviceCenterId, or the
// actor's own. Users confined to their center may only name their own (NOT_FOUND otherwise, as
// for any record of another center); VALIDATION when neither gives one.
std::string center_for_new_record(const Context& ctx, const request::Fields& f);

// A row of `table` that belongs to a service center (column service_center_id) the actor may
// see; NOT_FOUND naming `field` otherwise (another center's record is reported as missing).
// `lock` adds FOR UPDATE.
storage::Row load_in_center(storage::Transaction& tx, const Context& ctx, std::string_view table,
                            std::string_view entity, const std::string& id, bool lock = false,
                            std::string_view field = "id");

// NOT_FOUND with `field` set, for references in a request.
[[noreturn]] void reference_not_found(std::string_view field, std::string_view entity,
                                      std::string_view id);

// A number and the counter value behind it.
struct AllocatedNumber {
  std::string number;
  int64_t sequence = 0;
};

// The next number of `s` (a series defined by the module that owns the document) for a center's
// document dated `date`. VALIDATION on "numberFormat", naming the center's code and the longest
// code the series allows, when the number would be longer than the series allows (a center code
// of more than 5 characters for invoices and credit notes), checked before the counter moves;
// the caller's transaction then rolls back.
AllocatedNumber allocate_number(storage::Transaction& tx, const storage::NumberSeries& s,
                                const ServiceCenterInfo& center, Date date);

}  // namespace dms::service
