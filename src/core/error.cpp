#include "dms/error.hpp"

#include <algorithm>
#include <cassert>
#include <iterator>

namespace dms {
namespace {

// Ordered by number. Adding a code: append within its group, never renumber.
constexpr ErrorInfo kInfos[] = {
    {ErrorCode::kOk, "OK", "OK", 200, false},
    {ErrorCode::kUnauthenticated, "UNAUTHENTICATED", "AUTH_003", 401, false},
    {ErrorCode::kInvalidCredentials, "INVALID_CREDENTIALS", "AUTH_001", 401, false},
    {ErrorCode::kTokenExpired, "TOKEN_EXPIRED", "AUTH_002", 401, false},
    {ErrorCode::kForbidden, "FORBIDDEN", "AUTH_003", 403, false},
    {ErrorCode::kPasswordChangeRequired, "PASSWORD_CHANGE_REQUIRED", "AUTH_003", 403, false},
    {ErrorCode::kAccountLocked, "ACCOUNT_LOCKED", "AUTH_001", 423, false},
    {ErrorCode::kAccountInactive, "ACCOUNT_INACTIVE", "AUTH_003", 403, false},
    {ErrorCode::kInvalidToken, "INVALID_TOKEN", "AUTH_002", 401, false},
    {ErrorCode::kValidation, "VALIDATION_ERROR", "VALIDATION_001", 400, false},
    {ErrorCode::kOutOfRange, "OUT_OF_RANGE", "VALIDATION_001", 400, false},
    {ErrorCode::kNotFound, "NOT_FOUND", "NOT_FOUND_001", 404, false},
    {ErrorCode::kDuplicate, "DUPLICATE", "DUPLICATE_001", 409, false},
    {ErrorCode::kConflict, "CONFLICT", "BUSINESS_001", 409, true},
    {ErrorCode::kBusinessRule, "BUSINESS_RULE", "BUSINESS_001", 422, false},
    {ErrorCode::kInvalidStatusTransition, "INVALID_STATUS_TRANSITION", "BUSINESS_001", 400, false},
    {ErrorCode::kInsufficientStock, "INSUFFICIENT_STOCK", "BUSINESS_001", 409, false},
    {ErrorCode::kServiceCenterInactive, "SERVICE_CENTER_INACTIVE", "BUSINESS_001", 422, false},
    {ErrorCode::kCannotDeactivateSelf, "CANNOT_DEACTIVATE_SELF", "BUSINESS_001", 422, false},
    {ErrorCode::kAdminRoleFixed, "ADMIN_ROLE_FIXED", "BUSINESS_001", 422, false},
    {ErrorCode::kReleaseExceedsAllocated, "RELEASE_EXCEEDS_ALLOCATED", "BUSINESS_001", 409, false},
    {ErrorCode::kReleaseExceedsReservation, "RELEASE_EXCEEDS_RESERVATION", "BUSINESS_001", 409,
     false},
    {ErrorCode::kVehicleHasOpenJobCard, "VEHICLE_HAS_OPEN_JOB_CARD", "BUSINESS_001", 409, false},
    {ErrorCode::kCustomerHasOpenJobCard, "CUSTOMER_HAS_OPEN_JOB_CARD", "BUSINESS_001", 409, false},
    {ErrorCode::kPartsRequestPending, "PARTS_REQUEST_PENDING", "BUSINESS_001", 409, false},
    {ErrorCode::kCustomerAnswerPending, "CUSTOMER_ANSWER_PENDING", "BUSINESS_001", 409, false},
    {ErrorCode::kServiceLineDeclined, "SERVICE_LINE_DECLINED", "BUSINESS_001", 409, false},
    {ErrorCode::kServiceLineNotApproved, "SERVICE_LINE_NOT_APPROVED", "BUSINESS_001", 409, false},
    {ErrorCode::kNoAdditionalServicePending, "NO_ADDITIONAL_SERVICE_PENDING", "BUSINESS_001", 409,
     false},
    {ErrorCode::kServiceLinesClosed, "SERVICE_LINES_CLOSED", "BUSINESS_001", 409, false},
    {ErrorCode::kPreInspectionClosed, "PRE_INSPECTION_CLOSED", "BUSINESS_001", 409, false},
    {ErrorCode::kJobCardClosedForParts, "JOB_CARD_CLOSED_FOR_PARTS", "BUSINESS_001", 409, false},
    {ErrorCode::kPartsReturnClosed, "PARTS_RETURN_CLOSED", "BUSINESS_001", 409, false},
    {ErrorCode::kInvoiceNotPaid, "INVOICE_NOT_PAID", "BUSINESS_001", 409, false},
    {ErrorCode::kCustomerApprovalRequired, "CUSTOMER_APPROVAL_REQUIRED", "BUSINESS_001", 422,
     false},
    {ErrorCode::kInvoicedByInvoice, "INVOICED_BY_INVOICE", "BUSINESS_001", 422, false},
    {ErrorCode::kInvoiceNotFinalized, "INVOICE_NOT_FINALIZED", "BUSINESS_001", 409, false},
    {ErrorCode::kJobCardAlreadyInvoiced, "JOB_CARD_ALREADY_INVOICED", "BUSINESS_001", 409, false},
    {ErrorCode::kJobCardNotCompleted, "JOB_CARD_NOT_COMPLETED", "BUSINESS_001", 409, false},
    {ErrorCode::kNothingToInvoice, "NOTHING_TO_INVOICE", "BUSINESS_001", 422, false},
    {ErrorCode::kInvoiceNotDraft, "INVOICE_NOT_DRAFT", "BUSINESS_001", 409, false},
    {ErrorCode::kJobCardItemsFixed, "JOB_CARD_ITEMS_FIXED", "BUSINESS_001", 422, false},
    {ErrorCode::kCreditNoteRequired, "CREDIT_NOTE_REQUIRED", "BUSINESS_001", 422, false},
    {ErrorCode::kServiceCenterNoGstState, "SERVICE_CENTER_NO_GST_STATE", "BUSINESS_001", 422,
     false},
    {ErrorCode::kDocumentIsCreditNote, "DOCUMENT_IS_CREDIT_NOTE", "BUSINESS_001", 422, false},
    {ErrorCode::kInvoiceIsDraft, "INVOICE_IS_DRAFT", "BUSINESS_001", 409, false},
    {ErrorCode::kPartHsnMissing, "PART_HSN_MISSING", "BUSINESS_001", 422, false},
    {ErrorCode::kLeadClosed, "LEAD_CLOSED", "BUSINESS_001", 409, false},
    {ErrorCode::kQuotationNotDraft, "QUOTATION_NOT_DRAFT", "BUSINESS_001", 409, false},
    {ErrorCode::kQuotationExpired, "QUOTATION_EXPIRED", "BUSINESS_001", 409, false},
    {ErrorCode::kCounterOrderNoVehicles, "COUNTER_ORDER_NO_VEHICLES", "BUSINESS_001", 409, false},
    {ErrorCode::kCounterOrderNotReserved, "COUNTER_ORDER_NOT_RESERVED", "BUSINESS_001", 409, false},
    {ErrorCode::kCounterOrderInvoiced, "COUNTER_ORDER_INVOICED", "BUSINESS_001", 409, false},
    {ErrorCode::kDeliveryMethodMismatch, "DELIVERY_METHOD_MISMATCH", "BUSINESS_001", 409, false},
    {ErrorCode::kCounterOrderItemsFixed, "COUNTER_ORDER_ITEMS_FIXED", "BUSINESS_001", 409, false},
    {ErrorCode::kMessageBodyErased, "MESSAGE_BODY_ERASED", "BUSINESS_001", 409, false},
    {ErrorCode::kPurchaseRequestLocationsDiffer, "PURCHASE_REQUEST_LOCATIONS_DIFFER",
     "BUSINESS_001", 422, false},
    {ErrorCode::kJobKindNotRegistered, "JOB_KIND_NOT_REGISTERED", "BUSINESS_001", 409, false},
    {ErrorCode::kExportCancelled, "EXPORT_CANCELLED", "BUSINESS_001", 409, false},
    {ErrorCode::kExportFormatUnsupported, "EXPORT_FORMAT_UNSUPPORTED", "BUSINESS_001", 422, false},
    {ErrorCode::kInvoiceHasNoNumber, "INVOICE_HAS_NO_NUMBER", "BUSINESS_001", 409, false},
    {ErrorCode::kCustomerNoEmail, "CUSTOMER_NO_EMAIL", "BUSINESS_001", 422, false},
    {ErrorCode::kRateLimited, "RATE_LIMIT_EXCEEDED", "BUSINESS_001", 429, true},
    {ErrorCode::kStorage, "STORAGE_ERROR", "SERVER_001", 500, false},
    {ErrorCode::kUnavailable, "UNAVAILABLE", "SERVER_001", 503, true},
    {ErrorCode::kInternal, "INTERNAL_ERROR", "SERVER_001", 500, false},
};

const ErrorInfo& internal_info() {
  return kInfos[std::size(kInfos) - 1];
}

}  // namespace

const ErrorInfo& error_info(ErrorCode code) noexcept {
  auto it = std::lower_bound(std::begin(kInfos), std::end(kInfos), code,
                             [](const ErrorInfo& info, ErrorCode c) {
                               return static_cast<int32_t>(info.code) < static_cast<int32_t>(c);
                             });
  if (it != std::end(kInfos) && it->code == code) return *it;
  return internal_info();
}

ErrorCode error_code_from_name(std::string_view name) noexcept {
  for (const auto& info : kInfos) {
    if (name == info.name) return info.code;
  }
  return ErrorCode::kInternal;
}

const ErrorInfo* all_error_infos(std::size_t* count) noexcept {
  if (count != nullptr) *count = std::size(kInfos);
  return kInfos;
}

Error::Error(ErrorCode code, std::string message, std::string field)
    : code_(code), message_(std::move(message)), field_(std::move(field)) {
  what_ = std::string(error_info(code_).name) + ": " + message_;
}

Error Error::Validation(std::string field, std::string message) {
  return Error(ErrorCode::kValidation, std::move(message), std::move(field));
}

Error Error::OutOfRange(std::string field, std::string message) {
  return Error(ErrorCode::kOutOfRange, std::move(message), std::move(field));
}

Error Error::NotFound(std::string_view entity, std::string_view id) {
  return Error(ErrorCode::kNotFound, std::string(entity) + " '" + std::string(id) + "' not found");
}

Error Error::Duplicate(std::string field, std::string message) {
  return Error(ErrorCode::kDuplicate, std::move(message), std::move(field));
}

Error Error::Conflict(std::string message) {
  return Error(ErrorCode::kConflict, std::move(message));
}

Error Error::Forbidden(std::string_view permission) {
  return Error(ErrorCode::kForbidden, "missing permission " + std::string(permission));
}

Error Error::InvalidTransition(std::string_view entity, std::string_view from,
                               std::string_view to) {
  Error e(ErrorCode::kInvalidStatusTransition,
          "Invalid status transition of " + std::string(entity) + " from " + std::string(from) +
              " to " + std::string(to),
          "status");
  e.from_state_ = std::string(from);
  e.to_state_ = std::string(to);
  return e;
}

Error Error::InsufficientStock(std::string message) {
  return Error(ErrorCode::kInsufficientStock, std::move(message));
}

Error Error::BusinessRule(ErrorCode code, std::string message) {
  assert(static_cast<int32_t>(code) > static_cast<int32_t>(ErrorCode::kInsufficientStock) &&
         static_cast<int32_t>(code) < static_cast<int32_t>(ErrorCode::kRateLimited));
  return Error(code, std::move(message));
}

Error Error::Storage(std::string message) {
  return Error(ErrorCode::kStorage, std::move(message));
}

Error Error::Internal(std::string message) {
  return Error(ErrorCode::kInternal, std::move(message));
}

}  // namespace dms
