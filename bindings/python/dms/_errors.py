"""The exceptions of the dms package, and the one place error codes become exception classes.

Every failure the library reports is a dms.Error carrying the shared code set
(docs/decisions/0001-error-model.md): ``code`` is the stable string ("INSUFFICIENT_STOCK"),
``code_number`` its number (502), ``field`` the input field at fault, ``from_state`` and
``to_state`` the states of a refused workflow step, ``retryable`` whether repeating the same call
may succeed. The class is chosen by code group (1xx auth, 2xx validation, 3xx not found,
4xx duplicate and conflict, 5xx business rules, 6xx throttling, 9xx storage and internal) with a
few codes getting their own subclass.

Every business rule has its own code (503 and up; BUSINESS_RULE_CODES lists them), so a caller
tells "the vehicle already has an open job card" from "the invoice is not a draft" by ``code``,
never by reading the message::

    try:
        db.job_cards.create(ctx, customer_id=c, vehicle_id=v, service_type="Repair")
    except dms.BusinessRuleError as e:
        if e.code == "VEHICLE_HAS_OPEN_JOB_CARD":
            ...
"""

__all__ = [
    "Error",
    "AuthError",
    "PermissionDenied",
    "ValidationError",
    "NotFoundError",
    "ConflictError",
    "DuplicateError",
    "BusinessRuleError",
    "InvalidTransition",
    "InsufficientStock",
    "RateLimitedError",
    "StorageError",
    "InternalError",
    "BUSINESS_RULE_CODES",
]


class Error(Exception):
    """The root of every exception the dms package raises for a rejected call."""

    def __init__(self, message, *, code="INTERNAL_ERROR", code_number=999, field="",
                 from_state="", to_state="", retryable=False):
        super().__init__(message)
        self.message = message
        self.code = code
        self.code_number = code_number
        self.field = field
        self.from_state = from_state
        self.to_state = to_state
        self.retryable = retryable

    def __str__(self):
        text = f"{self.code}: {self.message}"
        return f"{text} (field {self.field})" if self.field else text

    def __repr__(self):
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r}, field={self.field!r})"


class AuthError(Error):
    """1xx: not authenticated, bad credentials or token, locked or inactive account."""


class PermissionDenied(AuthError):
    """FORBIDDEN (103): the acting user lacks the permission."""


class ValidationError(Error):
    """2xx: the request is invalid; ``field`` names the input at fault ("items[2].quantity")."""


class NotFoundError(Error):
    """3xx: no such record (or method), or not visible to the acting user."""


class ConflictError(Error):
    """4xx: a uniqueness or concurrency conflict. CONFLICT (401) is retryable."""


class DuplicateError(ConflictError):
    """DUPLICATE (400): a record with the same unique value exists; ``field`` names it."""


class BusinessRuleError(Error):
    """5xx: the request is well-formed but a business rule refuses it."""


class InvalidTransition(BusinessRuleError):
    """INVALID_STATUS_TRANSITION (501): ``from_state`` -> ``to_state`` is not allowed."""


class InsufficientStock(BusinessRuleError):
    """INSUFFICIENT_STOCK (502): not enough available stock for the request."""


class RateLimitedError(Error):
    """6xx: too many requests; retryable after a pause."""


class StorageError(Error):
    """9xx: the database failed or cannot be reached (UNAVAILABLE is retryable)."""


class InternalError(Error):
    """INTERNAL_ERROR (999): a bug in the library; please report it."""


# The business rules' stable names and numbers (docs/decisions/0001-error-model.md), one code per
# rule; tests/python/test_basics.py keeps this table equal to the library's.
BUSINESS_RULE_CODES = {
    "SERVICE_CENTER_INACTIVE": 503,
    "CANNOT_DEACTIVATE_SELF": 504,
    "ADMIN_ROLE_FIXED": 505,
    "RELEASE_EXCEEDS_ALLOCATED": 506,
    "RELEASE_EXCEEDS_RESERVATION": 507,
    "VEHICLE_HAS_OPEN_JOB_CARD": 508,
    "CUSTOMER_HAS_OPEN_JOB_CARD": 509,
    "PARTS_REQUEST_PENDING": 510,
    "CUSTOMER_ANSWER_PENDING": 511,
    "SERVICE_LINE_DECLINED": 512,
    "SERVICE_LINE_NOT_APPROVED": 513,
    "NO_ADDITIONAL_SERVICE_PENDING": 514,
    "SERVICE_LINES_CLOSED": 515,
    "PRE_INSPECTION_CLOSED": 516,
    "JOB_CARD_CLOSED_FOR_PARTS": 517,
    "PARTS_RETURN_CLOSED": 518,
    "INVOICE_NOT_PAID": 519,
    "CUSTOMER_APPROVAL_REQUIRED": 520,
    "INVOICED_BY_INVOICE": 521,
    "INVOICE_NOT_FINALIZED": 522,
    "JOB_CARD_ALREADY_INVOICED": 523,
    "JOB_CARD_NOT_COMPLETED": 524,
    "NOTHING_TO_INVOICE": 525,
    "INVOICE_NOT_DRAFT": 526,
    "JOB_CARD_ITEMS_FIXED": 527,
    "CREDIT_NOTE_REQUIRED": 528,
    "SERVICE_CENTER_NO_GST_STATE": 529,
    "DOCUMENT_IS_CREDIT_NOTE": 530,
    "INVOICE_IS_DRAFT": 531,
    "PART_HSN_MISSING": 532,
    "LEAD_CLOSED": 540,
    "QUOTATION_NOT_DRAFT": 541,
    "QUOTATION_EXPIRED": 542,
    "COUNTER_ORDER_NO_VEHICLES": 543,
    "COUNTER_ORDER_NOT_RESERVED": 544,
    "COUNTER_ORDER_INVOICED": 545,
    "DELIVERY_METHOD_MISMATCH": 546,
    "COUNTER_ORDER_ITEMS_FIXED": 547,
    "MESSAGE_BODY_ERASED": 555,
    "PURCHASE_REQUEST_LOCATIONS_DIFFER": 560,
    "JOB_KIND_NOT_REGISTERED": 561,
    "EXPORT_CANCELLED": 580,
    "EXPORT_FORMAT_UNSUPPORTED": 581,
    "INVOICE_HAS_NO_NUMBER": 582,
    "CUSTOMER_NO_EMAIL": 583,
}

_BY_CODE = {
    103: PermissionDenied,
    400: DuplicateError,
    501: InvalidTransition,
    502: InsufficientStock,
    999: InternalError,
}
_BY_GROUP = {
    1: AuthError,
    2: ValidationError,
    3: NotFoundError,
    4: ConflictError,
    5: BusinessRuleError,
    6: RateLimitedError,
    9: StorageError,
}


def error_class(code_number):
    """The exception class of an error code number."""
    return _BY_CODE.get(code_number) or _BY_GROUP.get(code_number // 100, Error)


def _from_native(code_number, code, message, field, from_state, to_state, retryable):
    """Called by dms._native for every dms::Error: builds the exception to raise."""
    cls = error_class(code_number)
    return cls(message, code=code, code_number=code_number, field=field, from_state=from_state,
               to_state=to_state, retryable=retryable)
