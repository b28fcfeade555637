'use strict';
// THE route table: one row per HTTP route, mapping a method and path to a library method.
//
//   r(verb, path, method, options)
//     path      under /api; `:name` path parameters become request fields of the same name
//               (options.params renames: {id: 'partId'})
//     method    the library method ("customers.Create"); dms.methods() lists them
//     options   status   the success status (default 200; 201 on create)
//               auth     false for the anonymous routes (login, refresh, password reset)
//               from     where the other fields come from: 'query' (default for GET and DELETE)
//                        or 'body' (POST, PATCH, PUT); path parameters always win
//               fixed    constant request fields
//               seed     which contract names the route: '002', '000' (module endpoints) or
//                        'lib' (a library capability neither seed gives a path)
//               select   (request) => method, for one path serving several methods; `methods`
//                        then lists them all
//               into     put the non-path fields under this request field ({name, params}),
//                        except those `keep` names
//               rename   {queryName: requestField} for fields the seed names differently
//               download the method answers a FileContent: the route sends its bytes
//               awaits   the branch that adds the method (k/notify, ...): until it is merged the
//                        row is skipped (and listed by the routes test), after that it is live
//               fromToken  fields seed 002 says are "auto-filled from JWT" (approvedBy,
//                        receivedBy): the library records the acting user itself, so a value the
//                        client sends is dropped
//
// Adding a library method adds a route here in one line; test/routes.test.js fails while a
// method has no row (or an entry in EXCLUDED with the reason).

const routes = [];
function r(verb, path, method, options = {}) {
  routes.push({ verb, path: `/api${path}`, method, seed: '002', ...options });
}
const s000 = (options = {}) => ({ seed: '000', ...options });
const lib = (options = {}) => ({ seed: 'lib', ...options });
const C = { status: 201 };

// ---- auth (seed 002 section 3, seed 000 4.1.3) --------------------------------------------------
r('POST', '/auth/login', 'auth.Login', { auth: false });
r('POST', '/auth/refresh', 'auth.Refresh', { auth: false });
r('POST', '/auth/logout', 'auth.Logout');
r('GET', '/auth/me', 'auth.Me');
r('POST', '/auth/refresh-token', 'auth.Refresh', s000({ auth: false }));
r('POST', '/auth/forgot-password', 'auth.ForgotPassword', s000({ auth: false }));
r('POST', '/auth/reset-password', 'auth.ResetPassword', s000({ auth: false }));
r('PUT', '/auth/profile', 'auth.UpdateProfile', s000());
r('PUT', '/auth/change-password', 'auth.ChangePassword', s000());

// ---- customers (seed 002 section 4, bulk: section 10) --------------------------------------------
r('POST', '/customers', 'customers.Create', C);
r('GET', '/customers', 'customers.List');
r('GET', '/customers/search', 'customers.Search');
r('POST', '/customers/bulk', 'customers.BulkCreate', C);
r('GET', '/customers/:id', 'customers.Get');
r('PATCH', '/customers/:id', 'customers.Update');
r('DELETE', '/customers/:id', 'customers.Delete');
r('GET', '/sales/customers', 'customers.List', s000());
r('POST', '/sales/customers', 'customers.Create', s000(C));

// ---- vehicles (seed 002 section 5; seed 000 4.2.3 and 4.13.3 graphical data) --------------------
r('POST', '/vehicles', 'vehicles.Create', C);
r('GET', '/vehicles', 'vehicles.List', s000());
r('GET', '/vehicles/search/quick', 'vehicles.List', s000());
r('GET', '/vehicles/:id', 'vehicles.Get', s000());
r('PATCH', '/vehicles/:id', 'vehicles.Update', lib());
r('PUT', '/vehicles/:id', 'vehicles.Update', s000());
r('GET', '/vehicles/:id/service-history', 'vehicles.ServiceHistory', { params: { id: 'vehicleId' } });
r('GET', '/vehicles/:id/history', 'vehicles.ServiceHistory', s000({ params: { id: 'vehicleId' } }));
r('GET', '/vehicles/:id/graphical', 'vehicles.Components', s000({ params: { id: 'vehicleId' } }));
r('PUT', '/vehicles/:id/graphical/components/:componentId', 'vehicles.UpdateComponent',
  s000({ params: { id: 'vehicleId' } }));
