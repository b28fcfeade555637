'use strict';
// Seed 002's complete workflows through the Node addon, on both storage engines. Every request
// and response is also checked against the wire schema (each must survive a binary protobuf
// round trip, so every call could be made in the binary format as well).
const test = require('node:test');
const assert = require('node:assert/strict');
const { dms, freshUrl, cleanup } = require('./helpers');
const { makeDealer } = require('./dealer');

test.after(cleanup);

// On hand and allocated of a part at the central warehouse (center null) or a center's store.
async function stockAt(session, partId, centerId = null) {
  const part = await session.call('inventory.GetPart', { id: partId });
  const row = part.stock.find((s) => s.serviceCenterId === centerId);
  return row ? [row.stockQuantity, row.allocated] : ['0', '0'];
}

// Workflows 1 and 2: buys 100 battery modules (98 accepted) into the central warehouse and issues
// 50 to SC001's store; returns the part.
async function purchaseAndIssue(d) {
  const central = d.centralManager;
  const supplier = await central.call('suppliers.Create', {
    name: 'ABC Parts Supplier', contactPerson: 'John Smith', stateCode: '27',
    address: { street: '1 Industrial Area', city: 'Pune' },
  });
  const part = await central.call('inventory.CreatePart', {
    partNumber: 'BAT-MOD-001', partName: 'Battery Module', category: 'Battery',
    hsnCode: '85076000', gstRate: '18', costPrice: '40000', unitPrice: '50000',
  });

  // Workflow 1.
  let po = await central.call('purchaseOrders.Create', {
    supplierId: supplier.id, orderDate: '2025-12-20', expectedDeliveryDate: '2025-12-27',
    items: [{ centralInventoryPartId: part.id, quantity: 100, unitPrice: 40000, gstRate: 18 }],
    notes: 'Urgent order for restocking', paymentTerms: 'Net 30 days',
  });
  assert.equal(po.totalAmount, '4720000.00');
  po = await central.call('purchaseOrders.Submit', { id: po.id });
  po = await d.admin.call('purchaseOrders.Approve', { id: po.id, notes: 'Approved' });
  assert.equal(po.status, 'APPROVED');
  po = await central.call('purchaseOrders.Receive', {
    id: po.id, receivedDate: '2025-12-27', invoiceNumber: 'SUP-INV-001',
    invoiceAmount: '4720000.00',
    receivedItems: [{ itemId: po.items[0].id, receivedQty: 100, acceptedQty: 98,
                      rejectedQty: 2, condition: 'DAMAGED', notes: '2 units damaged' }],
  });
  assert.equal(po.status, 'COMPLETED');
  assert.deepEqual(await stockAt(central, part.id), ['98', '0']);
  await central.call('purchaseOrders.Get', { id: po.id });
  await central.call('purchaseOrders.List', { expand: 'supplier,items' });
  await central.call('inventory.PartTransactions', { partId: part.id });

  // Workflow 2.
  let issue = await d.manager.call('partsIssues.Create', {
    toServiceCenterId: d.center.id, priority: 'HIGH',
    items: [{ centralInventoryPartId: part.id, requestedQty: 50 }],
  });
  assert.equal(issue.status, 'PENDING_APPROVAL');
  assert.deepEqual(await stockAt(central, part.id), ['98', '50']);
  issue = await d.admin.call('partsIssues.Approve', { id: issue.id });
  assert.deepEqual(await stockAt(central, part.id), ['48', '0']);
  issue = await central.call('partsIssues.Dispatch', {
    id: issue.id, dispatchedDate: '2025-12-20', trackingNumber: 'TRK-123456',
    transportDetails: { vehicleNumber: 'MH01AB1234', driverName: 'John Doe',
                        driverPhone: '+919876543210' },
    estimatedArrival: '2025-12-21',
  });
  assert.equal(issue.status, 'DISPATCHED');
  issue = await d.inventoryManager.call('partsIssues.Receive', {
    id: issue.id, receivedDate: '2025-12-21',
    receivedItems: [{ itemId: issue.items[0].id, receivedQty: 50, condition: 'GOOD' }],
  });
  assert.equal(issue.status, 'COMPLETED');
  assert.deepEqual(await stockAt(d.inventoryManager, part.id, d.center.id), ['50', '0']);
  await d.manager.call('partsIssues.List', { expand: 'items,toServiceCenter' });
  await d.inventoryManager.call('inventory.ListParts', { expand: 'supplier' });
  await central.call('inventory.Value', {});
  await central.call('inventory.ListLocations', {});
  return part;
}

for (const engine of ['sqlite', 'postgresql']) {
  test(`workflows 1 and 2: purchase order, parts issue (${engine})`, async () => {
    const db = await dms.open(freshUrl(engine), { sqliteSynchronous: 'NORMAL' });
    try {
      await purchaseAndIssue(await makeDealer(db));
    } finally {
      db.close();
    }
  });

  test(`workflow 3: job card parts request (${engine})`, async () => {
    const db = await dms.open(freshUrl(engine), { sqliteSynchronous: 'NORMAL' });
    try {
      const d = await makeDealer(db);
      const part = await purchaseAndIssue(d);
      const customer = await d.advisor.call('customers.Create', {
        name: 'Asha Patil', phone: '+919876543211',
      });
      const vehicle = await d.advisor.call('vehicles.Create', {
        customerId: customer.id, registration: 'MH02CD5678', vin: 'VIN5678',
        vehicleMake: 'Tata', vehicleModel: 'Nexon EV',
      });
      let job = await d.advisor.call('jobCards.Create', {
        customerId: customer.id, vehicleId: vehicle.id, serviceType: 'Battery replacement',
      });
      await d.manager.call('jobCards.AssignEngineer', { id: job.id, engineerId: d.engineer.userId });
      await d.engineer.call('jobCards.Start', { id: job.id });
      let request = await d.engineer.call('jobCards.RequestParts', {
        id: job.id, urgency: 'HIGH', notes: 'Urgent requirement',
        parts: [{ inventoryPartId: part.id, requestedQty: 2, isWarranty: false }],
      });
      assert.equal(request.status, 'PENDING');
      const pending = await d.inventoryManager.call('partsRequests.List',
                                                    { filter: { status: 'PENDING' } });
      assert.deepEqual(pending.data.map((r) => r.id), [request.id]);
      request = await d.inventoryManager.call('partsRequests.Approve', { id: request.id });
      assert.equal(request.status, 'ISSUED');
      assert.deepEqual(await stockAt(d.inventoryManager, part.id, d.center.id), ['48', '0']);
      job = await d.engineer.call('jobCards.UpdateStatus', { id: job.id, status: 'IN_PROGRESS' });
      assert.equal(job.status, 'IN_PROGRESS');
      assert.equal(job.parts[0].quantity, '2');
      assert.equal((await d.admin.call('inventory.VerifyStock', {})).ok, true);
      await d.inventoryManager.call('inventory.LowStock', {});
    } finally {
      db.close();
    }
  });

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
