'use strict';
// Seed 002's workflows 1-4 over real HTTP with the seed's request bodies and status codes, then
// the contract around them: envelopes, pagination, errors 400/401/403/404/409, tenant isolation,
// first-login, uploads. One dealer on one SQLite server for the whole file (kept fast).
const test = require('node:test');
const assert = require('node:assert/strict');
const { startServer, makeDealer, makeUser, isSuccessEnvelope, isErrorBody, cleanup } =
  require('./helpers');

let server;
let d;
const state = {};

test.before(async () => {
  server = await startServer();
  d = await makeDealer(server);
});
test.after(async () => {
  await server.close();
  cleanup();
});

// A call that must succeed with `status` and an envelope; returns the body.
async function ok(status, verb, route, token, body) {
  const res = await server.http(verb, route, { token, body });
  assert.equal(res.status, status, `${verb} ${route}: ${res.text}`);
  assert.ok(isSuccessEnvelope(res.body), `${verb} ${route} envelope: ${res.text}`);
  assert.ok(res.headers.get('x-request-id'));
  return res.body;
}
async function fails(status, code, verb, route, token, body) {
  const res = await server.http(verb, route, { token, body });
  assert.equal(res.status, status, `${verb} ${route}: ${res.text}`);
  assert.ok(isErrorBody(res.body, status), `${verb} ${route} error body: ${res.text}`);
  if (code) assert.equal(res.body.code, code);
  assert.equal(res.body.path, route.split('?')[0]);
  return res.body;
}

async function stockAt(token, partId, centerId = null) {
  const part = (await ok(200, 'GET', `/api/inventory/parts/${partId}`, token)).data;
  const row = part.stock.find((s) => s.serviceCenterId === centerId);
  return row ? [row.stockQuantity, row.allocated] : ['0', '0'];
}

test('workflow 1: purchase order -> stock receive', async () => {
  const central = d.centralManager.token;
  const supplier = (await ok(201, 'POST', '/api/suppliers', central, {
    name: 'ABC Parts Supplier', contactPerson: 'John Smith', stateCode: '27',
    address: { street: '1 Industrial Area', city: 'Pune' },
  })).data;
  // POST /api/central-inventory/parts with the seed's body (+ the HSN code an invoice needs).
  const part = (await ok(201, 'POST', '/api/central-inventory/parts', central, {
    partName: 'Battery Module', partNumber: 'BAT-MOD-001', category: 'Battery', unitPrice: 50000,
    costPrice: 40000, gstRate: 18, stockQuantity: 0, minStockLevel: 100,
    location: 'Central Warehouse A', supplierId: supplier.id, hsnCode: '85076000',
  })).data;
  state.part = part;

  let po = (await ok(201, 'POST', '/api/purchase-orders', central, {
    supplierId: supplier.id, orderDate: '2025-12-20', expectedDeliveryDate: '2025-12-27',
    items: [{ centralInventoryPartId: part.id, partName: 'Battery Module',
              partNumber: 'BAT-MOD-001', quantity: 100, unitPrice: 40000, gstRate: 18,
              amount: 4000000 }],
    notes: 'Urgent order for restocking', paymentTerms: 'Net 30 days',
  })).data;
  assert.equal(po.status, 'DRAFT');
  assert.match(po.poNumber, /^PO-\d{4}-\d{4}$/);
  assert.equal(po.totalAmount, '4720000.00');
  po = (await ok(200, 'PATCH', `/api/purchase-orders/${po.id}/submit`, central, {})).data;
  assert.equal(po.status, 'PENDING_APPROVAL');
  po = (await ok(200, 'PATCH', `/api/purchase-orders/${po.id}/approve`, d.admin.token,
                 { approvedBy: d.admin.id, notes: 'Approved' })).data;
  assert.equal(po.status, 'APPROVED');
  po = (await ok(200, 'PATCH', `/api/purchase-orders/${po.id}/receive`, central, {
    receivedItems: [{ itemId: po.items[0].id, receivedQty: 100, acceptedQty: 98, rejectedQty: 2,
                      condition: 'DAMAGED', notes: '2 units damaged in transit' }],
    receivedBy: d.centralManager.id, receivedDate: '2025-12-27', invoiceNumber: 'SUP-INV-001',
    invoiceDate: '2025-12-27', invoiceAmount: 4720000,
  })).data;
  assert.equal(po.status, 'COMPLETED');
  assert.deepEqual(await stockAt(central, part.id), ['98', '0']);
  const list = await ok(200, 'GET', '/api/purchase-orders?status=COMPLETED&expand=supplier,items',
                        central);
  assert.equal(list.data[0].supplier.name, 'ABC Parts Supplier');
  const moves = await ok(200, 'GET', `/api/inventory/parts/${part.id}/transactions?page=1&limit=20`,
                         central);
  assert.ok(moves.data.length >= 1);
});