r('POST', '/vehicles/:id/graphical/components/:componentId/issues', 'vehicles.AddComponentIssue',
  s000({ params: { id: 'vehicleId' }, status: 201 }));

// ---- service requests (seed 000 4.6.3 / 4.8.3) -------------------------------------------------
r('POST', '/workshop/service-requests', 'serviceRequests.Create', s000(C));
r('GET', '/workshop/service-requests', 'serviceRequests.List', s000());
r('GET', '/workshop/service-requests/:id', 'serviceRequests.Get', s000());
r('PUT', '/workshop/service-requests/:id/approve', 'serviceRequests.Approve', s000());
r('PUT', '/workshop/service-requests/:id/schedule', 'serviceRequests.Schedule', s000());
r('PUT', '/workshop/service-requests/:id/reject', 'serviceRequests.Reject', lib());
r('PUT', '/workshop/service-requests/:id/start', 'serviceRequests.Start', lib());
r('PUT', '/workshop/service-requests/:id/complete', 'serviceRequests.Complete', lib());
r('PUT', '/workshop/service-requests/:id/cancel', 'serviceRequests.Cancel', lib());

// ---- appointments (seed 002's appointmentId; appointments:* in its RBAC matrix) ----------------
r('POST', '/appointments', 'appointments.Create', lib(C));
r('GET', '/appointments', 'appointments.List', lib());
r('GET', '/appointments/:id', 'appointments.Get', lib());
r('PATCH', '/appointments/:id/confirm', 'appointments.Confirm', lib());
r('PATCH', '/appointments/:id/arrive', 'appointments.Arrive', lib());
r('PATCH', '/appointments/:id/no-show', 'appointments.NoShow', lib());
r('PATCH', '/appointments/:id/cancel', 'appointments.Cancel', lib());

// ---- job cards (seed 002 section 6, bulk: section 10; seed 000 4.6.3) ---------------------------
r('POST', '/job-cards', 'jobCards.Create', C);
r('GET', '/job-cards', 'jobCards.List');
r('PATCH', '/job-cards/bulk', 'jobCards.BulkUpdateStatus');
r('GET', '/job-cards/:id', 'jobCards.Get');
r('POST', '/job-cards/:id/assign-engineer', 'jobCards.AssignEngineer');
r('PATCH', '/job-cards/:id/status', 'jobCards.UpdateStatus');
r('POST', '/job-cards/:id/request-parts', 'jobCards.RequestParts', C);
r('PATCH', '/job-cards/:id/start', 'jobCards.Start', lib());
r('PATCH', '/job-cards/:id/pre-inspection', 'jobCards.PreInspection', lib());
r('PATCH', '/job-cards/:id/complete', 'jobCards.Complete', lib());
r('PATCH', '/job-cards/:id/cancel', 'jobCards.Cancel', lib());
r('PATCH', '/job-cards/:id/deliver', 'jobCards.Deliver', lib());
r('POST', '/job-cards/:id/service-lines', 'jobCards.AddServiceLine', lib(C));
r('PATCH', '/job-cards/:id/service-lines/:lineId', 'jobCards.UpdateServiceLine', lib());
r('POST', '/job-cards/:id/additional-services', 'jobCards.RequestAdditionalService', lib());
r('PATCH', '/job-cards/:id/additional-services/response', 'jobCards.RespondAdditionalService',
  lib());
r('POST', '/workshop/job-cards', 'jobCards.Create', s000(C));
r('GET', '/workshop/job-cards', 'jobCards.List', s000());
r('GET', '/workshop/job-cards/:id', 'jobCards.Get', s000());
r('PUT', '/workshop/job-cards/:id/pre-inspection', 'jobCards.PreInspection', s000());
r('PUT', '/workshop/job-cards/:id/assign', 'jobCards.AssignEngineer', s000());
r('PUT', '/workshop/job-cards/:id/start', 'jobCards.Start', s000());
r('PUT', '/workshop/job-cards/:id/parts-request', 'jobCards.RequestParts', s000(C));
r('PUT', '/workshop/job-cards/:id/additional-services', 'jobCards.RequestAdditionalService',
  s000());
