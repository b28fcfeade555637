'use strict';
// The URL query string -> the JSON document a library method takes.
//
// Seed 002's global parameters are handed to the library's list-query parser unchanged: this
// only turns the bracket syntax into nesting (filter[createdAt][gte]=2025-01-01 ->
// {filter: {createdAt: {gte: "2025-01-01"}}}) and keeps every value as the text it was; the
// library parses and checks names, operators and values against the entity's list spec
// (src/storage/list_query_parse.cpp: parse_list_query is parse_query_string's JSON twin).
// Plain parameters (status=PENDING) and nested expansion limits (vehicles.limit=5) pass as they
// are. Integer and boolean fields of a non-list request are converted by the wire schema
// (coerce), because JSON requests are typed.

function decode(text) {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    const error = new Error(`malformed percent-encoding in '${text.slice(0, 64)}'`);
    error.validationField = 'query';
    throw error;
  }
}

// "filter[a][gte]" -> ["filter", "a", "gte"]; "page" -> ["page"]; "vehicles.limit" stays whole.
function keyPath(key) {
  const open = key.indexOf('[');
  if (open <= 0 || !key.endsWith(']')) return [key];
  const parts = [key.slice(0, open)];
  const rest = key.slice(open);
  const re = /\[([^\]]*)\]/g;
  let m;
  let consumed = 0;
  while ((m = re.exec(rest)) !== null) {
    if (m.index !== consumed) return [key];
    parts.push(m[1]);
    consumed = re.lastIndex;
  }
  return consumed === rest.length ? parts : [key];
}

function parseQueryString(text) {
  const out = {};
  if (!text) return out;
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const path = keyPath(key);
    let node = out;
    for (let i = 0; i < path.length - 1; i += 1) {
      const name = path[i];
      if (typeof node[name] !== 'object' || node[name] === null) node[name] = {};
      node = node[name];
    }
    const last = path[path.length - 1];
    // filter[status]=A&filter[status]=B is an "in" list, as the library's JSON form says.
    if (Object.prototype.hasOwnProperty.call(node, last) && typeof node[last] === 'string') {
      node[last] = [node[last], value];
    } else if (Array.isArray(node[last])) {
      node[last].push(value);
    } else {
      node[last] = value;
    }
  }
  return out;
}

const INTEGER_TYPES = new Set(['int32', 'int64', 'uint32', 'uint64']);

// Typed scalars of a request built from text: "5" -> 5 for int32 fields, "true" -> true for bools.
// Unknown keys and malformed values are left as text for the library to refuse.
function coerce(document, message) {
  if (!message) return document;
  for (const field of message.fields) {
    const value = document[field.name];
    if (typeof value !== 'string' || field.repeated) continue;
    if (INTEGER_TYPES.has(field.type) && /^-?\d{1,15}$/.test(value)) {
      document[field.name] = Number(value);
    } else if (field.type === 'bool' && (value === 'true' || value === 'false')) {
      document[field.name] = value === 'true';
    }
  }
  return document;
}

module.exports = { parseQueryString, coerce };
