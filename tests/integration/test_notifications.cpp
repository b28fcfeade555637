// Notifications (issue 13, items 1-3): the rules' audiences, preferences, the in-app methods and
// their isolation between users, the templates and their strict checking, and secrets kept out
// of everything but their own messages. On both engines.
#include <catch2/catch.hpp>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engines.hpp"
#include "events/outbox.hpp"
#include "notify/catalog.hpp"
#include "notify/rules.hpp"
#include "notify/templates.hpp"
#include "workshop_fixture.hpp"

namespace dms {
namespace {

using test::WorkshopFixture;

class NotifyWorld : public WorkshopFixture {
 public:
  explicit NotifyWorld(storage::Engine engine) : WorkshopFixture(engine) {}

  Json notifications(const Context& ctx, Json request = Json::object()) {
    return call(ctx, "notifications.List", request)["data"];
  }

  std::vector<Json> of_type(const Context& ctx, const std::string& type) {
    std::vector<Json> out;
    for (const Json& n : notifications(ctx, {{"notificationType", type}, {"limit", 100}})) {
      out.push_back(n);
    }
    return out;
  }

  // Messages queued for `recipient` of `purpose`.
  std::vector<test::SentMessage> messages_to(const std::string& recipient,
                                             const std::string& purpose) {
    return db->impl().store->read([&](storage::Transaction& tx) {
      std::vector<test::SentMessage> out;
      for (const auto& row : tx.query("SELECT * FROM outbound_messages WHERE recipient = ? AND "
                                      "purpose = ? ORDER BY id",
                                      {recipient, purpose})) {
        out.push_back({row.str("channel"), row.str("recipient"), row.str("subject"),
                       row.str("body"), row.str("purpose")});
      }
      return out;
    });
  }

  std::string email_of(const Context& ctx) {
    return call(system, "users.Get", {{"id", ctx.user_id}})["email"];
  }

  // An event as the jobs or exports module would emit it, in a transaction of its own.
  void emit(const std::string& type, const Json& payload,
            const std::optional<std::string>& center = std::nullopt) {
    db->impl().store->write(
        [&](storage::Transaction& tx) { events::emit(tx, system, type, payload, center); });
  }