r('PUT', '/workshop/job-cards/:id/complete', 'jobCards.Complete', s000());
r('PUT', '/workshop/job-cards/:id/deliver', 'jobCards.Deliver', s000());
r('GET', '/workshop/engineers', 'jobCards.EngineerWorkload', s000());
r('GET', '/workshop/engineers/:engineerId/workload', 'jobCards.EngineerWorkload', s000());

// ---- parts requests (seed 002 workflow 3) ------------------------------------------------------
r('GET', '/parts-requests', 'partsRequests.List');
r('GET', '/parts-requests/:id', 'partsRequests.Get', lib());
r('PATCH', '/parts-requests/:id/approve', 'partsRequests.Approve');
r('PATCH', '/parts-requests/:id/reject', 'partsRequests.Reject', lib());
r('POST', '/job-card-parts/:jobCardPartId/return', 'partsRequests.ReturnPart', lib());

// ---- inventory (seed 002 section 7.1; seed 000 4.4.3) -------------------------------------------
r('GET', '/inventory', 'inventory.ListParts');
r('POST', '/inventory/parts', 'inventory.CreatePart', C);
r('GET', '/inventory/low-stock', 'inventory.LowStock');
r('GET', '/inventory/parts/:id', 'inventory.GetPart', lib());
r('PATCH', '/inventory/parts/:id', 'inventory.UpdatePart', lib());
r('PATCH', '/inventory/parts/:id/adjust-stock', 'inventory.AdjustStock', { params: { id: 'partId' } });
r('GET', '/inventory/parts/:id/transactions', 'inventory.PartTransactions',
  { params: { id: 'partId' } });
r('PATCH', '/inventory/parts/:id/stock-levels', 'inventory.SetStockLevels',
  lib({ params: { id: 'partId' } }));
r('POST', '/inventory/parts/:id/allocate', 'inventory.Allocate', lib({ params: { id: 'partId' } }));
r('POST', '/inventory/parts/:id/release', 'inventory.Release', lib({ params: { id: 'partId' } }));
r('GET', '/inventory/value', 'inventory.Value', lib());
r('GET', '/inventory/verify', 'inventory.VerifyStock', lib());
r('GET', '/inventory/locations', 'inventory.ListLocations', lib());
r('POST', '/inventory/locations', 'inventory.CreateLocation', lib(C));
r('PATCH', '/inventory/locations/:id', 'inventory.UpdateLocation', lib());
r('GET', '/inventory/items', 'inventory.ListParts', s000());
r('POST', '/inventory/items', 'inventory.CreatePart', s000(C));
r('GET', '/inventory/items/:id', 'inventory.GetPart', s000());
r('PUT', '/inventory/items/:id', 'inventory.UpdatePart', s000());
r('GET', '/inventory/items/:id/movements', 'inventory.PartTransactions',
  s000({ params: { id: 'partId' } }));
r('POST', '/inventory/adjustments', 'inventory.AdjustStock', s000());
r('GET', '/inventory/alerts', 'inventory.LowStock', s000());

// ---- central inventory (seed 002 section 7.2) ---------------------------------------------------
r('GET', '/central-inventory', 'inventory.ListParts');
r('POST', '/central-inventory/parts', 'inventory.CreatePart', C);

// ---- suppliers ----------------------------------------------------------------------------------
r('POST', '/suppliers', 'suppliers.Create', lib(C));
r('GET', '/suppliers', 'suppliers.List', lib());
r('GET', '/suppliers/:id', 'suppliers.Get', lib());
r('PATCH', '/suppliers/:id', 'suppliers.Update', lib());
r('GET', '/inventory/suppliers', 'suppliers.List', s000());
r('POST', '/inventory/suppliers', 'suppliers.Create', s000(C));

