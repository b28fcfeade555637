'use strict';
// The errors of the dms package, and the one place Node maps error codes to classes.
//
// Every rejection is a DmsError (an Error) with `code` ("INSUFFICIENT_STOCK"), `codeNumber` (502),
// `field` (the input at fault, or ""), `fromState`/`toState` (refused workflow steps) and
// `retryable`. The subclass follows the code group: 1xx AuthError, 2xx ValidationError, 3xx
// NotFoundError, 4xx ConflictError, 5xx BusinessRuleError, 6xx RateLimitedError, 9xx StorageError;
// a few codes have their own (see BY_CODE). Codes: docs/decisions/0001-error-model.md.

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
  StorageError, InternalError, errorClass, fromNative,
};