  std::string create_part(const std::string& number) {
    return call(system, "inventory.CreatePart",
                {{"partNumber", number},
                 {"name", "Part " + number},
                 {"hsnCode", "87083000"},
                 {"gstRate", "18"},
                 {"costPrice", "100.00"},
                 {"unitPrice", "200.00"},
                 {"unit", "piece"}})["id"];
  }
};

TEST_CASE("notifications: job card assigned reaches the engineer, honouring preferences") {
  NotifyWorld w(GENERATE(dms::test::engines()));
  INFO("engine: " << w.database.engine_name());
  const Json jc = w.job_card_in("ASSIGNED");
  const auto mine = w.of_type(w.engineer, "job_card_assigned");
  REQUIRE(mine.size() == 1);
  CHECK(mine[0]["title"] ==
        "Job card " + jc["jobCardNumber"].get<std::string>() + " assigned to you");
  CHECK(mine[0]["relatedEntityType"] == "job_card");
  CHECK(mine[0]["relatedEntityId"] == jc["id"]);
  CHECK(mine[0]["actionUrl"] == "/job-cards/" + jc["id"].get<std::string>());
  CHECK(mine[0]["type"] == "info");
  CHECK(mine[0]["category"] == "job_card");
  CHECK(mine[0]["isRead"] == false);
  CHECK(w.of_type(w.second_engineer, "job_card_assigned").empty());
  // E-mail is on by default for this type; SMS is off.
  CHECK(w.messages_to(w.email_of(w.engineer), "job_card_assigned").size() == 1);
  CHECK(w.count("SELECT COUNT(*) FROM outbound_messages WHERE purpose = 'job_card_assigned' AND "
                "channel = 'sms'") == 0);
  // The real-time feed carries it.
  CHECK(w.count("SELECT COUNT(*) FROM outbox_events WHERE type = 'notification.created' AND "
                "payload LIKE ?",
                {"%" + mine[0]["id"].get<std::string>() + "%"}) == 1);

  // The second engineer turns e-mail off and SMS on: in-app and SMS, no e-mail.
  const Json prefs = w.call(
      w.second_engineer, "notifications.UpdatePreferences",
      {{"preferences",
        {{{"notificationType", "job_card_assigned"}, {"channel", "email"}, {"enabled", false}},
         {{"notificationType", "job_card_assigned"}, {"channel", "sms"}, {"enabled", true}}}}});
  int changed = 0;
  for (const Json& p : prefs["preferences"]) {
    if (p["notificationType"] != "job_card_assigned") continue;
    if (p["channel"] == "email") CHECK(p["enabled"] == false);
    if (p["channel"] == "sms") CHECK(p["enabled"] == true);
    if (p["channel"] == "in_app") CHECK(p["isDefault"] == true);
    if (p["channel"] != "in_app") {
      CHECK(p["isDefault"] == false);
      ++changed;
    }
  }
  CHECK(changed == 2);
  CHECK(w.call(w.second_engineer, "notifications.GetPreferences") == prefs);
  const Json other = w.job_card();
  w.call(w.manager, "jobCards.AssignEngineer",
         {{"id", other["id"]}, {"engineerId", w.second_engineer.user_id}});
  CHECK(w.of_type(w.second_engineer, "job_card_assigned").size() == 1);
  CHECK(w.messages_to(w.email_of(w.second_engineer), "job_card_assigned").empty());
  const std::string phone =
      w.call(w.system, "users.Get", {{"id", w.second_engineer.user_id}})["phone"];
  CHECK(w.messages_to(phone, "job_card_assigned").size() == 1);

  // In-app off too: nothing at all.
  w.call(
      w.engineer, "notifications.UpdatePreferences",
      {{"preferences",
        {{{"notificationType", "job_card_assigned"}, {"channel", "in_app"}, {"enabled", false}},
         {{"notificationType", "job_card_assigned"}, {"channel", "email"}, {"enabled", false}}}}});
  const Json third = w.job_card();
  w.call(w.manager, "jobCards.AssignEngineer",
         {{"id", third["id"]}, {"engineerId", w.engineer_id}});
  CHECK(w.of_type(w.engineer, "job_card_assigned").size() == 1);
  CHECK(w.messages_to(w.email_of(w.engineer), "job_card_assigned").size() == 1);
}

TEST_CASE("notifications: list, count, mark read, mark all read and delete are the user's own") {
  NotifyWorld w(GENERATE(dms::test::engines()));
  INFO("engine: " << w.database.engine_name());
  for (int i = 0; i < 3; ++i) w.job_card_in("ASSIGNED");
  w.clock.advance_seconds(60);
  w.emit("report.generated", {{"reportName", "Monthly sales"}, {"period", "2025-05"}}, w.center_id);
  const Json all = w.call(w.engineer, "notifications.List");
  REQUIRE(all["data"].size() == 3);
  CHECK(all["pagination"]["total"] == 3);
  CHECK(w.call(w.engineer, "notifications.UnreadCount")["count"] == 3);
  CHECK(w.call(w.engineer, "notifications.UnreadCount", {{"category", "system"}})["count"] == 0);
  CHECK(w.call(w.manager, "notifications.UnreadCount", {{"category", "system"}})["count"] == 1);

  const std::string first = all["data"][2]["id"];
  const Json read = w.call(w.engineer, "notifications.MarkRead", {{"id", first}});
  CHECK(read["isRead"] == true);
  CHECK(read["readAt"].is_string());
  CHECK(w.call(w.engineer, "notifications.Get", {{"id", first}}) == read);
  // Unread first, then newest first.
  const Json sorted = w.call(w.engineer, "notifications.List")["data"];
  CHECK(sorted[2]["id"] == first);
  CHECK(w.notifications(w.engineer, {{"isRead", false}}).size() == 2);
  CHECK(w.notifications(w.engineer, {{"filter", {{"isRead", true}}}}).size() == 1);
  CHECK(w.notifications(w.engineer, {{"category", "job_card"}}).size() == 3);
  CHECK(w.notifications(w.engineer, {{"type", "warning"}}).empty());
  CHECK(
      w.notifications(w.engineer, {{"filter", {{"createdAt", {{"gte", "2025-06-02"}}}}}}).size() ==
      3);
  CHECK(w.notifications(w.engineer, {{"filter", {{"createdAt", {{"lt", "2025-06-02"}}}}}}).empty());
  CHECK(w.call(w.engineer, "notifications.UnreadCount")["count"] == 2);

  // Another user's notification does not exist for them.
  CHECK_CODE(w.call(w.second_engineer, "notifications.Get", {{"id", first}}), ErrorCode::kNotFound);
  CHECK_CODE(w.call(w.second_engineer, "notifications.MarkRead", {{"id", first}}),
             ErrorCode::kNotFound);
  CHECK_CODE(w.call(w.other_manager, "notifications.Delete", {{"id", first}}),
             ErrorCode::kNotFound);
  CHECK(w.call(w.second_engineer, "notifications.List")["data"].empty());
  CHECK(w.call(w.second_engineer, "notifications.MarkAllRead")["updated"] == 0);
  CHECK(w.call(w.engineer, "notifications.UnreadCount")["count"] == 2);

  CHECK(w.call(w.engineer, "notifications.MarkAllRead", {{"category", "system"}})["updated"] == 0);
  CHECK(w.call(w.engineer, "notifications.MarkAllRead")["updated"] == 2);
  CHECK(w.call(w.engineer, "notifications.UnreadCount")["count"] == 0);
  CHECK(w.call(w.manager, "notifications.UnreadCount")["count"] == 1);  // the manager's untouched

  CHECK(w.call(w.engineer, "notifications.Delete", {{"id", first}})["message"] ==
        "Notification deleted");
  CHECK_CODE(w.call(w.engineer, "notifications.Get", {{"id", first}}), ErrorCode::kNotFound);
  CHECK_CODE(w.call(w.engineer, "notifications.Delete", {{"id", first}}), ErrorCode::kNotFound);
  CHECK(w.call(w.engineer, "notifications.List")["data"].size() == 2);
  CHECK(w.count("SELECT COUNT(*) FROM audit_logs WHERE entity_type = 'notification' AND "
                "action = 'DELETE'") == 1);

  // Bad input: coded errors, nothing changed.
  const auto bad_preference = [&](Json item) {
    return w.call(w.engineer, "notifications.UpdatePreferences", {{"preferences", {item}}});
  };
  CHECK_CODE(
      bad_preference({{"notificationType", "no_such"}, {"channel", "email"}, {"enabled", true}}),
      ErrorCode::kValidation);
  CHECK_CODE(
      bad_preference(
          {{"notificationType", "temporary_password"}, {"channel", "email"}, {"enabled", false}}),
      ErrorCode::kValidation);
  CHECK_CODE(bad_preference({{"notificationType", "service_request_approved"},
                             {"channel", "sms"},
                             {"enabled", true}}),
             ErrorCode::kValidation);
  CHECK_CODE(
      bad_preference(
          {{"notificationType", "job_card_assigned"}, {"channel", "fax"}, {"enabled", true}}),
      ErrorCode::kValidation);
  CHECK_CODE(bad_preference({{"notificationType", "job_card_assigned"}, {"channel", "sms"}}),
             ErrorCode::kValidation);
  CHECK(w.count("SELECT COUNT(*) FROM notification_preferences") == 0);
  CHECK_CODE(w.call(w.engineer, "notifications.List", {{"filter", {{"userId", "x"}}}}),
             ErrorCode::kValidation);
  CHECK_CODE(w.call(w.system, "notifications.List"), ErrorCode::kUnauthenticated);
}

TEST_CASE("notifications: each rule reaches its audience") {
  NotifyWorld w(GENERATE(dms::test::engines()));
  INFO("engine: " << w.database.engine_name());
  const Json customer = w.customer();
  const std::string customer_email = customer["email"];
  const Json vehicle = w.vehicle(customer["id"]);

  SECTION("service requests: approval needed, approved, rejected") {
    const auto create = [&] {
      return w.call(w.advisor, "serviceRequests.Create",
                    {{"customerId", customer["id"]},
                     {"vehicleId", vehicle["id"]},
                     {"requestType", "service"},
                     {"serviceType", "regular"}});
    };
    const Json sr = create();
    const auto needed = w.of_type(w.manager, "service_request_approval_needed");
    REQUIRE(needed.size() == 1);
    CHECK(needed[0]["type"] == "approval");
    CHECK(needed[0]["message"].get<std::string>().find(customer["name"].get<std::string>()) !=
          std::string::npos);
    CHECK(w.of_type(w.other_manager, "service_request_approval_needed").empty());
    CHECK(w.of_type(w.engineer, "service_request_approval_needed").empty());

    w.call(w.manager, "serviceRequests.Approve", {{"id", sr["id"]}});
    CHECK(w.of_type(w.advisor, "service_request_approved").size() == 1);  // the requester
    const auto approved = w.messages_to(customer_email, "service_request_approved");
    REQUIRE(approved.size() == 1);
    CHECK(approved[0].body.find(sr["requestNumber"].get<std::string>()) != std::string::npos);

    const Json second = create();
    w.call(w.manager, "serviceRequests.Reject", {{"id", second["id"]}, {"reason", "no slot"}});
    const auto rejected = w.of_type(w.advisor, "service_request_rejected");
    REQUIRE(rejected.size() == 1);
    CHECK(rejected[0]["message"].get<std::string>().find("no slot") != std::string::npos);
    CHECK(w.messages_to(customer_email, "service_request_rejected").size() == 1);
  }

  SECTION("invoice generated with its amount, payment received") {
    w.job_card_in("INVOICED");
    // job_card_in makes its own customer: find the invoice's.
    const Json invoice = w.call(w.manager, "invoices.List")["data"][0];
    const Json owner = w.call(w.manager, "customers.Get", {{"id", invoice["customerId"]}});
    const auto generated = w.messages_to(owner["email"], "invoice_generated");
    REQUIRE(generated.size() == 1);
    CHECK(generated[0].channel == "email");
    CHECK(generated[0].body.find("INR " + invoice["grandTotal"].get<std::string>()) !=
          std::string::npos);
    CHECK(generated[0].body.find(invoice["invoiceNumber"].get<std::string>()) != std::string::npos);
    w.call(w.manager, "invoices.RecordPayment",
           {{"id", invoice["id"]}, {"amount", "500.00"}, {"paymentMethod", "cash"}});
    w.call(w.manager, "invoices.RecordPayment",
           {{"id", invoice["id"]}, {"amount", "680.00"}, {"paymentMethod", "cash"}});
    const auto paid = w.messages_to(owner["email"], "payment_received");
    REQUIRE(paid.size() == 2);  // a part payment and the one that pays it off
    CHECK(paid[0].body.find("INR 500.00") != std::string::npos);
    CHECK(paid[1].body.find("INR 680.00") != std::string::npos);
    CHECK(w.count("SELECT COUNT(*) FROM notifications WHERE notification_type LIKE 'payment%'") ==
          0);
  }

  SECTION("a customer without e-mail is told by SMS") {
    const Json no_mail = w.customer({{"email", nullptr}});
    w.emit("invoice.payment_reminder",
           {{"invoiceId", "inv-1"},
            {"invoiceNumber", "INV-1"},
            {"customerId", no_mail["id"]},
            {"balanceDue", "99.50"},
            {"daysOverdue", 7}},
           w.center_id);
    const auto sms = w.messages_to(no_mail["phone"], "payment_reminder");
    REQUIRE(sms.size() == 1);
    CHECK(sms[0].channel == "sms");
    CHECK(sms[0].body == "Dear " + no_mail["name"].get<std::string>() +
                             ", INR 99.50 of invoice INV-1 is 7 days overdue.");
  }

  SECTION("parts not available, parts arrived") {
    const std::string part = w.create_part("NA-1");
    const Json jc = w.job_card_in("IN_PROGRESS");
    w.call(w.engineer, "jobCards.RequestParts",
           {{"id", jc["id"]}, {"parts", {{{"partId", part}, {"requestedQty", "2"}}}}});
    const auto engineer = w.of_type(w.engineer, "parts_not_available");
    REQUIRE(engineer.size() == 1);
    CHECK(engineer[0]["message"] == "Job card " + jc["jobCardNumber"].get<std::string>() +
                                        " needs 2 of NA-1 (Part NA-1); the store has 0.");
    CHECK(w.of_type(w.inventory_manager, "parts_not_available").size() == 1);
    CHECK(w.of_type(w.manager, "parts_not_available").empty());
    w.emit("parts.arrived",
           {{"jobCardId", jc["id"]},
            {"partId", part},
            {"serviceCenterId", w.center_id},
            {"engineerUserId", w.engineer_id}},
           w.center_id);
    const auto arrived = w.of_type(w.engineer, "parts_arrived");
    REQUIRE(arrived.size() == 1);
    CHECK(arrived[0]["title"] == "Part NA-1 arrived");
    CHECK(w.of_type(w.second_engineer, "parts_arrived").empty());
  }

  SECTION("feedback requested, complaint registered") {
    w.emit("feedback.requested",
           {{"customerId", customer["id"]},
            {"jobCardNumber", "JC-1"},
            {"feedbackUrl", "https://dealer.example/f/1"}},
           w.center_id);
    CHECK(w.messages_to(customer_email, "feedback_requested").size() == 1);
    w.emit("complaint.registered",
           {{"complaintId", "c-1"},
            {"complaintNumber", "CMP-1"},
            {"customerId", customer["id"]},
            {"subject", "noisy brakes"}},
           w.center_id);
    const auto complaint = w.of_type(w.manager, "complaint_registered");  // a role at a center
    REQUIRE(complaint.size() == 1);
    CHECK(complaint[0]["message"] == customer["name"].get<std::string>() + ": noisy brakes");
    CHECK(w.of_type(w.other_manager, "complaint_registered").empty());
    CHECK(w.messages_to(customer_email, "complaint_registered").size() == 1);
  }
}

TEST_CASE("notifications: group-wide permission holders") {
  NotifyWorld w(GENERATE(dms::test::engines()));
  INFO("engine: " << w.database.engine_name());
  const Json central_user = w.create_user("central_inventory_manager", std::nullopt,
                                          "central@dealer.example", "+919811111111");
  const Context central = w.db->context_for_user(central_user["id"]);
  const Json admin_user =
      w.create_user("admin", std::nullopt, "admin@dealer.example", "+919811111112");
  const Context admin = w.db->context_for_user(admin_user["id"]);
  // Seed 004: an alert when a user is created, to whoever manages users.
  w.create_user("call_center", w.center_id, "new@dealer.example", "+919811111113");
  const auto created = w.of_type(admin, "user_created");
  REQUIRE(created.size() == 1);
  CHECK(created[0]["title"] == "New user Test call_center");
  CHECK(w.of_type(w.manager, "user_created").empty());

  w.emit("purchase_request.created", {{"purchaseRequestId", "pr-1"},
                                      {"partId", w.create_part("PR-1")},
                                      {"locationId", "loc"},
                                      {"suggestedQuantity", "12"}});
  const auto pr = w.of_type(central, "purchase_request_created");
  REQUIRE(pr.size() == 1);
  CHECK(pr[0]["message"] == "Stock of PR-1 (Part PR-1) is low: buy 12.");
  CHECK(w.of_type(admin, "purchase_request_created").size() == 1);  // "*"
  CHECK(w.of_type(w.inventory_manager, "purchase_request_created").empty());

  // A center's report: its managers and the group's holders; a group report: the group only.
  w.emit("report.generated", {{"reportName", "Sales"}, {"period", "2025-05"}}, w.center_id);
  CHECK(w.of_type(w.manager, "report_generated").size() == 1);
  CHECK(w.of_type(w.other_manager, "report_generated").empty());
  CHECK(w.of_type(admin, "report_generated").size() == 1);
  CHECK(w.messages_to("admin@dealer.example", "report_generated").size() == 1);
  w.emit("report.generated", {{"reportName", "All centers"}, {"period", "2025-05"}});
  CHECK(w.of_type(w.manager, "report_generated").size() == 1);
  CHECK(w.of_type(admin, "report_generated").size() == 2);
  // A deactivated user is told nothing.
  w.call(w.system, "users.Deactivate", {{"id", w.manager.user_id}});
  w.emit("report.generated", {{"reportName", "Later"}, {"period", "2025-06"}}, w.center_id);
  CHECK(w.count("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND notification_type = "
                "'report_generated'",
                {w.manager.user_id}) == 1);
}

TEST_CASE("notifications: templates are data, edited with strict checking") {
  NotifyWorld w(GENERATE(dms::test::engines()));
  INFO("engine: " << w.database.engine_name());
  const Json list =
      w.call(w.system, "notificationTemplates.List", {{"notificationType", "invoice_generated"}});
  REQUIRE(list["data"].size() == 2);
  CHECK(list["data"][0]["channel"] == "email");
  CHECK(list["data"][0]["language"] == "en");
  CHECK(list["data"][0]["updatedAt"].is_null());
  CHECK(list["data"][0]["placeholders"].size() == 4);
  CHECK_CODE(w.call(w.manager, "notificationTemplates.List"), ErrorCode::kForbidden);

  const auto update = [&](Json req) {
    return w.call(w.system, "notificationTemplates.Update", req);
  };
  const Json edited = update({{"notificationType", "invoice_generated"},
                              {"channel", "email"},
                              {"subject", "Your invoice {{invoiceNumber}}"},
                              {"body", "Hi {{ customerName }},\nplease pay INR {{amount}}."}});
  CHECK(edited["id"] == "invoice_generated:email:en");
  CHECK(edited["updatedAt"].is_string());
  CHECK(w.count("SELECT COUNT(*) FROM audit_logs WHERE entity_type = 'notification_template'") ==
        1);

  // Bad templates: coded errors, nothing changed.
  const auto code = [&](const std::string& body, const std::string& type = "invoice_generated",
                        const std::string& channel = "email") {
    return test::error_code_of([&] {
      update({{"notificationType", type}, {"channel", channel}, {"subject", "S"}, {"body", body}});
    });
  };
  CHECK(code("Hi {{customerNmae}}") == ErrorCode::kValidation);  // unknown placeholder
  CHECK(code("Hi {{customerName") == ErrorCode::kValidation);
  CHECK(code("Hi customerName}}") == ErrorCode::kValidation);
  CHECK(code("Hi {{customer-name}}") == ErrorCode::kValidation);
  CHECK(code("Hi {{temporaryPassword}}") == ErrorCode::kValidation);  // not this type's
  CHECK(code("Your password is secret", "temporary_password") == ErrorCode::kValidation);
  CHECK(code("Hello", "user_created", "sms") == ErrorCode::kValidation);  // not sent by SMS
  CHECK(code("Hello", "no_such_type") == ErrorCode::kValidation);
  CHECK(code("Hello", "invoice_generated", "fax") == ErrorCode::kValidation);
  CHECK_CODE(update({{"notificationType", "invoice_generated"},
                     {"channel", "email"},
                     {"language", "EN1"},
                     {"subject", "S"},
                     {"body", "B"}}),
             ErrorCode::kValidation);
  CHECK_CODE(w.call(w.manager, "notificationTemplates.Update",
                    {{"notificationType", "invoice_generated"},
                     {"channel", "email"},
                     {"subject", "S"},
                     {"body", "B"}}),
             ErrorCode::kForbidden);
  CHECK(w.call(w.system, "notificationTemplates.List",
               {{"notificationType", "invoice_generated"}, {"channel", "email"}})["data"][0] ==
        edited);

  // The next invoice's mail uses the edited text.
  w.job_card_in("INVOICED");
  const Json invoice = w.call(w.manager, "invoices.List")["data"][0];
  const Json owner = w.call(w.manager, "customers.Get", {{"id", invoice["customerId"]}});
  const auto sent = w.messages_to(owner["email"], "invoice_generated");
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].subject == "Your invoice " + invoice["invoiceNumber"].get<std::string>());
  CHECK(sent[0].body == "Hi " + owner["name"].get<std::string>() + ",\nplease pay INR " +
                            invoice["grandTotal"].get<std::string>() + ".");