// ---- purchase orders (seed 002 section 7.3, workflow 1; seed 000 4.4.3) -------------------------
r('POST', '/purchase-orders', 'purchaseOrders.Create', C);
r('GET', '/purchase-orders', 'purchaseOrders.List');
r('GET', '/purchase-orders/:id', 'purchaseOrders.Get', lib());
r('PATCH', '/purchase-orders/:id', 'purchaseOrders.Update', lib());
r('PATCH', '/purchase-orders/:id/submit', 'purchaseOrders.Submit');
r('PATCH', '/purchase-orders/:id/approve', 'purchaseOrders.Approve', { fromToken: ['approvedBy'] });
r('PATCH', '/purchase-orders/:id/reject', 'purchaseOrders.Reject', lib());
r('PATCH', '/purchase-orders/:id/mark-ordered', 'purchaseOrders.MarkOrdered', lib());
r('PATCH', '/purchase-orders/:id/cancel', 'purchaseOrders.Cancel', lib());
r('PATCH', '/purchase-orders/:id/receive', 'purchaseOrders.Receive', { fromToken: ['receivedBy'] });
r('POST', '/inventory/purchase-orders', 'purchaseOrders.Create', s000(C));
r('GET', '/inventory/purchase-orders', 'purchaseOrders.List', s000());
r('PUT', '/inventory/purchase-orders/:id', 'purchaseOrders.Update', s000());
r('PUT', '/inventory/purchase-orders/:id/approve', 'purchaseOrders.Approve', s000());
r('PUT', '/inventory/purchase-orders/:id/receive', 'purchaseOrders.Receive', s000());

// ---- parts issues (seed 002 section 7.4, workflow 2) --------------------------------------------
r('POST', '/parts-issues', 'partsIssues.Create', C);
r('GET', '/parts-issues', 'partsIssues.List');
r('GET', '/parts-issues/:id', 'partsIssues.Get', lib());
r('PATCH', '/parts-issues/:id/approve', 'partsIssues.Approve', { fromToken: ['approvedBy'] });
r('PATCH', '/parts-issues/:id/reject', 'partsIssues.Reject', lib());
r('PATCH', '/parts-issues/:id/cancel', 'partsIssues.Cancel', lib());
r('PATCH', '/parts-issues/:id/dispatch', 'partsIssues.Dispatch');
r('PATCH', '/parts-issues/:id/receive', 'partsIssues.Receive', { fromToken: ['receivedBy'] });

// ---- stock transfers between centers (seed 000 4.4.3) -------------------------------------------
r('POST', '/inventory/transfers', 'stockTransfers.Create', s000(C));
r('GET', '/inventory/transfers', 'stockTransfers.List', s000());
r('GET', '/inventory/transfers/:id', 'stockTransfers.Get', lib());
r('PUT', '/inventory/transfers/:id/approve', 'stockTransfers.Approve', s000());
r('PUT', '/inventory/transfers/:id/reject', 'stockTransfers.Reject', lib());
r('PUT', '/inventory/transfers/:id/cancel', 'stockTransfers.Cancel', lib());
r('PUT', '/inventory/transfers/:id/dispatch', 'stockTransfers.Dispatch', lib());
r('PUT', '/inventory/transfers/:id/receive', 'stockTransfers.Receive', lib());

// ---- invoices and payments (seed 002 workflow 4; seed 000 4.9.3) --------------------------------
r('POST', '/invoices', 'invoices.Create', {
  status: 201,
  // Seed 002 workflow 4 creates a job card's invoice with POST /api/invoices {jobCardId}.
  methods: ['invoices.Create', 'invoices.CreateFromJobCard'],
  select: (request) => (request.jobCardId !== undefined ? 'invoices.CreateFromJobCard'
    : 'invoices.Create'),
});
r('GET', '/invoices', 'invoices.List', s000());
r('GET', '/invoices/reports/outstanding', 'invoices.Overdue', s000());
r('POST', '/invoices/from-job-card/:jobCardId', 'invoices.CreateFromJobCard', s000(C));
r('POST', '/invoices/from-otc-order/:orderId', 'invoices.CreateFromCounterOrder', s000(C));
r('GET', '/invoices/:id', 'invoices.Get', s000());
r('PUT', '/invoices/:id', 'invoices.Update', s000());
r('PATCH', '/invoices/:id/status', 'invoices.RecordPayment', {
  // Seed 002 workflow 4: {"status": "PAID"} (amount and paymentMethod optional: the balance due,
  // "cash"); "FINALIZED" finalizes a draft, "CANCELLED" cancels it. See app.js invoiceStatus.
  methods: ['invoices.Finalize', 'invoices.RecordPayment', 'invoices.Cancel', 'invoices.Get'],
  composite: 'invoiceStatus',
});
r('PUT', '/invoices/:id/finalize', 'invoices.Finalize', s000());
r('POST', '/invoices/:id/payments', 'invoices.RecordPayment', s000(C));
r('PUT', '/invoices/:id/pay', 'invoices.RecordPayment', s000());
r('PUT', '/invoices/:id/cancel', 'invoices.Cancel', s000());
r('POST', '/invoices/:id/credit-note', 'invoices.CreditNote', lib(C));