test('workflow 2: parts transfer central -> service center', async () => {
  const { part } = state;
  let issue = (await ok(201, 'POST', '/api/parts-issues', d.manager.token, {
    toServiceCenterId: d.center.id, requestedBy: d.manager.id,
    items: [{ centralInventoryPartId: part.id, partName: 'Battery Module',
              partNumber: 'BAT-MOD-001', requestedQty: 50 }],
    priority: 'HIGH', notes: 'Urgent requirement for pending jobs',
  })).data;
  assert.equal(issue.status, 'PENDING_APPROVAL');
  assert.deepEqual(await stockAt(d.centralManager.token, part.id), ['98', '50']);
  issue = (await ok(200, 'PATCH', `/api/parts-issues/${issue.id}/approve`, d.admin.token, {
    approvedItems: [{ itemId: issue.items[0].id, approvedQty: 50 }], approvedBy: d.admin.id,
    notes: 'Approved',
  })).data;
  assert.equal(issue.status, 'APPROVED');
  assert.deepEqual(await stockAt(d.centralManager.token, part.id), ['48', '0']);
  issue = (await ok(200, 'PATCH', `/api/parts-issues/${issue.id}/dispatch`, d.centralManager.token, {
    dispatchedDate: '2025-12-20',
    transportDetails: { vehicleNumber: 'MH01AB1234', driverName: 'John Doe',
                        driverPhone: '+919876543210' },
    estimatedArrival: '2025-12-21', trackingNumber: 'TRK-123456',
  })).data;
  assert.equal(issue.status, 'DISPATCHED');
  issue = (await ok(200, 'PATCH', `/api/parts-issues/${issue.id}/receive`, d.inventoryManager.token, {
    receivedItems: [{ itemId: issue.items[0].id, receivedQty: 50, condition: 'GOOD' }],
    receivedBy: d.inventoryManager.id, receivedDate: '2025-12-21',
  })).data;
  assert.equal(issue.status, 'COMPLETED');
  assert.deepEqual(await stockAt(d.inventoryManager.token, part.id, d.center.id), ['50', '0']);
  const list = await ok(200, 'GET', '/api/parts-issues?expand=items,toServiceCenter', d.manager.token);
  assert.equal(list.data[0].toServiceCenter.code, 'SC001');
});

