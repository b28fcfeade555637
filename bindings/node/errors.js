'use strict';
// The errors of the dms package, and the one place Node maps error codes to classes.
//
// Every rejection is a DmsError (an Error) with `code` ("INSUFFICIENT_STOCK"), `codeNumber` (502),
// `field` (the input at fault, or ""), `fromState`/`toState` (refused workflow steps) and
// `retryable`. The subclass follows the code group: 1xx AuthError, 2xx ValidationError, 3xx
// NotFoundError, 4xx ConflictError, 5xx BusinessRuleError, 6xx RateLimitedError, 9xx StorageError;
// a few codes have their own (see BY_CODE). Codes: docs/decisions/0001-error-model.md.
// Every business rule has its own code (503 and up, BUSINESS_RULE_CODES): test `e.code`
// ("VEHICLE_HAS_OPEN_JOB_CARD"), never the message.

class DmsError extends Error {
  constructor(message, { code = 'INTERNAL_ERROR', codeNumber = 999, field = '', fromState = '',
                         toState = '', retryable = false } = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.codeNumber = codeNumber;
    this.field = field;
    this.fromState = fromState;
    this.toState = toState;
    this.retryable = retryable;
  }
}
class AuthError extends DmsError {}
class PermissionDenied extends AuthError {}
class ValidationError extends DmsError {}
class NotFoundError extends DmsError {}
class ConflictError extends DmsError {}
class DuplicateError extends ConflictError {}
class BusinessRuleError extends DmsError {}
class InvalidTransition extends BusinessRuleError {}
class InsufficientStock extends BusinessRuleError {}
class RateLimitedError extends DmsError {}
class StorageError extends DmsError {}
class InternalError extends DmsError {}

// The business rules' stable names and numbers; tests/node/basics.test.js keeps it equal to the
// library's.
const BUSINESS_RULE_CODES = Object.freeze({
  SERVICE_CENTER_INACTIVE: 503,
  CANNOT_DEACTIVATE_SELF: 504,
  ADMIN_ROLE_FIXED: 505,
  RELEASE_EXCEEDS_ALLOCATED: 506,
  RELEASE_EXCEEDS_RESERVATION: 507,
  VEHICLE_HAS_OPEN_JOB_CARD: 508,
  CUSTOMER_HAS_OPEN_JOB_CARD: 509,
  PARTS_REQUEST_PENDING: 510,
  CUSTOMER_ANSWER_PENDING: 511,
  SERVICE_LINE_DECLINED: 512,
  SERVICE_LINE_NOT_APPROVED: 513,
  NO_ADDITIONAL_SERVICE_PENDING: 514,
  SERVICE_LINES_CLOSED: 515,
  PRE_INSPECTION_CLOSED: 516,
  JOB_CARD_CLOSED_FOR_PARTS: 517,
  PARTS_RETURN_CLOSED: 518,
  INVOICE_NOT_PAID: 519,
  CUSTOMER_APPROVAL_REQUIRED: 520,
  INVOICED_BY_INVOICE: 521,
  INVOICE_NOT_FINALIZED: 522,
  JOB_CARD_ALREADY_INVOICED: 523,
  JOB_CARD_NOT_COMPLETED: 524,
  NOTHING_TO_INVOICE: 525,
  INVOICE_NOT_DRAFT: 526,
  JOB_CARD_ITEMS_FIXED: 527,
  CREDIT_NOTE_REQUIRED: 528,
  SERVICE_CENTER_NO_GST_STATE: 529,
  DOCUMENT_IS_CREDIT_NOTE: 530,
  INVOICE_IS_DRAFT: 531,
  PART_HSN_MISSING: 532,
  LEAD_CLOSED: 540,
  QUOTATION_NOT_DRAFT: 541,
  QUOTATION_EXPIRED: 542,
  COUNTER_ORDER_NO_VEHICLES: 543,
  COUNTER_ORDER_NOT_RESERVED: 544,
  COUNTER_ORDER_INVOICED: 545,
  DELIVERY_METHOD_MISMATCH: 546,
  COUNTER_ORDER_ITEMS_FIXED: 547,
  MESSAGE_BODY_ERASED: 555,
  PURCHASE_REQUEST_LOCATIONS_DIFFER: 560,
  JOB_KIND_NOT_REGISTERED: 561,
  EXPORT_CANCELLED: 580,
  EXPORT_FORMAT_UNSUPPORTED: 581,
  INVOICE_HAS_NO_NUMBER: 582,
  CUSTOMER_NO_EMAIL: 583,
});

const BY_CODE = {
  103: PermissionDenied,
  400: DuplicateError,
  501: InvalidTransition,
  502: InsufficientStock,
  999: InternalError,
};
const BY_GROUP = {
  1: AuthError,
  2: ValidationError,
  3: NotFoundError,
  4: ConflictError,
  5: BusinessRuleError,
  6: RateLimitedError,
  9: StorageError,
};

function errorClass(codeNumber) {
  return BY_CODE[codeNumber] || BY_GROUP[Math.floor(codeNumber / 100)] || DmsError;
}

// Installed into the addon: builds the error for every failure it reports.
function fromNative(codeNumber, code, message, field, fromState, toState, retryable) {
  const Class = errorClass(codeNumber);
  return new Class(message, { code, codeNumber, field, fromState, toState, retryable });
}

module.exports = {
  DmsError, AuthError, PermissionDenied, ValidationError, NotFoundError, ConflictError,
  DuplicateError, BusinessRuleError, InvalidTransition, InsufficientStock, RateLimitedError,
  StorageError, InternalError, BUSINESS_RULE_CODES, errorClass, fromNative,
};