// ---- sales (seed 000 4.5.3) -----------------------------------------------------------------------
r('POST', '/sales/leads', 'leads.Create', s000(C));
r('GET', '/sales/leads', 'leads.List', s000());
r('GET', '/sales/leads/follow-ups', 'leads.DueFollowUps', lib());
r('GET', '/sales/leads/:id', 'leads.Get', s000());
r('PUT', '/sales/leads/:id', 'leads.Update', s000());
r('POST', '/sales/leads/:id/notes', 'leads.AddNote', lib(C));
r('PUT', '/sales/leads/:id/contact', 'leads.Contact', lib());
r('PUT', '/sales/leads/:id/qualify', 'leads.Qualify', lib());
r('PUT', '/sales/leads/:id/lost', 'leads.MarkLost', lib());
r('POST', '/sales/quotations', 'quotations.Create', s000(C));
r('GET', '/sales/quotations', 'quotations.List', s000());
r('POST', '/sales/quotations/expire-due', 'quotations.ExpireDue', lib());
r('GET', '/sales/quotations/:id', 'quotations.Get', s000());
r('PUT', '/sales/quotations/:id', 'quotations.Update', s000());
r('PUT', '/sales/quotations/:id/approve', 'quotations.Approve', s000());
r('PUT', '/sales/quotations/:id/send', 'quotations.Send', s000());
r('PUT', '/sales/quotations/:id/accept', 'quotations.Accept', s000());
r('PUT', '/sales/quotations/:id/reject', 'quotations.Reject', lib());
r('POST', '/sales/otc-orders', 'counterOrders.Create', s000(C));
r('GET', '/sales/otc-orders', 'counterOrders.List', s000());
r('GET', '/sales/otc-orders/:id', 'counterOrders.Get', s000());
r('PUT', '/sales/otc-orders/:id/process', 'counterOrders.Process', s000());
r('PUT', '/sales/otc-orders/:id/ready', 'counterOrders.MarkReady', s000());
r('PUT', '/sales/otc-orders/:id/ship', 'counterOrders.Ship', lib());
r('PUT', '/sales/otc-orders/:id/deliver', 'counterOrders.Deliver', s000());
r('PUT', '/sales/otc-orders/:id/cancel', 'counterOrders.Cancel', lib());

// ---- admin (seed 000 4.14.2) --------------------------------------------------------------------
r('GET', '/admin/users', 'users.List', s000());
r('POST', '/admin/users', 'users.Create', s000(C));
r('GET', '/admin/users/:id', 'users.Get', lib());
r('PUT', '/admin/users/:id', 'users.Update', s000());
r('DELETE', '/admin/users/:id', 'users.Deactivate', s000());
r('PUT', '/admin/users/:id/activate', 'users.Activate', s000());
r('GET', '/admin/service-centers', 'serviceCenters.List', s000());
r('POST', '/admin/service-centers', 'serviceCenters.Create', s000(C));
r('GET', '/admin/service-centers/:id', 'serviceCenters.Get', lib());
r('PUT', '/admin/service-centers/:id', 'serviceCenters.Update', s000());
r('GET', '/service-centers', 'serviceCenters.List', lib());
r('GET', '/service-centers/:id', 'serviceCenters.Get', lib());
r('GET', '/admin/roles', 'roles.List', lib());
r('PUT', '/admin/roles/:role/permissions', 'roles.SetPermissions', lib());
r('GET', '/admin/audit-logs', 'auditLogs.List', s000());
r('GET', '/admin/audit-logs/verify', 'auditLogs.Verify', lib());
r('GET', '/admin/audit-logs/:id', 'auditLogs.Get', s000());