test('workflow 3: job card parts request', async () => {
  const { part } = state;
  const customer = (await ok(201, 'POST', '/api/customers', d.advisor.token, {
    name: 'John Doe', phone: '+919876543210', whatsappNumber: '+919876543210',
    alternateNumber: '+919876543211', email: 'john@example.com', address: '123 Main St',
    cityState: 'Mumbai, Maharashtra', pincode: '400001', customerType: 'B2C',
  })).data;
  assert.equal(customer.customerNumber, 'CUST-0001');
  const vehicle = (await ok(201, 'POST', '/api/vehicles', d.advisor.token, {
    customerId: customer.id, registration: 'MH01AB1234', vin: 'VIN123456789',
    vehicleMake: 'Tesla', vehicleModel: 'Model 3', vehicleYear: 2023, variant: 'Long Range',
    vehicleColor: 'Pearl White', motorNumber: 'MTR123456', chargerSerialNumber: 'CHG789012',
    purchaseDate: '2023-01-15', warrantyStatus: 'Active', insuranceStartDate: '2023-01-15',
    insuranceEndDate: '2024-01-15', insuranceCompanyName: 'HDFC ERGO',
  })).data;
  assert.equal(vehicle.currentStatus, 'AVAILABLE');
  let job = (await ok(201, 'POST', '/api/job-cards', d.advisor.token, {
    serviceCenterId: d.center.id, customerId: customer.id, vehicleId: vehicle.id,
    serviceType: 'Regular Service', description: 'Customer complaint', priority: 'MEDIUM',
    location: 'STATION', estimatedCost: 5000,
    part1Data: { fullName: 'John Doe', mobilePrimary: '+919876543210', customerType: 'B2C',
                 vehicleBrand: 'Tesla', vehicleModel: 'Model 3', registrationNumber: 'MH01AB1234',
                 customerFeedback: 'Strange noise', technicianObservation: 'Initial inspection' },
  })).data;
  assert.equal(job.status, 'CREATED');
  assert.match(job.jobCardNumber, /^SC001-\d{4}-\d{2}-\d{4}$/);
  Object.assign(state, { customer, vehicle, job });

  job = (await ok(200, 'POST', `/api/job-cards/${job.id}/assign-engineer`, d.manager.token,
                  { engineerId: d.engineer.id })).data;
  assert.equal(job.status, 'ASSIGNED');
  assert.equal(job.assignedEngineerId, d.engineer.id);
  job = (await ok(200, 'PATCH', `/api/job-cards/${job.id}/status`, d.engineer.token,
                  { status: 'IN_PROGRESS', notes: 'Started working on vehicle' })).data;
  assert.equal(job.status, 'IN_PROGRESS');
  let request = (await ok(201, 'POST', `/api/job-cards/${job.id}/request-parts`, d.engineer.token, {
    parts: [{ inventoryPartId: part.id, requestedQty: 2, isWarranty: false }],
    urgency: 'HIGH', notes: 'Urgent requirement',
  })).data;
  assert.equal(request.status, 'PENDING');
  job = (await ok(200, 'GET', `/api/job-cards/${job.id}`, d.engineer.token)).data;
  assert.equal(job.status, 'PARTS_PENDING');
  const pending = await ok(200, 'GET', '/api/parts-requests?status=PENDING', d.inventoryManager.token);
  assert.deepEqual(pending.data.map((r) => r.id), [request.id]);
  request = (await ok(200, 'PATCH', `/api/parts-requests/${request.id}/approve`,
                      d.inventoryManager.token, {})).data;
  assert.equal(request.status, 'ISSUED');
  assert.deepEqual(await stockAt(d.inventoryManager.token, part.id, d.center.id), ['48', '0']);
  job = (await ok(200, 'PATCH', `/api/job-cards/${job.id}/status`, d.engineer.token,
                  { status: 'IN_PROGRESS' })).data;
  assert.equal(job.status, 'IN_PROGRESS');
  assert.equal(job.parts[0].quantity, '2');
});

test('workflow 4: complete job -> invoice -> paid -> customer update', async () => {
  const { customer, vehicle, job } = state;
  const done = (await ok(200, 'PATCH', `/api/job-cards/${job.id}/status`, d.engineer.token,
                         { status: 'COMPLETED' })).data;
  assert.equal(done.status, 'COMPLETED');
  let invoice = (await ok(201, 'POST', '/api/invoices', d.manager.token, { jobCardId: job.id })).data;
  assert.equal(invoice.status, 'DRAFT');
  invoice = (await ok(200, 'PATCH', `/api/invoices/${invoice.id}/status`, d.manager.token,
                      { status: 'PAID' })).data;
  assert.equal(invoice.status, 'PAID');
  // The tax invoice as a file: its bytes, not an envelope.
  const pdf = await server.http('GET', `/api/invoices/${invoice.id}/pdf`, { token: d.manager.token });
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.match(pdf.headers.get('content-disposition'), /^attachment; filename=".+\.pdf"$/);
  assert.ok(pdf.text.startsWith('%PDF-'));
  const after = (await ok(200, 'GET', `/api/customers/${customer.id}?expand=vehicles`,
                          d.advisor.token)).data;
  assert.equal(after.lastServiceCenterId, d.center.id);
  assert.equal(after.lastInvoiceNumber, invoice.invoiceNumber);
  assert.ok(after.lastServiceDate);
  assert.equal(after.vehicles[0].totalServices, 1);
  assert.equal(after.vehicles[0].totalSpent, invoice.grandTotal);
  const freed = (await ok(200, 'GET', `/api/vehicles/${vehicle.id}`, d.advisor.token)).data;
  assert.equal(freed.currentStatus, 'AVAILABLE');
  assert.equal(freed.activeJobCardId, null);
  const history = await ok(200, 'GET', `/api/vehicles/${vehicle.id}/service-history?page=1&limit=20`,
                           d.advisor.token);
  assert.equal(history.data.length, 1);
});

