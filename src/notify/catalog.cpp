#include "notify/catalog.hpp"

#include <algorithm>

namespace dms::notify {
namespace {

std::vector<std::string> split_names(const char* list) {
  std::vector<std::string> out;
  std::string current;
  for (const char* p = list; *p != '\0'; ++p) {
    if (*p == ',') {
      if (!current.empty()) out.push_back(current);
      current.clear();
    } else {
      current.push_back(*p);
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

// clang-format off
// name, description, category, severity, placeholders, required,
//   staff may (in_app, email, sms), staff default (in_app, email, sms), direct, secret
const std::vector<NotificationType> kTypes = {
    {"complaint_registered", "a customer complaint was registered", "request", "warning",
     "recipientName,customerName,complaintNumber,subject", "",
     true, false, false, true, false, false, false, false},
    {"feedback_requested", "the customer is asked for feedback on a service", "request", "info",
     "recipientName,customerName,jobCardNumber,feedbackUrl", "",
     false, false, false, false, false, false, false, false},
    {"invoice_generated", "an invoice was finalized (the customer is told the amount)", "invoice", "info",
     "recipientName,customerName,invoiceNumber,amount", "",
     false, false, false, false, false, false, false, false},
    {"job_card_assigned", "a job card was assigned to you", "job_card", "info",
     "recipientName,jobCardNumber,engineerName", "",
     true, true, true, true, true, false, false, false},
    {"parts_arrived", "parts your job card waited for arrived at the store", "inventory", "success",
     "recipientName,jobCardNumber,partNumber,partName", "",
     true, true, true, true, false, false, false, false},
    {"parts_not_available", "parts requested for a job card are not in stock", "inventory", "warning",
     "recipientName,jobCardNumber,partNumber,partName,requestedQuantity,availableQuantity", "",
     true, true, true, true, false, false, false, false},
    {"password_reset", "a password reset code (always sent)", "system", "info",
     "recipientName,firstName,resetCode,validMinutes", "resetCode",
     false, false, false, false, false, false, true, true},
    {"payment_received", "a payment was recorded (the customer is told)", "invoice", "success",
     "recipientName,customerName,invoiceNumber,amount,balance", "",
     false, false, false, false, false, false, false, false},
    {"payment_reminder", "an invoice is overdue (the customer is reminded)", "invoice", "warning",
     "recipientName,customerName,invoiceNumber,amount,daysOverdue", "",
     false, false, false, false, false, false, false, false},
    {"purchase_request_created", "the low-stock scan suggests buying a part", "inventory", "info",
     "recipientName,partNumber,partName,suggestedQuantity", "",
     true, true, false, true, false, false, false, false},
    {"quotation", "a quotation sent to a customer (always sent)", "request", "info",
     "recipientName,customerName,quotationNumber,amount,validUntil", "",
     false, false, false, false, false, false, true, false},
    {"report_generated", "a report was generated", "system", "info",
     "recipientName,reportName,period", "",
     true, true, false, true, true, false, false, false},
    {"service_request_approval_needed", "a service request waits for approval", "approval", "approval",
     "recipientName,customerName,requestNumber", "",
     true, true, false, true, false, false, false, false},
    {"service_request_approved", "a service request was approved", "request", "success",
     "recipientName,customerName,requestNumber", "",
     true, false, false, true, false, false, false, false},
    {"service_request_rejected", "a service request was rejected", "request", "warning",
     "recipientName,customerName,requestNumber,reason", "",
     true, false, false, true, false, false, false, false},
    {"temporary_password", "a new account's temporary password (always sent)", "system", "info",
     "recipientName,firstName,email,temporaryPassword", "temporaryPassword",
     false, false, false, false, false, false, true, true},
    {"user_created", "a user account was created", "system", "info",
     "recipientName,userName,role", "",
     true, true, false, true, false, false, false, false},
};
// clang-format on

}  // namespace

const char* delivery_name(Delivery d) {
  switch (d) {
    case Delivery::kInApp:
      return "in_app";
    case Delivery::kEmail:
      return "email";
    case Delivery::kSms:
      return "sms";
  }
  return "in_app";
}

std::optional<Delivery> parse_delivery(std::string_view name) {
  for (Delivery d : kDeliveries) {
    if (name == delivery_name(d)) return d;
  }
  return std::nullopt;
}

bool NotificationType::staff_may(Delivery d) const {
  return d == Delivery::kInApp ? staff_in_app : d == Delivery::kEmail ? staff_email : staff_sms;
}

bool NotificationType::default_for(Delivery d) const {
  if (!staff_may(d)) return false;
  return d == Delivery::kInApp   ? default_in_app
         : d == Delivery::kEmail ? default_email
                                 : default_sms;
}

std::vector<std::string> NotificationType::placeholder_names() const {
  return split_names(placeholders);
}
std::vector<std::string> NotificationType::required_names() const {
  return split_names(required);
}

const std::vector<NotificationType>& notification_types() {
  return kTypes;
}

const NotificationType* find_notification_type(std::string_view name) {
  const auto it = std::find_if(kTypes.begin(), kTypes.end(),
                               [&](const NotificationType& t) { return name == t.name; });
  return it == kTypes.end() ? nullptr : &*it;
}

}  // namespace dms::notify