// ---- system ---------------------------------------------------------------------------------------
r('GET', '/system/version', 'system.Version', lib({ auth: false }));
r('GET', '/system/ping', 'system.Ping', lib());

// ---- notifications, reports, messages, jobs (issues 13 and 14) -------------------------------------
const notify = (options = {}) => s000(options);
r('GET', '/notifications', 'notifications.List', notify());
r('GET', '/notifications/unread-count', 'notifications.UnreadCount', notify({ seed: 'lib' }));
r('PUT', '/notifications/read-all', 'notifications.MarkAllRead', notify());
r('GET', '/notifications/preferences', 'notifications.GetPreferences', notify());
r('PUT', '/notifications/preferences', 'notifications.UpdatePreferences', notify());
r('GET', '/notifications/:id', 'notifications.Get', notify({ seed: 'lib' }));
r('PUT', '/notifications/:id/read', 'notifications.MarkRead', notify());
r('DELETE', '/notifications/:id', 'notifications.Delete', notify());
r('GET', '/dashboard/notifications', 'notifications.List', notify());
r('GET', '/admin/notification-templates', 'notificationTemplates.List', notify({ seed: 'lib' }));
r('PUT', '/admin/notification-templates', 'notificationTemplates.Update', notify({ seed: 'lib' }));

const reports = (options = {}) => ({ ...options });
r('GET', '/analytics/dashboard', 'analytics.Dashboard', reports());
r('GET', '/dashboard', 'analytics.Dashboard', reports({ seed: '000' }));
r('GET', '/dashboard/kpis', 'analytics.Dashboard', reports({ seed: '000' }));
r('GET', '/dashboard/layout', 'dashboards.GetLayout', reports({ seed: 'lib' }));
r('PUT', '/dashboard/layout', 'dashboards.SaveLayout', reports({ seed: '000' }));
r('GET', '/reports', 'reports.List', reports({ seed: 'lib' }));
r('GET', '/reports/revenue', 'reports.Run', reports({
  into: 'params', fixed: { name: 'financial.revenue_by_period' },
  rename: { dateFrom: 'from', dateTo: 'to' } }));
r('POST', '/reports/custom', 'reports.RunCustom', reports({ seed: '000' }));
r('GET', '/reports/run/:name', 'reports.Run', reports({ seed: 'lib', into: 'params',
                                                         rename: { dateFrom: 'from', dateTo: 'to' } }));

const deliver = (options = {}) => lib(options);
r('GET', '/admin/messages', 'messages.List', deliver());
r('POST', '/admin/messages/deliver', 'messages.DeliverBatch', deliver());
r('PUT', '/admin/messages/:id/retry', 'messages.Retry', deliver());

r('GET', '/reports/export/:name', 'reports.Export', reports({ seed: '000', into: 'params', keep: ['format'], download: true,
                                                              rename: { dateFrom: 'from', dateTo: 'to' } }));
r('POST', '/reports/monthly', 'reports.GenerateMonthly', lib(C));
r('GET', '/reports/files/:id', 'reports.GetFile', lib({ download: true }));
r('GET', '/invoices/:id/pdf', 'invoices.Pdf', s000({ download: true }));
r('PUT', '/invoices/:id/send', 'invoices.Send', s000());

r('GET', '/admin/jobs', 'jobs.List', lib());
r('GET', '/admin/jobs/runs', 'jobs.ListRuns', lib());
r('POST', '/admin/jobs/run-due', 'jobs.RunDue', lib());
r('GET', '/admin/jobs/:id', 'jobs.Get', lib());
r('PATCH', '/admin/jobs/:id', 'jobs.Update', lib());
r('GET', '/central-inventory/purchase-requests', 'purchaseRequests.List', lib());
r('GET', '/central-inventory/purchase-requests/:id', 'purchaseRequests.Get', lib());
r('POST', '/central-inventory/purchase-requests/reject', 'purchaseRequests.Reject', lib());
r('POST', '/central-inventory/purchase-requests/convert', 'purchaseRequests.Convert', lib(C));

// Library methods without a route, and why.
const EXCLUDED = {};

module.exports = { routes, EXCLUDED };
