'use strict';
// OpenAPI 3 from the wire schema (dms.schema()) and the route table: every route, its path and
// query parameters, its request body (the method's request message), its success envelope (the
// response message inside seed 002's envelope) and the error responses.
const name = (message) => message.replace(/^dms\.v1\./, '').replace(/\./g, '_');

function scalar(field) {
  switch (field.type) {
    case 'bool': return { type: 'boolean' };
    case 'int32': case 'uint32': return { type: 'integer', format: 'int32' };
    case 'int64': case 'uint64': return { type: 'integer', format: 'int64' };
    default:
      if (field.kind === 'decimal') return { type: 'string', format: 'decimal', example: '1234.50' };
      if (field.kind === 'date') return { type: 'string', format: 'date' };
      if (field.kind === 'timestamp') return { type: 'string', format: 'date-time' };
      return { type: 'string' };
  }
}

function messageRef(message, schema) {
  if (schema.messages[message]) return { $ref: `#/components/schemas/${name(message)}` };
  if (message === 'google.protobuf.ListValue') return { type: 'array', items: {} };
  if (message === 'google.protobuf.Value') return {};
  return { type: 'object', additionalProperties: true };  // Struct: a free-form document
}

function fieldSchema(field, schema) {
  let s;
  if (field.type === 'map') {
    const value = field.mapValue && (schema.messages[field.mapValue] || field.mapValue.includes('.'))
      ? messageRef(field.mapValue, schema) : scalar({ type: field.mapValue || 'string', kind: 'text' });
    s = { type: 'object', additionalProperties: value };
  } else if (field.type === 'message') {
    s = messageRef(field.message, schema);
  } else {
    s = scalar(field);
  }
  if (field.repeated) s = { type: 'array', items: s };
  if (field.optional && !s.$ref) s = { ...s, nullable: true };
  return s;
}

function components(schema) {
  const out = {};
  for (const [message, { fields }] of Object.entries(schema.messages)) {
    const properties = {};
    for (const field of fields) properties[field.name] = fieldSchema(field, schema);
    out[name(message)] = { type: 'object', properties };
  }
  const error = {
    type: 'object',
    required: ['message', 'code', 'status', 'timestamp', 'path', 'requestId'],
    properties: {
      message: { type: 'string' }, code: { type: 'string', example: 'VALIDATION_ERROR' },
      status: { type: 'integer' },
      errors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
      field: { type: 'string' }, fromState: { type: 'string' }, toState: { type: 'string' },
      retryAfter: { type: 'integer', description: 'seconds (429 only)' },
      timestamp: { type: 'string', format: 'date-time' }, path: { type: 'string' },
      requestId: { type: 'string' },
    },
  };
  const metaSchema = { type: 'object', properties: {
    timestamp: { type: 'string', format: 'date-time' }, requestId: { type: 'string' } } };
  out.ErrorResponse = error;
  out.Meta = metaSchema;
  out.Envelope = { type: 'object', required: ['success'], properties: {
    data: {}, message: { type: 'string' }, success: { type: 'boolean', enum: [true] },
    meta: { $ref: '#/components/schemas/Meta' } } };
  return out;
}

const LIST_PARAMETERS = [
  ['page', { type: 'integer', minimum: 1 }, 'page number, from 1'],
  ['limit', { type: 'integer', minimum: 1 }, 'page size (the library caps it)'],
  ['sort', { type: 'string' }, 'fields, "-" for descending: status,-createdAt'],
  ['fields', { type: 'string' }, 'sparse fieldset: id,name,phone'],
  ['expand', { type: 'string' }, 'relations: vehicles,vehicles.serviceHistory (limits: vehicles.limit=5)'],
  ['search', { type: 'string' }, 'full-text words'],
  ['searchFields', { type: 'string' }, 'fields searched: name,phone'],
  ['cursor', { type: 'string' }, 'cursor pagination ("" for the first page)'],
];

function queryParameters(requestMessage, pathNames) {
  const fields = requestMessage ? requestMessage.fields : [];
  const isList = fields.some((f) => f.name === 'filter') && fields.some((f) => f.name === 'page');
  const out = [];
  const seen = new Set(pathNames);
  if (isList) {
    for (const [n, s, description] of LIST_PARAMETERS) {
      if (!fields.some((f) => f.name === n)) continue;
      seen.add(n);
      out.push({ name: n, in: 'query', required: false, schema: s, description });
    }
    seen.add('filter');
    out.push({ name: 'filter', in: 'query', required: false, style: 'deepObject', explode: true,
               schema: { type: 'object', additionalProperties: true },
               description: 'filter[field]=value, filter[field][op]=value (eq ne gt gte lt lte in contains isNull)' });
  }
  for (const f of fields) {
    if (seen.has(f.name) || f.type === 'message' || f.type === 'map') continue;
    out.push({ name: f.name, in: 'query', required: false,
               schema: f.repeated ? { type: 'array', items: scalar(f) } : scalar(f) });
  }
  return out;
}

