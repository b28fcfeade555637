// Delivery of the outbox (src/delivery/): real servers started by scripts/test.sh (the SMTP sink
// of scripts/smtp.sh, the SMS gateway stand-in of scripts/gateway.sh; both FAIL the test when
// their variables are missing), the dispatcher in other processes (tests/helpers), backoff on
// the fixture's manual clock.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "delivery/dispatcher.hpp"
#include "delivery/transports.hpp"
#include "engines.hpp"
#include "identity_fixture.hpp"
#include "notify/messages.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using dms::DeliverySettings;
using dms::ErrorCode;
using dms::Json;
using dms::test::IdentityFixture;

std::string required_env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    FAIL(std::string(name) +
         " is not set: start the test servers with scripts/test.sh, or `source scripts/lib.sh; "
         "source scripts/smtp.sh; source scripts/gateway.sh; dms_smtp_start; dms_gateway_start`");
  }
  return value;
}

// A fresh label for this test's mail domain / gateway path (the servers are shared).
std::string token() {
  return "t" + dms::storage::new_id().substr(0, 8) + dms::storage::new_id().substr(0, 4);
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The finished files of `dir` (hidden temporaries skipped), sorted by name (arrival order).
std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().filename().string().front() != '.') out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Waits (up to 10 s) until `dir` holds at least `n` files.
std::vector<fs::path> wait_for_files(const fs::path& dir, size_t n) {
  for (int i = 0; i < 1000; ++i) {
    auto files = files_in(dir);
    if (files.size() >= n) return files;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return files_in(dir);
}

// The mails the sink received for recipients at `domain`.
std::vector<std::string> mails_for(const std::string& domain, size_t wait_for = 0) {
  const fs::path dir = fs::path(required_env("DMS_TEST_SMTP_DIR")) / domain;
  std::vector<std::string> out;
  for (const auto& file : wait_for ? wait_for_files(dir, wait_for) : files_in(dir)) {
    out.push_back(read_text(file));
  }
  return out;
}

// The requests the gateway stand-in recorded for `path_token`.
std::vector<Json> gateway_requests(const std::string& path_token) {
  const fs::path dir = fs::path(required_env("DMS_TEST_SMS_DIR")) / path_token;
  std::vector<Json> out;
  for (const auto& file : files_in(dir)) out.push_back(Json::parse(read_text(file)));
  return out;
}

// The value of header `name` in a mail ("" when absent).
std::string header(const std::string& mail, const std::string& name) {
  std::istringstream lines(mail);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) break;
    if (line.size() > name.size() && line.compare(0, name.size(), name) == 0 &&
        line[name.size()] == ':') {
      return line.substr(name.size() + 2);
    }
  }
  return "";
}

std::string body_of(const std::string& mail) {
  const size_t at = mail.find("\r\n\r\n");
  return at == std::string::npos ? "" : mail.substr(at + 4);
}

DeliverySettings smtp_settings() {
  DeliverySettings d;
  d.smtp.url = required_env("DMS_TEST_SMTP_URL");
  d.smtp.username = required_env("DMS_TEST_SMTP_USER");
  d.smtp.password = required_env("DMS_TEST_SMTP_PASSWORD");
  d.smtp.from = "Dealer DMS <noreply@dealer.test>";
  d.smtp.timeout_seconds = 10;
  return d;
}

DeliverySettings sms_settings(const std::string& path) {
  DeliverySettings d;
  d.sms.url = required_env("DMS_TEST_SMS_URL") + path;
  d.sms.headers = {{"Authorization", "Bearer gateway-secret-4711"}, {"X-Sender-Id", "DMSDLR"}};
  d.sms.body_template =
      R"({"sender":"DMSDLR","mobile":"{{to}}","message":"{{body}}","ref":"{{messageId}}"})";
  d.sms.timeout_seconds = 10;
  d.retry = {5, 10, 2, 100};
  return d;
}

std::string phone_number() {
  static int n = 0;
  const auto micros = std::chrono::steady_clock::now().time_since_epoch().count();
  return "+9198" + std::to_string(10000000 + (micros / 1000 + ++n) % 89999999);
}

Json deliver(IdentityFixture& f) {
  return f.call(f.system, "messages.DeliverBatch", Json::object());
}

Json messages_of(IdentityFixture& f, const std::string& user_id) {
  return f.call(f.system, "messages.List", {{"userId", user_id}})["data"];
}

