// The one error model of libdms, shared by every surface (C++, C ABI, Python, Node).
//
// Every expected rejection (bad input, missing permission, an invalid workflow step, too little
// stock, a concurrent modification) is a dms::Error carrying an ErrorCode. Programmer errors are
// assertions, not codes. The numbers are part of the ABI: they are never changed nor reused; new
// codes get new numbers inside their group. See docs/decisions/0001-error-model.md.
//
// Thread-safety: error_info() reads immutable tables and is safe from any thread. Error objects
// are values.
#pragma once

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

namespace dms {

enum class ErrorCode : int32_t {
  kOk = 0,

  // Authentication and authorization: 100-199.
  kUnauthenticated = 100,         // no or unreadable credentials/token
  kInvalidCredentials = 101,      // wrong login or password (never says which)
  kTokenExpired = 102,            // a well-formed token whose time has passed
  kForbidden = 103,               // the actor lacks the permission
  kPasswordChangeRequired = 104,  // first login: only a password change is allowed
  kAccountLocked = 105,           // too many failed logins; retry after the lock ends
  kAccountInactive = 106,         // the account was deactivated
  kInvalidToken = 107,            // a token that is revoked, reused or tampered with

  // Input validation: 200-299. Error::field() names the offending field.
  kValidation = 200,
  kOutOfRange = 201,  // a value outside what the type can hold (arithmetic overflow)

  // Lookup: 300-399.
  kNotFound = 300,

  // Uniqueness and concurrency: 400-499.
  kDuplicate = 400,
  kConflict = 401,  // concurrent modification; retrying the whole call may succeed

  // Business rules: 500-599. Each rule has its own code; 500 is the generic legacy code and no
  // method of the library reports it any more (hosts may still meet it in stored logs).
  kBusinessRule = 500,
  kInvalidStatusTransition = 501,  // names the from and to states
  kInsufficientStock = 502,
  // Identity.
  kServiceCenterInactive = 503,  // a user is placed at a deactivated service center
  kCannotDeactivateSelf = 504,   // users.Deactivate on the acting user's own account
  kAdminRoleFixed = 505,         // roles.SetPermissions on admin, which always holds "*"
  // Stock reservations.
  kReleaseExceedsAllocated = 506,    // a release larger than the location's allocated quantity
  kReleaseExceedsReservation = 507,  // a release larger than what its reference reserved
  // Workshop: customers, vehicles, job cards, service lines, parts requests.
  kVehicleHasOpenJobCard = 508,       // a vehicle has at most one open job card
  kCustomerHasOpenJobCard = 509,      // a customer with a vehicle in the workshop is not deleted
  kPartsRequestPending = 510,         // the job card still has a PENDING parts request
  kCustomerAnswerPending = 511,       // the job card waits for the customer's answer on extra work
  kServiceLineDeclined = 512,         // a line the customer declined cannot be completed
  kServiceLineNotApproved = 513,      // a line awaiting the customer's approval cannot be worked
  kNoAdditionalServicePending = 514,  // RespondAdditionalService with no question open
  kServiceLinesClosed = 515,          // the job card's status no longer allows changing its lines
  kPreInspectionClosed = 516,         // a pre-inspection after the work was completed
  kJobCardClosedForParts = 517,       // parts are requested or issued only to a job card in work
  kPartsReturnClosed = 518,           // parts are returned only while the job card is open
  kInvoiceNotPaid = 519,              // delivery needs a paid invoice (or a waiver)
  kCustomerApprovalRequired = 520,    // extra work goes through jobCards.RequestAdditionalService
  kInvoicedByInvoice = 521,           // INVOICED is reached by finalizing the job card's invoice
  // Billing.
  kInvoiceNotFinalized = 522,      // payments are recorded against finalized invoices only
  kJobCardAlreadyInvoiced = 523,   // the job card has a live (draft or finalized) invoice
  kJobCardNotCompleted = 524,      // only a COMPLETED job card is invoiced
  kNothingToInvoice = 525,         // no completed service line or issued part
  kInvoiceNotDraft = 526,          // only a draft invoice can be changed
  kJobCardItemsFixed = 527,        // a job card's invoice takes its items from the job card
  kCreditNoteRequired = 528,       // a finalized invoice is cancelled only by a credit note
  kServiceCenterNoGstState = 529,  // the center has no GST state: its invoices cannot be taxed
  kDocumentIsCreditNote = 530,     // an invoice operation on a credit note
  kInvoiceIsDraft = 531,           // a draft has no number: it is cancelled, not credited
  kPartHsnMissing = 532,           // a part without an HSN code cannot be issued for invoicing
  // Sales.
  kLeadClosed = 540,  // the lead is converted or lost: only an open lead is changed or quoted
  kQuotationNotDraft = 541,        // only a draft quotation can be changed
  kQuotationExpired = 542,         // the quotation is past its validUntil and is not accepted
  kCounterOrderNoVehicles = 543,   // a counter order sells parts and services, not vehicles
  kCounterOrderNotReserved = 544,  // a counter order is invoiced once its stock is reserved
  kCounterOrderInvoiced =
      545,  // the counter order has a live invoice (invoiced once; cancel the invoice first)
  kDeliveryMethodMismatch =
      546,  // a pickup is not shipped; a shipment is delivered after it is shipped
  kCounterOrderItemsFixed =
      547,  // a counter order's invoice takes its items and prices from the order
  kPurchaseRequestLocationsDiffer =
      560,  // purchase requests converted into one purchase order are for one location
  kJobKindNotRegistered = 561,  // the scheduled job's kind has no implementation in this build
  // Exports and documents.
  kExportCancelled = 580,  // the export was cancelled by its progress callback (no file is left)
  kExportFormatUnsupported = 581,  // the export format is not csv, xlsx or pdf
  kInvoiceHasNoNumber = 582,       // a draft (or cancelled draft) has no number: no tax invoice PDF
  kCustomerNoEmail = 583,          // the invoice's customer has no e-mail address to send it to