const ERRORS = {
  400: 'validation error or refused status transition',
  401: 'missing, invalid or expired token',
  403: 'permission denied, or PASSWORD_CHANGE_REQUIRED',
  404: 'not found (another service center\'s records are not found either)',
  409: 'duplicate, conflict or business rule (the current state refuses it)',
  422: 'business rule (the request can never succeed as asked)',
  429: 'RATE_LIMIT_EXCEEDED (retryAfter seconds)',
  500: 'internal or storage error',
};

function buildOpenApi(schema, routes, extraPaths = {}) {
  const paths = {};
  const used = new Map();
  const errorResponses = {};
  for (const [status, description] of Object.entries(ERRORS)) {
    errorResponses[status] = { description, content: { 'application/json': {
      schema: { $ref: '#/components/schemas/ErrorResponse' } } } };
  }
  for (const route of routes) {
    const url = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const pathNames = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);
    const methods = route.methods || [route.method];
    const primary = methods.includes(route.method) ? route.method : methods[0];
    const types = schema.methods[primary];
    const requestMessage = schema.messages[types.request];
    const count = (used.get(primary) || 0) + 1;
    used.set(primary, count);
    const from = route.from || (route.verb === 'GET' || route.verb === 'DELETE' ? 'query' : 'body');
    const renamed = pathNames.map((p) => (route.params && route.params[p]) || p);
    const operation = {
      tags: [primary.split('.')[0]],
      operationId: count === 1 ? primary : `${primary}_${count}`,
      summary: `${primary}${methods.length > 1 ? ` (also ${methods.filter((m) => m !== primary).join(', ')})` : ''}`,
      description: `Library method \`${methods.join('`, `')}\`; seed ${route.seed}.` +
        (pathNames.length ? ` Path parameters: ${pathNames.map((p, i) => `${p} -> request.${renamed[i]}`).join(', ')}.` : '') +
        ` Other request fields from the ${from}.`,
      parameters: [
        ...pathNames.map((p) => ({ name: p, in: 'path', required: true, schema: { type: 'string' } })),
        ...(from === 'query' ? queryParameters(requestMessage, renamed) : []),
      ],
      responses: {},
    };
    if (route.auth !== false) operation.security = [{ bearer: [] }];
    if (from === 'body') {
      operation.requestBody = { required: false, content: { 'application/json': {
        schema: methods.length > 1
          ? { oneOf: methods.map((m) => ({ $ref: `#/components/schemas/${name(schema.methods[m].request)}` })) }
          : { $ref: `#/components/schemas/${name(types.request)}` } } } };
    }
    const response = schema.messages[types.response];
    const isList = response && response.fields.some((f) => f.name === 'pagination') &&
      response.fields.some((f) => f.name === 'data' && f.repeated);
    const dataField = response && response.fields.find((f) => f.name === 'data');
    const body = isList
      ? { type: 'object', required: ['data', 'pagination', 'success'], properties: {
          data: fieldSchema(dataField, schema),
          pagination: { $ref: '#/components/schemas/Pagination' },
          success: { type: 'boolean', enum: [true] } } }
      : { type: 'object', required: ['success'], properties: {
          data: { $ref: `#/components/schemas/${name(types.response)}` },
          message: { type: 'string' },
          success: { type: 'boolean', enum: [true] },
          meta: { $ref: '#/components/schemas/Meta' } } };
    operation.responses[String(route.status || 200)] = route.download
      ? { description: 'the file (PDF, XLSX or CSV), with Content-Disposition: attachment',
          content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }
      : { description: 'success', content: { 'application/json': { schema: body } } };
    Object.assign(operation.responses, errorResponses);
    paths[url] = paths[url] || {};
    paths[url][route.verb.toLowerCase()] = operation;
  }
  for (const [url, item] of Object.entries(extraPaths)) {
    paths[url] = paths[url] || {};
    for (const [verb, operation] of Object.entries(item)) {
      paths[url][verb] = { ...operation, responses: { 200: { description: 'success' },
        ...operation.responses, ...errorResponses } };
    }
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'libdms REST API',
      version: require('../package.json').version,
      description: 'Seed 002\'s contract over libdms: envelope {data, message?, success, meta}, ' +
        'lists {data, pagination, success}, errors {message, code, status, errors?, timestamp, ' +
        'path, requestId}; Authorization: Bearer (the accessToken of POST /api/auth/login); ' +
        '100 requests per minute per user ' +
        '(X-RateLimit-Limit/Remaining/Reset).',
    },
    servers: [{ url: '/' }],
    tags: [...new Set(routes.map((r) => r.method.split('.')[0]))].map((t) => ({ name: t })),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: components(schema),
    },
  };
}

module.exports = { buildOpenApi };