int64_t enqueue(IdentityFixture& f, const dms::notify::Message& m) {
  return f.db->impl().store->write(
      [&](dms::storage::Transaction& tx) { return dms::notify::enqueue(tx, f.system, m); });
}

dms::notify::Message plain_mail(const std::string& to, const std::string& subject) {
  dms::notify::Message m;
  m.recipient = to;
  m.subject = subject;
  m.body = "Your vehicle is ready for pickup.\n";
  m.purpose = "test";
  return m;
}

// A child process with its standard output on a pipe.
struct Child {
  pid_t pid = -1;
  int out = -1;

  explicit Child(const std::vector<std::string>& args) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    REQUIRE(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    out = fds[0];
  }
  ~Child() {
    if (out >= 0) close(out);
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // Everything the child printed until it closed its output (it exited or was killed), or one
  // line when `line` is set.
  std::string read_output(bool line = false) {
    std::string text;
    char c;
    while (read(out, &c, 1) == 1) {
      text += c;
      if (line && c == '\n') break;
    }
    return text;
  }
  int wait_exit() {
    int status = 0;
    waitpid(pid, &status, 0);
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  void kill_hard() {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    pid = -1;
  }
};

Json helper_options(const DeliverySettings& d, int batch_size) {
  return {{"delivery",
           {{"smtp",
             {{"url", d.smtp.url},
              {"username", d.smtp.username},
              {"password", d.smtp.password},
              {"from", d.smtp.from}}},
            {"batchSize", batch_size},
            {"leaseSeconds", d.lease_seconds}}}};
}

}  // namespace

TEST_CASE("delivery: the temporary password of a user created with channel email is mailed") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  f.db->impl().settings.delivery = smtp_settings();
  const std::string domain = token() + ".test";
  const Json user = f.create_user("admin", std::nullopt, "asha@" + domain, phone_number(), "email");
  const std::string password = f.temporary_password(user["id"]);

  const Json batch = deliver(f);
  CHECK(batch["sent"] == 1);
  const auto mails = mails_for(domain, 1);
  REQUIRE(mails.size() == 1);
  const std::string& mail = mails[0];
  CHECK(header(mail, "X-Sink-Auth") == required_env("DMS_TEST_SMTP_USER"));  // AUTH happened
  CHECK(header(mail, "X-Sink-Mail-From") == "noreply@dealer.test");
  CHECK(header(mail, "To") == "asha@" + domain);
  CHECK(header(mail, "From") == "Dealer DMS <noreply@dealer.test>");
  CHECK(header(mail, "Subject") == "Your DMS account");
  CHECK(header(mail, "MIME-Version") == "1.0");
  CHECK(header(mail, "Content-Type") == "text/plain; charset=UTF-8");
  CHECK(header(mail, "Date").find("+0000") != std::string::npos);
  CHECK(body_of(mail).find("Temporary password: " + password + "\r\n") != std::string::npos);

  // The outbox row: SENT, its secret erased, the Message-ID fixed at enqueue.
  const Json listed = messages_of(f, user["id"]);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["status"] == "SENT");
  CHECK(listed[0]["attempts"] == 1);
  CHECK_FALSE(listed[0].contains("body"));
  CHECK(header(mail, "Message-ID") ==
        "<" + listed[0]["messageId"].get<std::string>() + "@dealer.test>");
  CHECK(f.count("SELECT COUNT(*) FROM outbound_messages WHERE user_id = ? AND body = ''",
                {user["id"].get<std::string>()}) == 1);
  // The password that was mailed signs in.
  CHECK(f.db->login("asha@" + domain, password)["passwordChangeRequired"] == true);
  // Nothing is due any more.
  CHECK(deliver(f)["claimed"] == 0);
}

