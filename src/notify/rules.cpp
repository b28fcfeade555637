#include "notify/rules.hpp"

#include <set>

#include "dms/error.hpp"
#include "events/outbox.hpp"
#include "notify/catalog.hpp"
#include "notify/messages.hpp"
#include "notify/notifications.hpp"
#include "notify/templates.hpp"
#include "workshop/billing_api.hpp"
#include "workshop/stock_link.hpp"

namespace dms::notify {
namespace {

using identity::HolderScope;
constexpr auto kUser = AudienceKind::kPayloadUser;
constexpr auto kRole = AudienceKind::kRoleAtCenter;
constexpr auto kHolders = AudienceKind::kPermission;
constexpr auto kCustomer = AudienceKind::kCustomer;

// clang-format off
const std::vector<Rule> kRules = {
    {"user.created", "user_created",
     {{kHolders, "users:update", HolderScope::kCenterAndGroup}},
     "user", "userId", "/users/{{userId}}", "userId"},
    {"service_request.approval_needed", "service_request_approval_needed",
     {{kHolders, "service_requests:approve", HolderScope::kCenterAndGroup}},
     "service_request", "serviceRequestId", "/service-requests/{{serviceRequestId}}"},
    {"service_request.approved", "service_request_approved",
     {{kUser, "requestedBy"}, {kCustomer, "customerId"}},
     "service_request", "serviceRequestId", "/service-requests/{{serviceRequestId}}"},
    {"service_request.rejected", "service_request_rejected",
     {{kUser, "requestedBy"}, {kCustomer, "customerId"}},
     "service_request", "serviceRequestId", "/service-requests/{{serviceRequestId}}"},
    {"job_card.assigned", "job_card_assigned",
     {{kUser, "engineerId"}},
     "job_card", "jobCardId", "/job-cards/{{jobCardId}}"},
    {"parts.not_available", "parts_not_available",
     {{kUser, "engineerUserId"}, {kHolders, "parts_requests:approve", HolderScope::kCenter}},
     "job_card", "jobCardId", "/job-cards/{{jobCardId}}"},
    {"parts.arrived", "parts_arrived",
     {{kUser, "engineerUserId"}},
     "job_card", "jobCardId", "/job-cards/{{jobCardId}}"},
    {"invoice.generated", "invoice_generated",
     {{kCustomer, "customerId"}},
     "invoice", "invoiceId", "/invoices/{{invoiceId}}"},
    {"payment.received", "payment_received",
     {{kCustomer, "customerId"}},
     "invoice", "invoiceId", "/invoices/{{invoiceId}}"},
    {"invoice.payment_reminder", "payment_reminder",
     {{kCustomer, "customerId"}},
     "invoice", "invoiceId", "/invoices/{{invoiceId}}"},
    {"feedback.requested", "feedback_requested",
     {{kCustomer, "customerId"}},
     "job_card", "jobCardId", "/job-cards/{{jobCardId}}"},
    {"complaint.registered", "complaint_registered",
     {{kRole, "sc_manager"}, {kCustomer, "customerId"}},
     "complaint", "complaintId", "/complaints/{{complaintId}}"},
    {"report.generated", "report_generated",
     {{kHolders, "reports:read", HolderScope::kCenterAndGroup}},
     "report", "reportName", "/reports"},
    {"purchase_request.created", "purchase_request_created",
     {{kHolders, "purchase_orders:create", HolderScope::kGroup}},
     "purchase_request", "purchaseRequestId", "/purchase-requests/{{purchaseRequestId}}"},
};
// clang-format on

constexpr const char* kLanguage = "en";  // users and customers have no language yet

std::string text_of(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump();
}

std::optional<std::string> payload_text(const Json& payload, const char* key) {
  if (key == nullptr || *key == '\0' || !payload.is_object()) return std::nullopt;
  const auto it = payload.find(key);
  if (it == payload.end() || it->is_null()) return std::nullopt;
  const std::string text = text_of(*it);
  if (text.empty()) return std::nullopt;
  return text;
}

// The values every template of the event may use: the payload's, and a few looked up.
Values event_values(storage::Transaction& tx, const events::Emitted& event,
                    std::optional<workshop::CustomerContact>& customer) {
  Values values;
  if (event.payload.is_object()) {
    for (const auto& [key, value] : event.payload.items()) {
      if (!value.is_object() && !value.is_array()) values[key] = text_of(value);
    }
  }
  if (auto id = payload_text(event.payload, "customerId")) {
    customer = workshop::find_customer_contact(tx, *id);
    if (customer) values.emplace("customerName", customer->name);
  }
  if (auto part_id = payload_text(event.payload, "partId");
      part_id && !values.count("partNumber")) {
    try {
      const workshop::CatalogPart part = workshop::load_catalog_part(tx, *part_id, "partId");
      values["partNumber"] = part.part_number;
      values["partName"] = part.name;
    } catch (const Error&) {  // an unknown part: the text says less, the event still commits
    }
  }
  for (const char* key : {"amount", "grandTotal", "balanceDue"}) {
    if (auto amount = payload_text(event.payload, key)) {
      values.emplace("amount", *amount);
      break;
    }
  }
  return values;
}

std::vector<identity::Recipient> staff_of(storage::Transaction& tx, const Rule& rule,
                                          const events::Emitted& event,
                                          const std::optional<std::string>& center) {
  std::vector<identity::Recipient> out;
  std::set<std::string> seen;
  if (auto skipped = payload_text(event.payload, rule.skip_key)) seen.insert(*skipped);
  const auto add = [&](identity::Recipient r) {
    if (seen.insert(r.user_id).second) out.push_back(std::move(r));
  };
  for (const Audience& a : rule.audiences) {
    switch (a.kind) {
      case AudienceKind::kPayloadUser:
        if (auto id = payload_text(event.payload, a.key)) {
          if (auto r = identity::active_recipient(tx, *id)) add(std::move(*r));
        }
        break;
      case AudienceKind::kRoleAtCenter:
        if (center) {
          for (auto& r : identity::active_users_with_role(tx, a.key, *center)) add(std::move(r));
        }
        break;
      case AudienceKind::kPermission:
        for (auto& r : identity::active_permission_holders(tx, a.key, a.scope, center)) {
          add(std::move(r));
        }
        break;
      case AudienceKind::kCustomer:
        break;
    }
  }
  return out;
}

// The type's templates, loaded once per event.
struct Templates {
  std::optional<Rendered> by_channel[3];
  const std::optional<Rendered>& of(Delivery d) const { return by_channel[static_cast<int>(d)]; }
};

void send(storage::Transaction& tx, const Context& ctx, const NotificationType& type,
          const Templates& templates, Delivery channel, const std::string& recipient,
          const std::optional<std::string>& user_id, const Values& values) {
  const auto& text = templates.of(channel);
  if (recipient.empty() || !text) return;
  Message m;
  m.channel = channel == Delivery::kSms ? ChannelKind::kSms : ChannelKind::kEmail;
  m.recipient = recipient;
  m.subject = render_text(text->subject, values);
  m.body = render_text(text->body, values);
  m.purpose = type.name;
  m.user_id = user_id;
  enqueue(tx, ctx, m);
}

void run_rule(storage::Transaction& tx, const Context& ctx, const Rule& rule,
              const events::Emitted& event) {
  const NotificationType* type = find_notification_type(rule.notification_type);
  if (type == nullptr) return;  // a rule names a catalogued type (tests/unit checks it)
  std::optional<std::string> center = event.service_center_id;
  if (!center || center->empty()) center = payload_text(event.payload, "serviceCenterId");
  std::optional<workshop::CustomerContact> customer;
  Values values = event_values(tx, event, customer);

  const std::vector<identity::Recipient> staff = staff_of(tx, rule, event, center);
  std::vector<std::string> ids;
  for (const auto& r : staff) ids.push_back(r.user_id);
  const auto channels = enabled_channels(tx, *type, ids);
  Templates templates;
  for (Delivery d : kDeliveries) {
    templates.by_channel[static_cast<int>(d)] = find_template(tx, type->name, d, kLanguage);
  }
  for (const auto& r : staff) {
    values["recipientName"] = r.first_name;
    const auto it = channels.find(r.user_id);
    if (it == channels.end()) continue;
    for (Delivery d : it->second) {
      if (d == Delivery::kInApp) {
        const auto& text = templates.of(Delivery::kInApp);
        if (!text) continue;
        NotificationDraft draft;
        draft.user_id = r.user_id;
        draft.service_center_id = center;
        draft.type = type;
        draft.title = render_text(text->subject, values);
        draft.message = render_text(text->body, values);
        if (*rule.entity_type != '\0') {
          draft.related_entity_type = rule.entity_type;
          draft.related_entity_id = payload_text(event.payload, rule.entity_id_key);
        }
        if (*rule.action_url != '\0') draft.action_url = render_text(rule.action_url, values);
        draft.event_id = event.id;
        create_notification(tx, ctx, draft);
      } else {
        send(tx, ctx, *type, templates, d, d == Delivery::kEmail ? r.email : r.phone, r.user_id,
             values);
      }
    }
  }

  bool tells_customer = false;
  for (const Audience& a : rule.audiences) tells_customer = tells_customer || a.kind == kCustomer;
  if (tells_customer && customer) {
    values["recipientName"] = customer->name;
    const bool by_email = customer->email && !customer->email->empty();
    send(tx, ctx, *type, templates, by_email ? Delivery::kEmail : Delivery::kSms,
         by_email ? *customer->email : customer->phone, std::nullopt, values);
  }
}

void on_event(storage::Transaction& tx, const Context& ctx, const events::Emitted& event) {
  for (const Rule& rule : kRules) {
    if (event.type == rule.event_type) run_rule(tx, ctx, rule, event);
  }
}

const events::ListenerRegistration kListener("notification rules", on_event);

}  // namespace

const std::vector<Rule>& notification_rules() {
  return kRules;
}

}  // namespace dms::notify