test('errors: 400, 401, 403, 404, 409 in seed 002 section 1 shape', async () => {
  // 400: validation (the library's field), malformed JSON, a refused status transition.
  const bad = await fails(400, 'VALIDATION_ERROR', 'POST', '/api/customers', d.advisor.token,
                          { name: 'X', phone: 'not-a-phone' });
  assert.ok(bad.errors && Object.keys(bad.errors).length === 1);
  await fails(400, null, 'POST', '/api/customers', d.advisor.token, '{"name": ');
  await fails(400, 'VALIDATION_ERROR', 'GET', '/api/customers?filter[noSuchField]=1', d.advisor.token);
  await fails(400, 'VALIDATION_ERROR', 'GET', '/api/customers?filter%5Bname=%ZZ', d.advisor.token);
  const vehicle = (await ok(201, 'POST', '/api/vehicles', d.advisor.token, {
    customerId: state.customer.id, registration: 'MH02CD5678', vin: 'VIN5678',
    vehicleMake: 'Tata', vehicleModel: 'Nexon EV' })).data;
  const job = (await ok(201, 'POST', '/api/job-cards', d.advisor.token, {
    customerId: state.customer.id, vehicleId: vehicle.id, serviceType: 'Repair' })).data;
  const transition = await fails(400, 'INVALID_STATUS_TRANSITION', 'PATCH',
                                 `/api/job-cards/${job.id}/status`, d.manager.token,
                                 { status: 'COMPLETED' });
  assert.equal(transition.fromState, 'CREATED');
  assert.equal(transition.toState, 'COMPLETED');
  // 401: no token, a bad token, a malformed header.
  await fails(401, 'UNAUTHENTICATED', 'GET', '/api/customers');
  await fails(401, null, 'GET', '/api/customers', 'not-a-token');
  const res = await server.http('GET', '/api/customers', { headers: { authorization: 'Basic x' } });
  assert.equal(res.status, 401);
  await fails(401, 'INVALID_CREDENTIALS', 'POST', '/api/auth/login', null,
              { email: d.advisor.email, password: 'wrong' });
  // 403: a permission the role lacks.
  await fails(403, 'FORBIDDEN', 'POST', '/api/admin/users', d.engineer.token, {
    email: 'x@dealer.in', phone: '+919811111111', firstName: 'X', lastName: 'Y', role: 'admin' });
  // 404: unknown id, unknown route.
  await fails(404, 'NOT_FOUND', 'GET', '/api/customers/no-such-id', d.advisor.token);
  await fails(404, 'NOT_FOUND', 'GET', '/api/no-such-route', d.advisor.token);
  // 409: a duplicate, and a business rule (the vehicle already has an open job card).
  await fails(409, 'DUPLICATE', 'POST', '/api/customers', d.advisor.token,
              { name: 'John Again', phone: '+919876543210' });
  await fails(409, 'VEHICLE_HAS_OPEN_JOB_CARD', 'POST', '/api/job-cards', d.advisor.token,
              { customerId: state.customer.id, vehicleId: vehicle.id, serviceType: 'Repair' });
});

test('X-Request-Id is honoured, or generated', async () => {
  const given = await server.http('GET', '/api/auth/me', {
    token: d.advisor.token, headers: { 'x-request-id': 'req-abc-123' } });
  assert.equal(given.headers.get('x-request-id'), 'req-abc-123');
  assert.equal(given.body.meta.requestId, 'req-abc-123');
  const made = await server.http('GET', '/api/auth/me', { token: d.advisor.token });
  assert.match(made.headers.get('x-request-id'), /^[0-9a-f-]{36}$/);
  const error = await server.http('GET', '/api/customers/nope', {
    token: d.advisor.token, headers: { 'x-request-id': 'req-err-1' } });
  assert.equal(error.body.requestId, 'req-err-1');
});