  // An edited temporary-password template keeps its secret and still goes by the chosen channel.
  update({{"notificationType", "temporary_password"},
          {"channel", "sms"},
          {"subject", "Account"},
          {"body", "Welcome {{firstName}}. Temporary password: {{temporaryPassword}} (DMS)"}});
  const Json user =
      w.create_user("call_center", w.center_id, "sms-user@dealer.example", "+919822222222", "sms");
  const auto messages = w.messages_for(user["id"]);
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].channel == "sms");
  CHECK(messages[0].recipient == "+919822222222");
  CHECK(messages[0].body.rfind("Welcome Test. Temporary password: ", 0) == 0);
  CHECK(w.sign_in(user).user_id == user["id"]);  // the password in it works
}

TEST_CASE("notifications: secrets never reach the audit log, notifications, events or logs") {
  NotifyWorld w(GENERATE(dms::test::engines()));
  INFO("engine: " << w.database.engine_name());
  const Json admin_user =
      w.create_user("admin", std::nullopt, "admin@dealer.example", "+919811111112");
  std::stringstream captured;
  std::streambuf* cerr = std::cerr.rdbuf(captured.rdbuf());
  std::streambuf* clog = std::clog.rdbuf(captured.rdbuf());
  std::streambuf* cout = std::cout.rdbuf(captured.rdbuf());
  const Json by_mail =
      w.create_user("sc_manager", w.center_id, "mail@dealer.example", "+919833333331");
  const Json by_sms =
      w.create_user("sc_manager", w.center_id, "sms@dealer.example", "+919833333332", "sms");
  w.call(w.system, "auth.ForgotPassword", {{"email", "mail@dealer.example"}});
  w.call(w.system, "auth.ForgotPassword", {{"email", "+919833333332"}});
  std::cerr.rdbuf(cerr);
  std::clog.rdbuf(clog);
  std::cout.rdbuf(cout);
  const std::vector<std::string> secrets = {
      w.temporary_password(by_mail["id"]), w.temporary_password(by_sms["id"]),
      w.secret_in_message(by_mail["id"], "password_reset", "Reset code: "),
      w.secret_in_message(by_sms["id"], "password_reset", "Reset code: ")};
  // The admin was told of both users, in-app.
  CHECK(w.count("SELECT COUNT(*) FROM notifications WHERE user_id = ?",
                {admin_user["id"].get<std::string>()}) == 2);
  const std::string everything = w.db->impl().store->read([&](storage::Transaction& tx) {
    std::string all = captured.str();
    for (const auto& r : tx.query("SELECT entity_id, old_values, new_values, user_name FROM "
                                  "audit_logs")) {
      all += r.str("entity_id") + r.str("old_values") + r.str("new_values") + r.str("user_name");
    }
    for (const auto& r : tx.query("SELECT title, message, action_url FROM notifications")) {
      all += r.str("title") + r.str("message") + r.opt_str("action_url").value_or("");
    }
    for (const auto& r : tx.query("SELECT type, payload FROM outbox_events")) {
      all += r.str("type") + r.str("payload");
    }
    for (const auto& r : tx.query("SELECT purpose, subject FROM outbound_messages")) {
      all += r.str("purpose") + r.str("subject");
    }
    return all;
  });
  CHECK(everything.find("Test sc_manager") != std::string::npos);  // the search can succeed
  for (const std::string& secret : secrets) {
    REQUIRE(secret.size() >= 6);
    INFO("secret " << secret);
    CHECK(everything.find(secret) == std::string::npos);
  }
  // The secrets' own messages are sensitive: erased once delivered.
  CHECK(w.count("SELECT COUNT(*) FROM outbound_messages WHERE purpose IN ('temporary_password', "
                "'password_reset') AND sensitive = 0") == 0);
}

