'use strict';
// Seed 002's complete workflows through the Node addon, on both storage engines. Every response
// is also checked against the wire schema (it must survive a binary protobuf round trip).
const test = require('node:test');
const assert = require('node:assert/strict');
const { dms, freshUrl, cleanup } = require('./helpers');
const { makeDealer } = require('./dealer');

test.after(cleanup);

for (const engine of ['sqlite', 'postgresql']) {
  test(`workflow 4: complete job -> invoice -> payment -> customer update (${engine})`, async () => {
    const db = await dms.open(freshUrl(engine), { sqliteSynchronous: 'NORMAL' });
    try {
      const d = await makeDealer(db);
      const customer = await d.advisor.call('customers.Create', {
        name: 'John Doe', phone: '+919876543210', email: 'john@example.com',
      });
      assert.equal(customer.customerNumber, 'CUST-0001');
      const vehicle = await d.advisor.call('vehicles.Create', {
        customerId: customer.id, registration: 'MH01AB1234', vin: 'VIN123456789',
        vehicleMake: 'Tata', vehicleModel: 'Nexon EV', vehicleYear: 2023,
      });
      let job = await d.advisor.call('jobCards.Create', {
        customerId: customer.id, vehicleId: vehicle.id, serviceType: 'Regular Service',
        estimatedCost: '2500.00', part1Data: { customerFeedback: 'Strange noise' },
      });
      assert.equal(job.status, 'CREATED');
      job = await d.manager.call('jobCards.AssignEngineer', { id: job.id, engineerId: d.engineer.userId });
      job = await d.engineer.call('jobCards.Start', { id: job.id });
      job = await d.engineer.call('jobCards.AddServiceLine', {
        id: job.id, serviceType: 'Periodic maintenance', rate: '1000.00', estimatedHours: '1.5',
      });
      job = await d.engineer.call('jobCards.UpdateStatus', { id: job.id, status: 'COMPLETED' });
      assert.equal(job.status, 'COMPLETED');

      let invoice = await d.manager.call('invoices.CreateFromJobCard', { jobCardId: job.id });
      assert.equal(invoice.grandTotal, '1180.00');
      invoice = await d.manager.call('invoices.Finalize', { id: invoice.id });
      assert.equal(invoice.status, 'FINALIZED');
      invoice = await d.manager.call('invoices.RecordPayment', {
        id: invoice.id, amount: invoice.grandTotal, paymentMethod: 'cash',
      });
      assert.equal(invoice.status, 'PAID');

      const after = await d.advisor.call('customers.Get', { id: customer.id, expand: 'vehicles' });
      assert.equal(after.lastServiceCenterId, d.center.id);
      assert.equal(after.lastInvoiceNumber, invoice.invoiceNumber);
      assert.equal(after.vehicles[0].totalServices, 1);
      assert.equal(after.vehicles[0].totalSpent, '1180.00');

      job = await d.manager.call('jobCards.Deliver', { id: job.id, feedbackRating: 5 });
      const freed = await d.advisor.call('vehicles.Get', { id: vehicle.id });
      assert.equal(freed.currentStatus, 'AVAILABLE');
      assert.equal(freed.activeJobCardId, null);
      await d.advisor.call('vehicles.ServiceHistory', { vehicleId: vehicle.id });
      await d.manager.call('invoices.List', { expand: 'jobCard' });
      await d.manager.call('jobCards.List', { expand: 'customer,vehicle' });
      await d.manager.call('jobCards.Get', { id: job.id, expand: 'customer,vehicle' });

      // A rule violation rejects with the shared code and both states.
      const second = await d.advisor.call('jobCards.Create', {
        customerId: customer.id, vehicleId: vehicle.id, serviceType: 'Repair',
      });
      await assert.rejects(d.manager.session.jobCards.updateStatus({ id: second.id, status: 'COMPLETED' }),
                           (e) => e instanceof dms.InvalidTransition &&
                                  e.fromState === 'CREATED' && e.toState === 'COMPLETED');
    } finally {
      db.close();
    }
  });
}
