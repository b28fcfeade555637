'use strict';

// Exports through the Node addon: reports.Export's bytes and exportReport's file with progress,
// cancellation by the callback or an AbortSignal (issue 14, item 3).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { openFresh, cleanup } = require('./helpers');

test.after(cleanup);

test('exportReport writes files with progress and can be cancelled', async () => {
  const db = await openFresh();
  const system = db.systemSession();
  const request = { name: 'financial.revenue_by_period', format: 'csv',
                    params: { from: '2026-01-01', to: '2026-03-31' } };
  const out = await db.call(system, 'reports.Export', request);
  assert.equal(out.contentType, 'text/csv; charset=utf-8');
  assert.ok(Buffer.from(out.content, 'base64').toString('utf8').includes('\r\n'));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dms-node-export-'));
  try {
    const calls = [];
    const file = path.join(dir, 'revenue.xlsx');
    const info = await db.exportReport(system, { ...request, format: 'xlsx' }, file,
                                       { onProgress: (done, total) => { calls.push([done, total]); } });
    assert.equal(fs.statSync(file).size, info.sizeBytes);
    assert.ok(calls.length >= 2 && calls[0][0] === 0);

    const cancelled = path.join(dir, 'cancelled.pdf');
    await assert.rejects(db.exportReport(system, { ...request, format: 'pdf' }, cancelled,
                                         { onProgress: () => false }),
                         { code: 'EXPORT_CANCELLED' });
    const controller = new AbortController();
    await assert.rejects(db.exportReport(system, { ...request, format: 'pdf' }, cancelled, {
      onProgress: () => { controller.abort(); },
      signal: controller.signal,
    }), { code: 'EXPORT_CANCELLED' });
    assert.equal(fs.existsSync(cancelled), false);
    await assert.rejects(db.exportReport(system, { ...request, format: 'docx' }, cancelled),
                         { code: 'EXPORT_FORMAT_UNSUPPORTED' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    db.close();
  }
});
