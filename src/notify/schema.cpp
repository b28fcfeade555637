// The notifications module's tables (migrations 420-429): in-app notifications, the users'
// preferences per notification type and channel, and the message templates a dealer edits.
#include "storage/store.hpp"

namespace dms::notify {
namespace {

// A notification belongs to one user (user_id): only they list, read or delete it.
// service_center_id is the center of the event that caused it (none for group-wide events).
// Preferences hold only what a user changed; a missing row is the type's default
// (src/notify/catalog.cpp). Templates are keyed by type, channel (in_app: subject is the title,
// body the message; email; sms) and language; updated_at is NULL while a template is as seeded.
const storage::MigrationRegistration kTables({420, "notifications tables", R"SQL(
CREATE TABLE notifications (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  service_center_id TEXT,
  notification_type TEXT NOT NULL,
  title TEXT NOT NULL,
  message TEXT NOT NULL,
  type TEXT NOT NULL,
  category TEXT NOT NULL,
  related_entity_type TEXT,
  related_entity_id TEXT,
  action_url TEXT,
  event_id BIGINT,
  is_read BIGINT NOT NULL DEFAULT 0,
  read_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX idx_notifications_user ON notifications(user_id, is_read, created_at);
CREATE TABLE notification_preferences (
  user_id TEXT NOT NULL REFERENCES users(id),
  notification_type TEXT NOT NULL,
  channel TEXT NOT NULL,
  enabled BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, notification_type, channel)
);
CREATE TABLE notification_templates (
  notification_type TEXT NOT NULL,
  channel TEXT NOT NULL,
  language TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  updated_at BIGINT,
  updated_by TEXT,
  PRIMARY KEY (notification_type, channel, language)
)
)SQL"});

// The English templates. The temporary-password, reset-code and quotation texts are the ones the
// identity and sales modules sent before templates existed (the tests read them).
const storage::MigrationRegistration kEnglishTemplates({421, "notifications: English templates",
                                                        R"SQL(
INSERT INTO notification_templates (notification_type, channel, language, subject, body) VALUES
  ('temporary_password', 'email', 'en', 'Your DMS account', 'Hello {{firstName}},

An account was created for you.
Login: {{email}}
Temporary password: {{temporaryPassword}}

You will be asked to choose a new password when you first sign in.
'),
  ('temporary_password', 'sms', 'en', 'Your DMS account', 'DMS: your account is ready. Login: {{email}} or this phone. Temporary password: {{temporaryPassword}} (change it at first sign-in).'),
  ('password_reset', 'email', 'en', 'Reset your DMS password', 'A password reset was requested for your DMS account. Reset code: {{resetCode}}
It is valid for {{validMinutes}} minutes and works once. If you did not ask for it, ignore this message.'),
  ('password_reset', 'sms', 'en', 'Reset your DMS password', 'A password reset was requested for your DMS account. Reset code: {{resetCode}}
It is valid for {{validMinutes}} minutes and works once. If you did not ask for it, ignore this message.'),
  ('quotation', 'email', 'en', 'Quotation {{quotationNumber}}', 'Dear {{customerName}}, your quotation {{quotationNumber}} for INR {{amount}} is valid until {{validUntil}}.'),
  ('quotation', 'sms', 'en', 'Quotation {{quotationNumber}}', 'Dear {{customerName}}, your quotation {{quotationNumber}} for INR {{amount}} is valid until {{validUntil}}.'),
  ('user_created', 'in_app', 'en', 'New user {{userName}}', '{{userName}} was given an account with the role {{role}}.'),
  ('user_created', 'email', 'en', 'DMS: new user {{userName}}', 'Hello {{recipientName}}, {{userName}} was given an account with the role {{role}}.'),
  ('service_request_approval_needed', 'in_app', 'en', 'Service request {{requestNumber}} needs approval', 'The service request {{requestNumber}} of {{customerName}} waits for your approval.'),
  ('service_request_approval_needed', 'email', 'en', 'DMS: service request {{requestNumber}} needs approval', 'Hello {{recipientName}}, the service request {{requestNumber}} of {{customerName}} waits for your approval.'),
  ('service_request_approved', 'in_app', 'en', 'Service request {{requestNumber}} approved', 'The service request {{requestNumber}} of {{customerName}} was approved.'),
  ('service_request_approved', 'email', 'en', 'Your service request {{requestNumber}} is approved', 'Dear {{customerName}}, your service request {{requestNumber}} has been approved. We will contact you to schedule it.'),
  ('service_request_approved', 'sms', 'en', 'Service request approved', 'Dear {{customerName}}, your service request {{requestNumber}} has been approved. We will contact you to schedule it.'),
  ('service_request_rejected', 'in_app', 'en', 'Service request {{requestNumber}} rejected', 'The service request {{requestNumber}} of {{customerName}} was rejected: {{reason}}'),
  ('service_request_rejected', 'email', 'en', 'Your service request {{requestNumber}}', 'Dear {{customerName}}, we are sorry: your service request {{requestNumber}} could not be accepted ({{reason}}).'),
  ('service_request_rejected', 'sms', 'en', 'Service request', 'Dear {{customerName}}, we are sorry: your service request {{requestNumber}} could not be accepted ({{reason}}).'),
  ('job_card_assigned', 'in_app', 'en', 'Job card {{jobCardNumber}} assigned to you', 'You are the engineer of job card {{jobCardNumber}}.'),
  ('job_card_assigned', 'email', 'en', 'DMS: job card {{jobCardNumber}} assigned to you', 'Hello {{recipientName}}, you are the engineer of job card {{jobCardNumber}}.'),
  ('job_card_assigned', 'sms', 'en', 'Job card assigned', 'DMS: job card {{jobCardNumber}} is assigned to you.'),
  ('parts_not_available', 'in_app', 'en', 'Part {{partNumber}} not in stock', 'Job card {{jobCardNumber}} needs {{requestedQuantity}} of {{partNumber}} ({{partName}}); the store has {{availableQuantity}}.'),
  ('parts_not_available', 'email', 'en', 'DMS: part {{partNumber}} not in stock', 'Hello {{recipientName}}, job card {{jobCardNumber}} needs {{requestedQuantity}} of {{partNumber}} ({{partName}}); the store has {{availableQuantity}}.'),
  ('parts_not_available', 'sms', 'en', 'Part not in stock', 'DMS: job card {{jobCardNumber}} needs {{requestedQuantity}} of {{partNumber}}; the store has {{availableQuantity}}.'),
  ('parts_arrived', 'in_app', 'en', 'Part {{partNumber}} arrived', 'The part {{partNumber}} ({{partName}}) you were waiting for has arrived at the store.'),
  ('parts_arrived', 'email', 'en', 'DMS: part {{partNumber}} arrived', 'Hello {{recipientName}}, the part {{partNumber}} ({{partName}}) you were waiting for has arrived at the store.'),
  ('parts_arrived', 'sms', 'en', 'Part arrived', 'DMS: the part {{partNumber}} you were waiting for has arrived at the store.'),
  ('invoice_generated', 'email', 'en', 'Invoice {{invoiceNumber}}', 'Dear {{customerName}}, your invoice {{invoiceNumber}} for INR {{amount}} is ready. Thank you for your business.'),
  ('invoice_generated', 'sms', 'en', 'Invoice {{invoiceNumber}}', 'Dear {{customerName}}, your invoice {{invoiceNumber}} for INR {{amount}} is ready.'),
  ('payment_received', 'email', 'en', 'Payment received for invoice {{invoiceNumber}}', 'Dear {{customerName}}, we received your payment of INR {{amount}} for invoice {{invoiceNumber}}. Balance due: INR {{balance}}.'),
  ('payment_received', 'sms', 'en', 'Payment received', 'Dear {{customerName}}, we received INR {{amount}} for invoice {{invoiceNumber}}. Balance due: INR {{balance}}.'),
  ('payment_reminder', 'email', 'en', 'Payment reminder: invoice {{invoiceNumber}}', 'Dear {{customerName}}, INR {{amount}} of invoice {{invoiceNumber}} is {{daysOverdue}} days overdue. Please pay at your earliest convenience.'),
  ('payment_reminder', 'sms', 'en', 'Payment reminder', 'Dear {{customerName}}, INR {{amount}} of invoice {{invoiceNumber}} is {{daysOverdue}} days overdue.'),
  ('feedback_requested', 'email', 'en', 'How was your service', 'Dear {{customerName}}, thank you for choosing us for job card {{jobCardNumber}}. Tell us how we did: {{feedbackUrl}}'),
  ('feedback_requested', 'sms', 'en', 'Feedback', 'Dear {{customerName}}, tell us how we did on job card {{jobCardNumber}}: {{feedbackUrl}}'),
  ('complaint_registered', 'in_app', 'en', 'Complaint {{complaintNumber}} registered', '{{customerName}}: {{subject}}'),
  ('complaint_registered', 'email', 'en', 'Your complaint {{complaintNumber}}', 'Dear {{customerName}}, your complaint {{complaintNumber}} ({{subject}}) is registered. We will get back to you.'),
  ('complaint_registered', 'sms', 'en', 'Complaint registered', 'Dear {{customerName}}, your complaint {{complaintNumber}} is registered. We will get back to you.'),
  ('report_generated', 'in_app', 'en', 'Report {{reportName}} ready', 'The report {{reportName}} for {{period}} was generated.'),
  ('report_generated', 'email', 'en', 'DMS: report {{reportName}} ready', 'Hello {{recipientName}}, the report {{reportName}} for {{period}} was generated.'),
  ('purchase_request_created', 'in_app', 'en', 'Purchase request for {{partNumber}}', 'Stock of {{partNumber}} ({{partName}}) is low: buy {{suggestedQuantity}}.'),
  ('purchase_request_created', 'email', 'en', 'DMS: purchase request for {{partNumber}}', 'Hello {{recipientName}}, stock of {{partNumber}} ({{partName}}) is low: buy {{suggestedQuantity}}.')
)SQL"});

// Everyone reads and manages their own notifications; templates are the admin's ("*").
const storage::MigrationRegistration kPermissions({422, "notifications: permission defaults",
                                                   R"SQL(
INSERT INTO role_permissions (role, permission)
  SELECT name, 'notifications:read' FROM roles WHERE name <> 'admin';
INSERT INTO role_permissions (role, permission)
  SELECT name, 'notifications:update' FROM roles WHERE name <> 'admin'
)SQL"});

}  // namespace
}  // namespace dms::notify
