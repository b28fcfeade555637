'use strict';
// Library errors -> seed 002's error body and HTTP status.
//
// The status is the library's own HTTP hint for the code (ErrorInfo::http_status in
// src/core/error.cpp, docs/decisions/0001-error-model.md); the Node addon reports the code but not
// the hint, so it is repeated here and test/errors.test.js keeps this table equal to error.cpp's.
// A code added later falls back on its group's status until its row is added.
const dms = require('./dms');

const STATUS_BY_CODE = {
  100: 401, 101: 401, 102: 401, 103: 403, 104: 403, 105: 423, 106: 403, 107: 401,
  200: 400, 201: 400,
  300: 404,
  400: 409, 401: 409,
  500: 422, 501: 400, 502: 409,
  503: 422, 504: 422, 505: 422, 506: 409, 507: 409, 508: 409, 509: 409, 510: 409, 511: 409,
  512: 409, 513: 409, 514: 409, 515: 409, 516: 409, 517: 409, 518: 409, 519: 409, 520: 422,
  521: 422, 522: 409, 523: 409, 524: 409, 525: 422, 526: 409, 527: 422, 528: 422, 529: 422,
  530: 422, 531: 409, 532: 422, 540: 409, 541: 409, 542: 409, 543: 409, 544: 409, 545: 409,
  546: 409, 547: 409,
  // Codes of branches not merged yet (k/deliver 555, k/jobs 560-561, k/exports 580-583).
  555: 409, 560: 422, 561: 409, 580: 409, 581: 422, 582: 409, 583: 422,
  600: 429,
  900: 500, 901: 503, 999: 500,
};
const STATUS_BY_GROUP = { 1: 401, 2: 400, 3: 404, 4: 409, 5: 422, 6: 429, 9: 500 };

function httpStatus(codeNumber) {
  return STATUS_BY_CODE[codeNumber] || STATUS_BY_GROUP[Math.floor(codeNumber / 100)] || 500;
}

/** An error the server itself raises, with seed 002's code and an HTTP status. */
class HttpError extends Error {
  constructor(status, code, message, extra = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

// {message, code, status, errors?, timestamp, path, requestId} (+ fromState/toState/field when
// the library names them, retryAfter on 429).
function errorBody(error, request) {
  let status;
  let code;
  let message = error.message;
  const extra = {};
  if (error instanceof dms.DmsError) {
    status = httpStatus(error.codeNumber);
    code = error.code;
    if (error.field) {
      extra.errors = { [error.field]: [error.message] };
      extra.field = error.field;
    }
    if (error.fromState) extra.fromState = error.fromState;
    if (error.toState) extra.toState = error.toState;
  } else if (error instanceof HttpError) {
    ({ status, code } = error);
    Object.assign(extra, error.extra);
  } else if (error.validation || error.validationField) {
    status = 400;
    code = 'VALIDATION_ERROR';
  } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    // Fastify's own refusals: bad JSON, body too large, unsupported media type.
    status = error.statusCode;
    code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE'
      : status === 404 ? 'NOT_FOUND' : 'VALIDATION_ERROR';
  } else {
    status = 500;
    code = 'INTERNAL_ERROR';
    message = 'Internal server error';
  }
  return {
    status,
    body: {
      message,
      code,
      status,
      ...extra,
      timestamp: new Date().toISOString(),
      path: request.url.split('?')[0],
      requestId: request.id,
    },
  };
}

module.exports = { httpStatus, HttpError, errorBody, STATUS_BY_CODE };