TEST_CASE(
    "delivery: the temporary password of a user created with channel sms reaches the gateway") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  const std::string path = token();
  f.db->impl().settings.delivery = sms_settings("/" + path + "/ok");
  const std::string phone = phone_number();
  const Json user = f.create_user("admin", std::nullopt, "ravi@" + token() + ".test", phone, "sms");
  const std::string password = f.temporary_password(user["id"]);

  CHECK(deliver(f)["sent"] == 1);
  const auto requests = gateway_requests(path);
  REQUIRE(requests.size() == 1);
  CHECK(requests[0]["method"] == "POST");
  CHECK(requests[0]["headers"]["Authorization"] == "Bearer gateway-secret-4711");
  CHECK(requests[0]["headers"]["X-Sender-Id"] == "DMSDLR");
  CHECK(requests[0]["headers"]["Content-Type"] == "application/json");
  // The configured body, with the placeholders filled in.
  const Json body = Json::parse(requests[0]["body"].get<std::string>());
  CHECK(body["sender"] == "DMSDLR");
  CHECK(body["mobile"] == phone);
  CHECK(body["message"].get<std::string>().find("Temporary password: " + password + " ") !=
        std::string::npos);
  const Json listed = messages_of(f, user["id"]);
  REQUIRE(listed.size() == 1);
  CHECK(body["ref"] == listed[0]["messageId"]);
  CHECK(listed[0]["status"] == "SENT");
  CHECK(listed[0]["channel"] == "sms");
}

TEST_CASE("delivery: 500 twice then 200 is delivered once after the backoff") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  const std::string path = token();
  f.db->impl().settings.delivery = sms_settings("/" + path + "/fail/2");  // base 10 s, x2
  dms::notify::Message m;
  m.channel = dms::notify::ChannelKind::kSms;
  m.recipient = phone_number();
  m.body = "Your job card JC-1 is ready.";
  m.purpose = "test";
  m.user_id = token();
  enqueue(f, m);

  CHECK(deliver(f)["retried"] == 1);  // attempt 1: 500
  CHECK(deliver(f)["claimed"] == 0);  // not due before the backoff
  f.clock.advance_seconds(9);
  CHECK(deliver(f)["claimed"] == 0);
  f.clock.advance_seconds(1);         // 10 s after the first failure
  CHECK(deliver(f)["retried"] == 1);  // attempt 2: 500
  Json listed = messages_of(f, *m.user_id);
  CHECK(listed[0]["status"] == "QUEUED");
  CHECK(listed[0]["attempts"] == 2);
  CHECK(listed[0]["lastError"].get<std::string>().find("500") != std::string::npos);
  f.clock.advance_seconds(19);
  CHECK(deliver(f)["claimed"] == 0);
  f.clock.advance_seconds(1);      // 20 s after the second failure
  CHECK(deliver(f)["sent"] == 1);  // attempt 3: 200
  f.clock.advance_seconds(3600);
  CHECK(deliver(f)["claimed"] == 0);

  const auto requests = gateway_requests(path);
  REQUIRE(requests.size() == 3);
  CHECK(requests[0]["status"] == 500);
  CHECK(requests[1]["status"] == 500);
  CHECK(requests[2]["status"] == 200);  // delivered once
  listed = messages_of(f, *m.user_id);
  CHECK(listed[0]["status"] == "SENT");
  CHECK(listed[0]["attempts"] == 3);
  CHECK(listed[0]["lastError"].is_null());
}