  // Delivery of outbound messages (555-559).
  kMessageBodyErased = 555,  // a dead sensitive message lost its secret: it is not retried

  // Throttling: 600-699.
  kRateLimited = 600,

  // Storage and internal: 900-999.
  kStorage = 900,      // the database failed or refused (I/O, schema newer than library, ...)
  kUnavailable = 901,  // the database cannot be reached right now
  kInternal = 999,
};

// Static facts about one code. All strings have static storage duration.
struct ErrorInfo {
  ErrorCode code;
  const char* name;         // stable string code, e.g. "INVALID_STATUS_TRANSITION"
  const char* legacy_code;  // seed 000 section 10.4 code, e.g. "BUSINESS_001"
  int http_status;          // a hint for HTTP hosts
  bool retryable;           // true when repeating the same call may succeed
};

// Facts for a code; an unknown number maps to kInternal's entry.
const ErrorInfo& error_info(ErrorCode code) noexcept;
// The code whose stable string is `name`; kInternal when none.
ErrorCode error_code_from_name(std::string_view name) noexcept;
// Every defined code, in ascending numeric order (for tables, bindings and tests).
const ErrorInfo* all_error_infos(std::size_t* count) noexcept;

class Error : public std::exception {
 public:
  Error(ErrorCode code, std::string message, std::string field = {});

  // Named factories for the common cases; each composes a readable message.
  static Error Validation(std::string field, std::string message);
  static Error OutOfRange(std::string field, std::string message);
  static Error NotFound(std::string_view entity, std::string_view id);
  static Error Duplicate(std::string field, std::string message);
  static Error Conflict(std::string message);
  static Error Forbidden(std::string_view permission);
  static Error InvalidTransition(std::string_view entity, std::string_view from,
                                 std::string_view to);
  static Error InsufficientStock(std::string message);
  // A business rule refused the request. REQUIRES: `code` is one of the precise codes of the
  // business-rule group (503 and up), never the generic kBusinessRule.
  static Error BusinessRule(ErrorCode code, std::string message);
  static Error Storage(std::string message);
  static Error Internal(std::string message);

  ErrorCode code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }
  // The input field at fault (validation, duplicate), or empty.
  const std::string& field() const noexcept { return field_; }
  // For kInvalidStatusTransition: the states involved; empty otherwise.
  const std::string& from_state() const noexcept { return from_state_; }
  const std::string& to_state() const noexcept { return to_state_; }

  const ErrorInfo& info() const noexcept { return error_info(code_); }
  bool retryable() const noexcept { return info().retryable; }
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  ErrorCode code_;
  std::string message_;
  std::string field_;
  std::string from_state_;
  std::string to_state_;
  std::string what_;  // "CODE: message"
};

}  // namespace dms
