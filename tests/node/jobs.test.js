'use strict';
// Scheduled jobs and purchase requests (issue 13) through the Node addon on both storage engines:
// payment reminders for an overdue invoice, once per step; the low-stock scan's purchase request
// rejected with a reason. Every request and response is checked against the wire schema.
const test = require('node:test');
const assert = require('node:assert/strict');
const { dms, freshUrl, cleanup } = require('./helpers');
const { makeDealer } = require('./dealer');

test.after(cleanup);

for (const engine of ['sqlite', 'postgresql']) {
  test(`jobs: reminders and purchase requests (${engine})`, async () => {
    const db = await dms.open(freshUrl(engine), { sqliteSynchronous: 'NORMAL' });
    try {
      const d = await makeDealer(db);
      const customer = await d.advisor.call('customers.Create', {
        name: 'Asha Rao', phone: '+919876500077', email: 'asha@mail.example',
        cityState: 'Mumbai, Maharashtra',
      });
      const draft = await d.manager.call('invoices.Create', {
        customerId: customer.id, dueDate: '2030-01-10',
        items: [{ type: 'service', description: 'Battery check', hsnSac: '998714', quantity: '1',
                  unitPrice: '500.00', gstRate: '18' }],
      });
      await d.manager.call('invoices.Finalize', { id: draft.id });
      const remind = (asOf) => d.admin.call('jobs.RunDue', { asOf, name: 'payment_reminders' });
      let run = await remind('2030-01-11T04:00:00Z');
      assert.equal(run.runs.length, 1);
      assert.equal(run.runs[0].summary.sent, 1);
      run = await remind('2030-01-12T04:00:00Z');  // still step 1: nothing new
      assert.equal(run.runs[0].summary.sent, 0);

      const part = await d.system.call('inventory.CreatePart', {
        partNumber: 'CELL-7', partName: 'Cell', hsnCode: '85076000', gstRate: '18',
        costPrice: '250', unitPrice: '400',
      });
      await d.inventoryManager.call('inventory.SetStockLevels', {
        partId: part.id, reorderPoint: '2',
      });
      run = await d.admin.call('jobs.RunDue', { asOf: '2030-01-12T04:00:00Z', name: 'low_stock_scan' });
      assert.equal(run.runs[0].summary.created, 1);
      const open = await d.centralManager.call('purchaseRequests.List', { filter: { status: 'OPEN' } });
      assert.equal(open.data.length, 1);
      const rejected = await d.centralManager.call('purchaseRequests.Reject', {
        ids: [open.data[0].id], reason: 'Discontinued model',
      });
      assert.equal(rejected.data[0].status, 'REJECTED');
      await assert.rejects(
        d.centralManager.call('purchaseRequests.Convert', { ids: [open.data[0].id], supplierId: 'x' }),
        (e) => e.code === 'INVALID_STATUS_TRANSITION' || e.code === 'NOT_FOUND');
    } finally {
      db.close();
    }
  });
}