TEST_CASE("notifications: rules, types and seeded templates agree") {
  NotifyWorld w(storage::Engine::kSqlite);
  std::set<std::string> templated;
  w.db->impl().store->read([&](storage::Transaction& tx) {
    for (const auto& row : tx.query("SELECT * FROM notification_templates")) {
      const std::string type = row.str("notification_type");
      INFO(type << " " << row.str("channel"));
      const notify::NotificationType* info = notify::find_notification_type(type);
      REQUIRE(info != nullptr);
      CHECK(row.str("language") == "en");
      CHECK_NOTHROW(notify::check_template_text(*info, row.str("subject"), "subject"));
      CHECK_NOTHROW(notify::check_template_text(*info, row.str("body"), "body"));
      CHECK((row.str("channel") != "in_app" || !info->direct));
      templated.insert(type + ":" + row.str("channel"));
    }
    return 0;
  });
  for (const notify::NotificationType& type : notify::notification_types()) {
    for (notify::Delivery d : notify::kDeliveries) {
      INFO(type.name << " " << notify::delivery_name(d));
      if (type.staff_may(d))
        CHECK(templated.count(type.name + std::string(":") + notify::delivery_name(d)) == 1);
      if (type.default_for(d)) CHECK(type.staff_may(d));
    }
    if (type.direct) {
      CHECK(templated.count(type.name + std::string(":email")) == 1);
      CHECK(templated.count(type.name + std::string(":sms")) == 1);
    }
  }
  std::set<std::string> ruled;
  for (const notify::Rule& rule : notify::notification_rules()) {
    INFO(rule.event_type);
    const notify::NotificationType* type = notify::find_notification_type(rule.notification_type);
    REQUIRE(type != nullptr);
    CHECK_FALSE(type->direct);
    CHECK_FALSE(type->secret);
    ruled.insert(rule.notification_type);
    for (const notify::Audience& a : rule.audiences) {
      // A customer audience is told by e-mail or SMS: the type's templates for both exist.
      if (a.kind == notify::AudienceKind::kCustomer) {
        CHECK(templated.count(type->name + std::string(":email")) == 1);
        CHECK(templated.count(type->name + std::string(":sms")) == 1);
        CHECK_FALSE(type->staff_email);  // one e-mail template cannot speak to both
      }
    }
  }
  // Seed 000 section 4.11.2 and seed 004: every type has a rule or is a direct message.
  for (const notify::NotificationType& type : notify::notification_types()) {
    INFO(type.name);
    CHECK((type.direct || ruled.count(type.name) == 1));
  }
}

}  // namespace
}  // namespace dms