test('auth: login, me, refresh, logout per seed 002 section 3; first login must change password', async () => {
  const login = await ok(200, 'POST', '/api/auth/login', null,
                         { email: d.manager.email, password: d.manager.password });
  const { accessToken, refreshToken, user } = login.data;
  assert.ok(accessToken && refreshToken);
  assert.equal(user.role, 'sc_manager');
  assert.equal(user.serviceCenterId, d.center.id);
  assert.ok(user.permissions.includes('job_cards:*') || user.permissions.length > 0);
  const me = await ok(200, 'GET', '/api/auth/me?expand=serviceCenter', accessToken);
  assert.equal(me.data.serviceCenter.code, 'SC001');
  const refreshed = await ok(200, 'POST', '/api/auth/refresh', null, { refreshToken });
  assert.ok(refreshed.data.accessToken);
  await ok(200, 'GET', '/api/auth/me', refreshed.data.accessToken);
  const out = await ok(200, 'POST', '/api/auth/logout', refreshed.data.accessToken,
                       { refreshToken: refreshed.data.refreshToken });
  assert.equal(typeof out.message, 'string');
  await fails(401, null, 'GET', '/api/auth/me', refreshed.data.accessToken);
  // A used refresh token is refused (and ends its session: reuse means theft).
  await fails(401, null, 'POST', '/api/auth/refresh', null, { refreshToken });

  const fresh = await makeUser(server, 'service_advisor', d.center.id, { changePassword: false });
  await fails(403, 'PASSWORD_CHANGE_REQUIRED', 'GET', '/api/customers', fresh.token);
  await fails(403, 'PASSWORD_CHANGE_REQUIRED', 'GET', '/api/auth/me', fresh.token);
  await fails(403, 'PASSWORD_CHANGE_REQUIRED', 'PUT', '/api/auth/profile', fresh.token,
              { firstName: 'Renamed' });
  await fails(403, 'PASSWORD_CHANGE_REQUIRED', 'POST', '/api/customers', fresh.token,
              { name: 'Someone', phone: '+919876543299' });
  await ok(200, 'PUT', '/api/auth/change-password', fresh.token,
           { currentPassword: fresh.password, newPassword: 'Another-Secret-2025' });
});

test('tenant isolation: another center\'s records are 404', async () => {
  // (Customers and vehicles are the dealer's, shared by its centers; job cards, parts requests
  // and invoices belong to one center.)
  const { job } = state;
  await fails(404, 'NOT_FOUND', 'GET', `/api/job-cards/${job.id}`, d.otherManager.token);
  const invoices = await ok(200, 'GET', '/api/invoices', d.manager.token);
  assert.equal(invoices.data.length, 1);
  await fails(404, 'NOT_FOUND', 'GET', `/api/invoices/${invoices.data[0].id}`, d.otherManager.token);
  await fails(404, 'NOT_FOUND', 'PATCH', `/api/job-cards/${job.id}/status`, d.otherManager.token,
              { status: 'CANCELLED' });
  const theirs = await ok(200, 'GET', '/api/job-cards', d.otherManager.token);
  assert.equal(theirs.data.length, 0);
  assert.equal(theirs.pagination.total, 0);
});

test('pagination, filters, sort and search pass to the library unchanged', async () => {
  const created = [];
  for (let i = 0; i < 5; i += 1) {
    created.push((await ok(201, 'POST', '/api/customers', d.advisor.token, {
      name: `Page Customer ${i}`, phone: `+9198765000${10 + i}`,
      ...(i % 2 ? { customerType: 'B2B', gstin: '27AAPFU0939F1ZV' } : { customerType: 'B2C' }),
    })).data);
  }
  const first = await ok(200, 'GET', '/api/customers?page=1&limit=2&sort=-createdAt&search=page+customer',
                         d.advisor.token);
  assert.deepEqual(first.pagination, { page: 1, limit: 2, total: 5, totalPages: 3, hasNext: true,
                                       hasPrev: false });
  assert.deepEqual(first.data.map((c) => c.name), ['Page Customer 4', 'Page Customer 3']);
  const middleRes = await server.http('GET', '/api/customers?page=2&limit=2&sort=-createdAt&search=page+customer',
                                      { token: d.advisor.token });
  assert.equal(middleRes.headers.get('x-total-count'), '5');
  assert.equal(middleRes.headers.get('x-total-pages'), '3');
  assert.equal(middleRes.headers.get('x-page'), '2');
  assert.equal(middleRes.headers.get('link'),
               '</api/customers?page=3&limit=2&sort=-createdAt&search=page+customer>; rel="next", ' +
               '</api/customers?page=1&limit=2&sort=-createdAt&search=page+customer>; rel="prev"');
  const middle = middleRes.body;
  assert.equal(middle.pagination.hasNext, true);
  assert.equal(middle.pagination.hasPrev, true);
  const last = await ok(200, 'GET', '/api/customers?page=3&limit=2&sort=-createdAt&search=page+customer',
                        d.advisor.token);
  assert.equal(last.pagination.hasNext, false);
  assert.equal(last.pagination.hasPrev, true);
  const b2b = await ok(200, 'GET', '/api/customers?filter[customerType]=B2B&search=page&fields=id,name',
                       d.advisor.token);
  assert.equal(b2b.data.length, 2);
  assert.deepEqual(Object.keys(b2b.data[0]).sort(), ['id', 'name']);
  const since = await ok(200, 'GET', `/api/customers?filter[createdAt][gte]=2000-01-01&search=page&limit=1`,
                         d.advisor.token);
  assert.equal(since.pagination.total, 5);
  const found = await ok(200, 'GET', '/api/customers/search?query=9876500011', d.advisor.token);
  assert.equal(found.data[0].id, created[1].id);
});

