'use strict';
// Sales (issue 12) through the Node addon on both storage engines: lead -> quotation -> counter
// order -> invoice -> paid, tax-inclusive, with the customer's totals. Every request and response
// is checked against the wire schema.
const test = require('node:test');
const assert = require('node:assert/strict');
const { dms, freshUrl, cleanup } = require('./helpers');
const { makeDealer } = require('./dealer');

test.after(cleanup);

for (const engine of ['sqlite', 'postgresql']) {
  test(`sales: lead to paid counter sale (${engine})`, async () => {
    const db = await dms.open(freshUrl(engine), { sqliteSynchronous: 'NORMAL' });
    try {
      const d = await makeDealer(db);
      const part = await d.system.call('inventory.CreatePart', {
        partNumber: 'MRP-1', partName: 'Charger', hsnCode: '85044030', gstRate: '18',
        costPrice: '700', unitPrice: '1180',
      });
      await d.system.call('inventory.AdjustStock', {
        partId: part.id, serviceCenterId: d.center.id, adjustmentType: 'ADD', quantity: '5',
        reason: 'STOCK_RECEIVED', unitCost: '700',
      });
      const customer = await d.advisor.call('customers.Create', {
        name: 'Ravi Kumar', phone: '+919876500002', email: 'ravi@mail.example',
        cityState: 'Mumbai, Maharashtra',
      });
      const lead = await d.advisor.call('leads.Create', {
        customerId: customer.id, source: 'online', leadType: 'spare_part',
      });
      await d.advisor.call('leads.Contact', { id: lead.id });
      await d.advisor.call('leads.Qualify', { id: lead.id });
      let quote = await d.advisor.call('quotations.Create', {
        leadId: lead.id, pricesIncludeTax: true,
        items: [{ type: 'spare_part', partId: part.id, quantity: '1' }],
      });
      assert.equal(quote.taxable, '1000.00');
      assert.equal(quote.cgst, '90.00');
      assert.equal(quote.sgst, '90.00');
      await d.advisor.call('quotations.Approve', { id: quote.id });
      await d.advisor.call('quotations.Send', { id: quote.id });
      quote = await d.manager.call('quotations.Accept', { id: quote.id, convertTo: 'counter_order' });
      const counter = d.inventoryManager;
      const orderId = quote.counterOrderId;
      await counter.call('counterOrders.Process', { id: orderId });
      await counter.call('counterOrders.MarkReady', { id: orderId });
      const order = await counter.call('counterOrders.Deliver', { id: orderId });
      assert.equal(order.status, 'DELIVERED');
      const invoice = await counter.call('invoices.CreateFromCounterOrder', { orderId });
      assert.equal(invoice.grandTotal, '1180.00');
      await counter.call('invoices.Finalize', { id: invoice.id });
      const paid = await counter.call('invoices.RecordPayment', {
        id: invoice.id, amount: '1180.00', paymentMethod: 'cash',
      });
      assert.equal(paid.status, 'PAID');
      const totals = await d.advisor.call('customers.Get', { id: customer.id });
      assert.equal(totals.totalOrders, 1);
      assert.equal(totals.totalSpent, '1180.00');
      assert.equal(totals.loyaltyPoints, 11);
      assert.equal((await d.advisor.call('leads.Get', { id: lead.id })).status, 'CONVERTED');
    } finally {
      db.close();
    }
  });
}