TEST_CASE("delivery: always 500 reaches dead-letter after the configured tries") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  const std::string path = token();
  DeliverySettings d = sms_settings("/" + path + "/fail/always");
  d.retry = {3, 5, 3, 1000};
  f.db->impl().settings.delivery = d;
  dms::notify::Message m;
  m.channel = dms::notify::ChannelKind::kSms;
  m.recipient = phone_number();
  m.body = "Reminder: invoice INV-7 is due.";
  m.purpose = "test";
  m.user_id = token();
  const int64_t id = enqueue(f, m);
  // A user created with channel sms: its sensitive message dies too, and its secret with it.
  const Json user =
      f.create_user("admin", std::nullopt, "dead@" + token() + ".test", phone_number(), "sms");

  CHECK(deliver(f)["retried"] == 2);
  f.clock.advance_seconds(5);
  CHECK(deliver(f)["retried"] == 2);
  f.clock.advance_seconds(15);
  CHECK(deliver(f)["dead"] == 2);  // the third try was the last
  f.clock.advance_seconds(100000);
  CHECK(deliver(f)["claimed"] == 0);
  CHECK(gateway_requests(path).size() == 6);

  Json listed = messages_of(f, *m.user_id);
  CHECK(listed[0]["status"] == "DEAD");
  CHECK(listed[0]["attempts"] == 3);
  CHECK_FALSE(listed[0]["deadAt"].is_null());
  const std::string error = listed[0]["lastError"];
  CHECK(error.find("500") != std::string::npos);
  CHECK(error.find("gateway-secret-4711") == std::string::npos);
  CHECK(f.count("SELECT COUNT(*) FROM outbound_messages WHERE user_id = ? AND body = ''",
                {user["id"].get<std::string>()}) == 1);
  CHECK(messages_of(f, user["id"])[0]["status"] == "DEAD");

  // Listing by status.
  CHECK(f.call(f.system, "messages.List", {{"status", "DEAD"}})["data"].size() == 2);

  // Retry: the plain message is queued again with fresh attempts; the erased secret is not.
  const Json retried = f.call(f.system, "messages.Retry", {{"id", std::to_string(id)}});
  CHECK(retried["status"] == "QUEUED");
  CHECK(retried["attempts"] == 0);
  const std::string user_message = messages_of(f, user["id"])[0]["id"];
  CHECK_CODE(f.call(f.system, "messages.Retry", {{"id", user_message}}),
             ErrorCode::kMessageBodyErased);
  CHECK_CODE(f.call(f.system, "messages.Retry", {{"id", std::to_string(id)}}),
             ErrorCode::kInvalidStatusTransition);  // QUEUED already
  CHECK_CODE(f.call(f.system, "messages.Retry", {{"id", "999999"}}), ErrorCode::kNotFound);
  CHECK(f.count("SELECT COUNT(*) FROM audit_logs WHERE entity_type = 'outbound_message' AND "
                "action = 'RETRY'") == 1);
  CHECK(deliver(f)["retried"] == 1);  // tried again (and fails again)

  // Only administrators see or drive the outbox.
  const std::string center = f.create_center("SC-DLV");
  const Json manager =
      f.create_user("sc_manager", center, "mgr@" + token() + ".test", phone_number(), "email");
  const dms::Context ctx = f.db->context_for_user(manager["id"]);
  CHECK_CODE(f.call(ctx, "messages.List"), ErrorCode::kForbidden);
  CHECK_CODE(f.call(ctx, "messages.DeliverBatch"), ErrorCode::kForbidden);
}

TEST_CASE("delivery: credentials are never printed") {
  IdentityFixture f(dms::storage::Engine::kSqlite);
  DeliverySettings d = smtp_settings();
  d.smtp.password = "wrong-password-0815";  // the sink refuses the login
  d.retry = {2, 1, 2, 10};
  f.db->impl().settings.delivery = d;
  const std::string domain = token() + ".test";
  enqueue(f, plain_mail("a@" + domain, "refused"));
  CHECK(deliver(f)["retried"] == 1);
  // Credentials in the URL and refused connections.
  d.smtp.url = "smtp://mailer:url-secret-99@127.0.0.1:1";
  d.smtp.username = "";
  f.db->impl().settings.delivery = d;
  f.clock.advance_seconds(5);
  CHECK(deliver(f)["dead"] == 1);
  const Json listed = f.call(f.system, "messages.List", {{"recipient", "a@" + domain}});
  const std::string shown = listed.dump();
  CHECK(shown.find("wrong-password-0815") == std::string::npos);
  CHECK(shown.find("url-secret-99") == std::string::npos);
  CHECK(listed["data"][0]["lastError"].get<std::string>().size() > 0);
  CHECK(mails_for(domain).empty());
  // Bad settings name the key, never the value.
  try {
    DeliverySettings::from_json({{"smtp", {{"url", "smtp://x:1"}, {"passwort", "typo-secret"}}}});
    FAIL("accepted an unknown key");
  } catch (const dms::Error& e) {
    CHECK(e.code() == ErrorCode::kValidation);
    CHECK(e.field() == "delivery.smtp.passwort");
    CHECK(std::string(e.what()).find("typo-secret") == std::string::npos);
  }
  CHECK(dms::delivery::redact(d, "login as mailer:url-secret-99 failed") == "login as *** failed");
  d.sms.url = "https://sms.example/send?apikey=KEY-123456&sender=DLR";
  CHECK(dms::delivery::redact(d, "rejected key KEY-123456") == "rejected key ***");
}