test('bulk: POST /api/customers/bulk and PATCH /api/job-cards/bulk', async () => {
  const bulk = await ok(201, 'POST', '/api/customers/bulk', d.advisor.token, {
    customers: [{ name: 'Bulk One', phone: '+919876511111', email: 'one@example.com' },
                { name: 'Bulk Two', phone: '+919876511112', email: 'two@example.com' }],
  });
  assert.equal(bulk.data.created, 2);
  assert.equal(bulk.data.failed, 0);
  const jobs = await ok(200, 'GET', '/api/job-cards?status=CREATED', d.manager.token);
  const updated = await ok(200, 'PATCH', '/api/job-cards/bulk', d.manager.token, {
    updates: jobs.data.map((j) => ({ id: j.id, status: 'CANCELLED', reason: 'bulk test' })),
  });
  assert.ok(typeof updated.data.updated === 'number');
});

test('uploads: multipart, allowed types, 10 MB', async () => {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
                             Buffer.alloc(1000, 1)]);
  const form = (file, name, type, fields = {}) => {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) f.append(k, v);
    f.append('file', new Blob([file], { type }), name);
    return f;
  };
  const res = await server.http('POST', '/api/files/upload', { token: d.advisor.token, form: form(
    png, 'original_image.png', 'image/png',
    { category: 'job_card_images', relatedEntityId: state.job.id, relatedEntityType: 'job_card' }) });
  assert.equal(res.status, 201, res.text);
  assert.ok(isSuccessEnvelope(res.body));
  assert.equal(res.body.data.size, png.length);
  assert.equal(res.body.data.originalName, 'original_image.png');
  assert.equal(res.body.data.uploadedBy, d.advisor.id);
  const wrongType = await server.http('POST', '/api/files/upload', {
    token: d.advisor.token, form: form(Buffer.from('MZ...'), 'tool.exe', 'application/octet-stream') });
  assert.equal(wrongType.status, 400);
  assert.ok(isErrorBody(wrongType.body, 400));
  const liar = await server.http('POST', '/api/files/upload', {
    token: d.advisor.token, form: form(Buffer.from('not a pdf'), 'x.pdf', 'application/pdf') });
  assert.equal(liar.status, 400);
  const big = await server.http('POST', '/api/files/upload', {
    token: d.advisor.token,
    form: form(Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024 + 10)]),
               'big.pdf', 'application/pdf') });
  assert.equal(big.status, 413, big.text);
  assert.equal(big.body.code, 'FILE_TOO_LARGE');
  const anonymous = await server.http('POST', '/api/files/upload', { form: form(png, 'a.png', 'image/png') });
  assert.equal(anonymous.status, 401);
});

test('health: database, library version, uptime', async () => {
  const res = await ok(200, 'GET', '/api/health');
  assert.equal(res.data.status, 'healthy');
  assert.equal(res.data.services.database, 'connected');
  assert.equal(res.data.libraryVersion, require('../src/dms').version);
  assert.ok(Number.isInteger(res.data.uptime));
});
