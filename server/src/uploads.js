'use strict';
// Seed 002 section 9 uploads: multipart/form-data, one `file` of at most 10 MB, of the allowed
// types (jpg, jpeg, png, pdf, doc, docx: the extension, the declared type and the content's first
// bytes must agree), with category, relatedEntityId and relatedEntityType fields.
//
// libdms has no files module yet: the upload is validated and written to `uploadDir` under a new
// id, and the answer has seed 002's shape (url null: nothing serves the files yet). Listing and
// deleting (GET /api/files, DELETE /api/files/{id}) answer 501 until the module exists.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { pipeline } = require('node:stream/promises');
const { HttpError } = require('./errors');

const MAX_FILE_SIZE = 10 * 1024 * 1024;
const TYPES = {
  jpg: { mimetypes: ['image/jpeg'], magic: [Buffer.from([0xff, 0xd8, 0xff])] },
  jpeg: { mimetypes: ['image/jpeg'], magic: [Buffer.from([0xff, 0xd8, 0xff])] },
  png: { mimetypes: ['image/png'], magic: [Buffer.from([0x89, 0x50, 0x4e, 0x47])] },
  pdf: { mimetypes: ['application/pdf'], magic: [Buffer.from('%PDF-')] },
  doc: { mimetypes: ['application/msword'],
         magic: [Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])] },
  docx: { mimetypes: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
          magic: [Buffer.from([0x50, 0x4b, 0x03, 0x04])] },
};
const CATEGORIES = ['job_card_images', 'warranty_documents', 'invoices'];
const ENTITY_TYPES = ['job_card', 'vehicle', 'customer'];

function invalid(field, message) {
  return new HttpError(400, 'VALIDATION_ERROR', message, { field, errors: { [field]: [message] } });
}

async function upload(request, reply, { uploadDir, guard }) {
  const session = await guard(request, reply, true);
  if (!request.isMultipart()) {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'uploads are multipart/form-data');
  }
  fs.mkdirSync(uploadDir, { recursive: true });
  const fields = {};
  let stored = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        fields[part.fieldname] = String(part.value);
        continue;
      }
      if (part.fieldname !== 'file' || stored) {
        part.file.resume();
        throw invalid(part.fieldname, 'one file, in the field "file"');
      }
      const originalName = path.basename(part.filename || '');
      const ext = path.extname(originalName).slice(1).toLowerCase();
      const type = TYPES[ext];
      if (!type) throw invalid('file', `allowed types: ${Object.keys(TYPES).join(', ')}`);
      if (!type.mimetypes.includes(part.mimetype)) {
        part.file.resume();
        throw invalid('file', `a .${ext} file is ${type.mimetypes.join(' or ')}, not ${part.mimetype}`);
      }
      const id = crypto.randomUUID();
      const filename = `${id}.${ext}`;
      const target = path.join(uploadDir, filename);
      let head = Buffer.alloc(0);
      part.file.on('data', (chunk) => {
        if (head.length < 16) head = Buffer.concat([head, chunk.subarray(0, 16)]);
      });
      stored = { id, filename, originalName, mimetype: part.mimetype, target, ext };
      await pipeline(part.file, fs.createWriteStream(target));
      if (part.file.truncated) {
        throw new HttpError(413, 'FILE_TOO_LARGE', `files are at most ${MAX_FILE_SIZE} bytes`,
                            { field: 'file' });
      }
      if (!type.magic.some((m) => head.subarray(0, m.length).equals(m))) {
        throw invalid('file', `the content is not a ${ext} file`);
      }
      stored.size = fs.statSync(target).size;
    }
    if (!stored) throw invalid('file', 'the field "file" is required');
    if (fields.category !== undefined && !CATEGORIES.includes(fields.category)) {
      throw invalid('category', `category is one of ${CATEGORIES.join(', ')}`);
    }
    if (fields.relatedEntityType !== undefined && !ENTITY_TYPES.includes(fields.relatedEntityType)) {
      throw invalid('relatedEntityType', `relatedEntityType is one of ${ENTITY_TYPES.join(', ')}`);
    }
  } catch (error) {
    if (stored) fs.rmSync(stored.target, { force: true });
    if (error.code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new HttpError(413, 'FILE_TOO_LARGE', `files are at most ${MAX_FILE_SIZE} bytes`,
                          { field: 'file' });
    }
    throw error;
  }
  reply.code(201);
  return {
    data: {
      id: stored.id,
      url: null,
      filename: stored.filename,
      originalName: stored.originalName,
      mimetype: stored.mimetype,
      size: stored.size,
      category: fields.category ?? null,
      relatedEntityId: fields.relatedEntityId ?? null,
      relatedEntityType: fields.relatedEntityType ?? null,
      uploadedBy: session.context.userId,
      createdAt: new Date().toISOString(),
    },
    success: true,
    meta: { timestamp: new Date().toISOString(), requestId: request.id },
  };
}

function pending(request) {
  throw new HttpError(501, 'NOT_IMPLEMENTED', 'files are listed and deleted by the files module, ' +
                      'which libdms does not have yet');
}

function register(app, options) {
  app.post('/api/files/upload', (request, reply) => upload(request, reply, options));
  app.get('/api/files', async (request, reply) => {
    await options.guard(request, reply, true);
    pending(request);
  });
  app.delete('/api/files/:id', async (request, reply) => {
    await options.guard(request, reply, true);
    pending(request);
  });
}

// For the OpenAPI document.
const OPENAPI_PATHS = {
  '/api/files/upload': {
    post: {
      tags: ['files'], operationId: 'files.upload', summary: 'Upload a file (seed 002 section 9)',
      security: [{ bearer: [] }],
      requestBody: { required: true, content: { 'multipart/form-data': { schema: {
        type: 'object', required: ['file'], properties: {
          file: { type: 'string', format: 'binary', description: `jpg, jpeg, png, pdf, doc, docx; at most ${MAX_FILE_SIZE} bytes` },
          category: { type: 'string', enum: CATEGORIES },
          relatedEntityId: { type: 'string' },
          relatedEntityType: { type: 'string', enum: ENTITY_TYPES },
        } } } } },
      responses: { 201: { description: 'stored', content: { 'application/json': { schema: {
        $ref: '#/components/schemas/Envelope' } } } } },
    },
  },
  '/api/files': { get: { tags: ['files'], operationId: 'files.list', security: [{ bearer: [] }],
    summary: 'List files (501 until libdms has a files module)', responses: {} } },
  '/api/files/{id}': { delete: { tags: ['files'], operationId: 'files.delete', security: [{ bearer: [] }],
    summary: 'Delete a file (501 until libdms has a files module)',
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    responses: {} } },
  '/api/health': { get: { tags: ['system'], operationId: 'health', summary: 'Health: database, library version, uptime (503 when the database is unreachable)', responses: {} } },
  '/api/live': { get: { tags: ['system'], operationId: 'live', summary: 'Liveness (no library call)', responses: {} } },
};

module.exports = { register, MAX_FILE_SIZE, TYPES, OPENAPI_PATHS };