TEST_CASE("delivery: an e-mail with attachments is MIME multipart with a UTF-8 body") {
  IdentityFixture f(dms::storage::Engine::kSqlite);
  f.db->impl().settings.delivery = smtp_settings();
  const std::string domain = token() + ".test";
  dms::notify::Message m = plain_mail("accounts@" + domain, "Rechnung № 42 – ₹ 1,234.50");
  m.body = "Namaste 🙏\nYour invoice is attached.\n.\nA line with a dot.\n";
  std::string pdf = "%PDF-1.4\n";
  for (int i = 0; i < 300; ++i) pdf += static_cast<char>(i % 256);
  m.attachments = {{"INV-PUN-2026-00042.pdf", "application/pdf", pdf},
                   {"notes \"1\".txt", "text/plain", "hello"}};
  const int64_t id = enqueue(f, m);
  CHECK(deliver(f)["sent"] == 1);
  const auto mails = mails_for(domain, 1);
  REQUIRE(mails.size() == 1);
  const std::string& mail = mails[0];
  CHECK(header(mail, "Subject").rfind("=?UTF-8?B?", 0) == 0);
  const std::string type = header(mail, "Content-Type");
  REQUIRE(type.rfind("multipart/mixed; boundary=\"", 0) == 0);
  const std::string boundary = type.substr(27, type.size() - 28);
  CHECK(mail.find("--" + boundary + "--") != std::string::npos);
  CHECK(mail.find("Content-Disposition: attachment; filename=\"INV-PUN-2026-00042.pdf\"") !=
        std::string::npos);
  CHECK(mail.find("filename=\"notes _1_.txt\"") != std::string::npos);
  // The parts decode to what was queued (the mail as the delivery transport renders it).
  dms::delivery::Outgoing o;
  o.message_id =
      f.call(f.system, "messages.List", {{"id", std::to_string(id)}})["data"][0]["messageId"];
  o.message = m;
  const std::string expected =
      dms::delivery::mime_message(f.db->impl().settings.delivery.smtp, o, f.clock.now());
  const std::string received = mail.substr(mail.find("Date:"));
  // The SMTP dot-stuffing is undone by the server: the received text is the rendered one.
  CHECK(received.substr(received.find("\r\nTo:")) == expected.substr(expected.find("\r\nTo:")));
  CHECK(f.call(f.system, "messages.List",
               {{"id", std::to_string(id)}})["data"][0]["attachmentCount"] == 2);
}

TEST_CASE("delivery: a dispatcher killed between sending and marking is resent after restart") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  DeliverySettings d = smtp_settings();
  d.lease_seconds = 30;
  const std::string domain = token() + ".test";
  enqueue(f, plain_mail("kill@" + domain, "killed before marking"));

  Child helper(
      {DMS_DISPATCH_HELPER, f.database.url(), helper_options(d, 10).dump(), "send-then-hang"});
  CHECK(helper.read_output(true) == "sent\n");
  REQUIRE(mails_for(domain, 1).size() == 1);
  helper.kill_hard();  // SIGKILL: sent, never marked
  Json listed = f.call(f.system, "messages.List", {{"recipient", "kill@" + domain}})["data"];
  CHECK(listed[0]["status"] == "SENDING");

  // A restarted dispatcher: nothing before the lease expires, then the message again.
  f.db->impl().settings.delivery = d;
  f.clock.set(dms::Clock::system().now());
  CHECK(deliver(f)["claimed"] == 0);
  f.clock.advance_seconds(31);
  CHECK(deliver(f)["sent"] == 1);
  const auto mails = mails_for(domain, 2);
  REQUIRE(mails.size() == 2);  // at least once: here twice
  CHECK(header(mails[0], "Message-ID") == header(mails[1], "Message-ID"));
  CHECK_FALSE(header(mails[0], "Message-ID").empty());
  listed = f.call(f.system, "messages.List", {{"recipient", "kill@" + domain}})["data"];
  CHECK(listed[0]["status"] == "SENT");
  CHECK(listed[0]["attempts"] == 2);
}

TEST_CASE("delivery: two dispatcher processes on PostgreSQL deliver 1000 messages once each") {
  IdentityFixture f(dms::storage::Engine::kPostgres);
  const DeliverySettings d = smtp_settings();
  const std::string domain = token() + ".test";
  constexpr int kMessages = 1000;
  f.db->impl().store->write([&](dms::storage::Transaction& tx) {
    for (int i = 0; i < kMessages; ++i) {
      dms::notify::enqueue(
          tx, f.system,
          plain_mail("bulk" + std::to_string(i) + "@" + domain, "bulk " + std::to_string(i)));
    }
  });
  const std::string options = helper_options(d, 25).dump();
  Child a({DMS_DISPATCH_HELPER, f.database.url(), options, "drain"});
  Child b({DMS_DISPATCH_HELPER, f.database.url(), options, "drain"});
  const std::string out_a = a.read_output();
  const std::string out_b = b.read_output();
  CHECK(a.wait_exit() == 0);
  CHECK(b.wait_exit() == 0);
  INFO("helper a: " << out_a << "helper b: " << out_b);
  const int sent_a = std::stoi(out_a.substr(5));
  const int sent_b = std::stoi(out_b.substr(5));
  CHECK(sent_a + sent_b == kMessages);
  CHECK(sent_a > 0);  // both took part
  CHECK(sent_b > 0);

  const auto mails = mails_for(domain, kMessages);
  CHECK(mails.size() == static_cast<size_t>(kMessages));  // none twice, none lost
  std::set<std::string> subjects;
  std::set<std::string> ids;
  for (const auto& mail : mails) {
    subjects.insert(header(mail, "Subject"));
    ids.insert(header(mail, "Message-ID"));
  }
  CHECK(subjects.size() == static_cast<size_t>(kMessages));
  CHECK(ids.size() == static_cast<size_t>(kMessages));
  CHECK(f.count("SELECT COUNT(*) FROM outbound_messages WHERE status = 'SENT' AND "
                "attempts = 1") == kMessages);
}

TEST_CASE("delivery: the background dispatcher delivers without being asked") {
  const std::string domain = token() + ".test";
  dms::test::TestDatabase database(dms::storage::Engine::kSqlite);
  dms::DatabaseOptions options;
  options.url = database.url();
  options.sqlite_synchronous = "NORMAL";
  options.delivery = smtp_settings();
  options.background.dispatcher = true;
  options.background.dispatcher_interval_ms = 20;
  auto db = dms::Database::open(options);
  const dms::Context system = db->system_context();
  db->impl().store->write([&](dms::storage::Transaction& tx) {
    dms::notify::enqueue(tx, system, plain_mail("bg@" + domain, "from the background"));
  });
  CHECK(mails_for(domain, 1).size() == 1);
  db->stop_dispatcher();
  db->impl().store->write([&](dms::storage::Transaction& tx) {
    dms::notify::enqueue(tx, system, plain_mail("bg@" + domain, "stopped"));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(mails_for(domain).size() == 1);  // stopped: stays queued
  db->start_dispatcher();
  CHECK(mails_for(domain, 2).size() == 2);
  db.reset();  // close joins the thread
}

TEST_CASE("delivery: open options carry the delivery settings") {
  const DeliverySettings d = DeliverySettings::from_json(
      {{"smtp",
        {{"url", "smtps://mail.dealer.in:465"},
         {"username", "u"},
         {"password", "p"},
         {"from", "DMS <noreply@dealer.in>"},
         {"starttls", false}}},
       {"sms",
        {{"url", "https://sms.example/api"},
         {"method", "POST"},
         {"headers", {{"Authorization", "Bearer x"}}},
         {"bodyTemplate", "{\"to\":\"{{to}}\",\"text\":\"{{body}}\"}"}}},
       {"retry", {{"maxAttempts", 7}, {"baseDelaySeconds", 60}, {"maxDelaySeconds", 7200}}},
       {"batchSize", 10},
       {"leaseSeconds", 90}});
  CHECK(d.smtp.url == "smtps://mail.dealer.in:465");
  CHECK(d.sms.headers.size() == 1);
  CHECK(d.retry.max_attempts == 7);
  CHECK(d.batch_size == 10);
  CHECK(d.lease_seconds == 90);
  CHECK_CODE(DeliverySettings::from_json({{"smtp", {{"url", "http://x"}}}}),
             ErrorCode::kValidation);
  CHECK_CODE(DeliverySettings::from_json({{"smtp", {{"url", "smtp://x"}}}}),
             ErrorCode::kValidation);  // no sender
  CHECK_CODE(DeliverySettings::from_json({{"batchSize", 0}}), ErrorCode::kValidation);
  CHECK(dms::BackgroundSettings::from_json({{"dispatcher", true}}).dispatcher);
  CHECK(dms::delivery::retry_delay_seconds({5, 30, 2, 3600}, 1) == 30);
  CHECK(dms::delivery::retry_delay_seconds({5, 30, 2, 3600}, 3) == 120);
  CHECK(dms::delivery::retry_delay_seconds({5, 30, 2, 3600}, 40) == 3600);
  CHECK(dms::delivery::retry_delay_seconds({5, 30, 10, 3600}, 3) == 3000);
}
