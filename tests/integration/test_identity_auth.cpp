// Authentication on both engines: temporary credentials and first login, lockout, token expiry,
// refresh rotation, logout, password reset tokens, deactivation, no user enumeration.
#include <catch2/catch.hpp>
#include <chrono>

#include "identity/secrets.hpp"
#include "identity_fixture.hpp"

using dms::ErrorCode;
using dms::Json;
using dms::test::IdentityFixture;

namespace {

bool is_unauthenticated_method(const std::string& name) {
  return name == "auth.Login" || name == "auth.Refresh" || name == "auth.ForgotPassword" ||
         name == "auth.ResetPassword";
}

bool is_identity_method(const std::string& name) {
  for (const char* prefix : {"auth.", "users.", "serviceCenters.", "auditLogs.", "roles."}) {
    if (name.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("identity: bootstrap, temporary password by SMS, first login gate") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  // Bootstrap: the system context creates the first admin.
  const Json admin = f.create_user("admin", std::nullopt, "Admin@Dealer.in", "+919800000001");
  CHECK(admin["email"] == "admin@dealer.in");
  CHECK(admin["isFirstLogin"] == true);
  CHECK(admin["serviceCenterId"].is_null());
  const dms::Context admin_ctx = f.sign_in(admin);

  const std::string center = f.create_center("SC001");
  const Json user =
      f.create_user("service_center", center, "manager@dealer.in", "9876543210", "sms", &admin_ctx);
  CHECK(user["role"] == "sc_manager");  // seed 000's name mapped onto seed 002's
  CHECK(user["phone"] == "+919876543210");

  const auto messages = f.messages_for(user["id"]);
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].channel == "sms");
  CHECK(messages[0].recipient == "+919876543210");
  const std::string temporary = f.temporary_password(user["id"]);
  CHECK(temporary.size() == 16);
  CHECK(messages[0].body.find(temporary) != std::string::npos);

  // Login by phone with the temporary password.
  Json session = f.db->login("+91 98765 43210", temporary);
  CHECK(session["passwordChangeRequired"] == true);
  CHECK(session["user"]["role"] == "sc_manager");
  CHECK(session["user"]["serviceCenterId"] == center);
  CHECK(session["user"]["permissions"].size() > 0);
  const dms::Context first = f.db->context_from_token(session["accessToken"]);
  CHECK(first.password_change_required);

  for (const std::string& method : dms::Database::methods()) {
    if (!is_identity_method(method) || is_unauthenticated_method(method)) continue;
    if (method == "auth.ChangePassword" || method == "auth.Logout") continue;
    INFO("method " << method);
    CHECK_CODE(f.call(first, method, Json::object()), ErrorCode::kPasswordChangeRequired);
  }

  CHECK_CODE(f.call(first, "auth.ChangePassword",
                    {{"currentPassword", "wrong-1234"}, {"newPassword", "NewSecret99"}}),
             ErrorCode::kInvalidCredentials);
  CHECK_CODE(f.call(first, "auth.ChangePassword",
                    {{"currentPassword", temporary}, {"newPassword", "short1"}}),
             ErrorCode::kValidation);
  CHECK_CODE(f.call(first, "auth.ChangePassword",
                    {{"currentPassword", temporary}, {"newPassword", "onlyletters"}}),
             ErrorCode::kValidation);
  CHECK_CODE(f.call(first, "auth.ChangePassword",
                    {{"currentPassword", temporary}, {"newPassword", "1234567890"}}),
             ErrorCode::kValidation);
  f.call(first, "auth.ChangePassword",
         {{"currentPassword", temporary}, {"newPassword", "NewSecret99"}});

  // The same access token now carries a normal context.
  const dms::Context after = f.db->context_from_token(session["accessToken"]);
  CHECK_FALSE(after.password_change_required);
  const Json me = f.call(after, "auth.Me", {{"expand", "serviceCenter"}});
  CHECK(me["isFirstLogin"] == false);
  CHECK(me["serviceCenter"]["code"] == "SC001");
  CHECK_CODE(f.db->login("manager@dealer.in", temporary), ErrorCode::kInvalidCredentials);
  CHECK(f.db->login("manager@dealer.in", "NewSecret99")["passwordChangeRequired"] == false);
}

TEST_CASE("identity: e-mail channel and user validation") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  const std::string center = f.create_center("SC001");
  const Json user = f.create_user("advisor", center, "advisor@dealer.in", "+919800000002");
  CHECK(user["role"] == "service_advisor");
  const auto messages = f.messages_for(user["id"]);
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].channel == "email");
  CHECK(messages[0].recipient == "advisor@dealer.in");
  CHECK(messages[0].body.find(f.temporary_password(user["id"])) != std::string::npos);
  CHECK(f.count("SELECT COUNT(*) FROM outbox_events WHERE type = 'user.created'") == 1);

  CHECK_CODE(f.create_user("sc_manager", center, "advisor@dealer.in", "+919800000003"),
             ErrorCode::kDuplicate);
  CHECK_CODE(f.create_user("sc_manager", center, "x@dealer.in", "+919800000002"),
             ErrorCode::kDuplicate);
  CHECK_CODE(f.create_user("sc_manager", std::nullopt, "y@dealer.in", "+919800000004"),
             ErrorCode::kValidation);
  CHECK_CODE(f.create_user("admin", center, "z@dealer.in", "+919800000005"),
             ErrorCode::kValidation);
  CHECK_CODE(f.create_user("wizard", center, "w@dealer.in", "+919800000006"),
             ErrorCode::kValidation);
  CHECK_CODE(f.create_user("sc_manager", std::string("nope"), "v@dealer.in", "+919800000007"),
             ErrorCode::kNotFound);
  CHECK_CODE(f.create_user("sc_manager", center, "not-an-email", "+919800000008"),
             ErrorCode::kValidation);
}

TEST_CASE("identity: lockout after consecutive failures, for known and unknown logins") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  const std::string center = f.create_center("SC001");
  const Json user = f.create_user("sc_manager", center, "m@dealer.in", "+919800000010");
  const std::string password = f.temporary_password(user["id"]);

  // One failure, then a success: the count starts again.
  CHECK_CODE(f.db->login("m@dealer.in", "wrong-pass1"), ErrorCode::kInvalidCredentials);
  f.db->login("m@dealer.in", password);
  for (int i = 0; i < 4; ++i) {
    CHECK_CODE(f.db->login("m@dealer.in", "wrong-pass1"), ErrorCode::kInvalidCredentials);
  }
  f.db->login("m@dealer.in", password);  // 4 failures do not lock
  for (int i = 0; i < 5; ++i) {
    CHECK_CODE(f.db->login("m@dealer.in", "wrong-pass1"), ErrorCode::kInvalidCredentials);
  }
  CHECK_CODE(f.db->login("m@dealer.in", password), ErrorCode::kAccountLocked);
  CHECK_CODE(f.db->login("+919800000010", password), ErrorCode::kAccountLocked);
  f.clock.advance_seconds(15 * 60 - 1);
  CHECK_CODE(f.db->login("m@dealer.in", password), ErrorCode::kAccountLocked);
  f.clock.advance_seconds(1);
  CHECK(f.db->login("m@dealer.in", password)["accessToken"].is_string());

  // Every failed attempt left an audit row although the call failed.
  CHECK(f.count("SELECT COUNT(*) FROM audit_logs WHERE action = 'LOGIN_FAILED' AND entity_id = ?",
                {std::string(user["id"])}) == 1 + 4 + 5 + 3);

  // An unknown login answers exactly like a wrong password, and locks the same way.
  for (int i = 0; i < 5; ++i) {
    CHECK_CODE(f.db->login("ghost@dealer.in", "wrong-pass1"), ErrorCode::kInvalidCredentials);
  }
  CHECK_CODE(f.db->login("ghost@dealer.in", "wrong-pass1"), ErrorCode::kAccountLocked);
  CHECK_CODE(f.db->login("not a login", "whatever1"), ErrorCode::kInvalidCredentials);

  // An admin's activation lifts a lock.
  for (int i = 0; i < 5; ++i) {
    CHECK_CODE(f.db->login("m@dealer.in", "wrong-pass1"), ErrorCode::kInvalidCredentials);
  }
  CHECK_CODE(f.db->login("m@dealer.in", password), ErrorCode::kAccountLocked);
  f.call(f.system, "users.Activate", {{"id", user["id"]}});
  CHECK(f.db->login("m@dealer.in", password)["accessToken"].is_string());
}

TEST_CASE("identity: lockout threshold and duration come from Settings") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  f.db->impl().settings.max_failed_logins = 2;
  f.db->impl().settings.lockout_seconds = 60;
  const std::string center = f.create_center("SC001");
  const Json user = f.create_user("sc_manager", center, "m@dealer.in", "+919800000010");
  const std::string password = f.temporary_password(user["id"]);
  CHECK_CODE(f.db->login("m@dealer.in", "wrong-pass1"), ErrorCode::kInvalidCredentials);
  CHECK_CODE(f.db->login("m@dealer.in", "wrong-pass1"), ErrorCode::kInvalidCredentials);
  CHECK_CODE(f.db->login("m@dealer.in", password), ErrorCode::kAccountLocked);
  f.clock.advance_seconds(60);
  CHECK(f.db->login("m@dealer.in", password)["accessToken"].is_string());
}

TEST_CASE("identity: an unknown login costs a password verification too") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  // A cost high enough to dominate the database work in the measurement.
  f.db->impl().settings.password_hash_opslimit = 3;
  f.db->impl().settings.password_hash_memlimit_bytes = size_t{32} * 1024 * 1024;
  f.db->impl().settings.max_failed_logins = 1000;
  const std::string center = f.create_center("SC001");
  f.create_user("sc_manager", center, "m@dealer.in", "+919800000010");
  const auto time_login = [&](const std::string& login) {
    const auto start = std::chrono::steady_clock::now();
    CHECK_CODE(f.db->login(login, "wrong-pass1"), ErrorCode::kInvalidCredentials);
    return std::chrono::steady_clock::now() - start;
  };
  time_login("ghost@dealer.in");  // makes the dummy hash once
  auto known = std::chrono::steady_clock::duration::max();
  auto unknown = std::chrono::steady_clock::duration::max();
  for (int i = 0; i < 3; ++i) {
    known = std::min(known, time_login("m@dealer.in"));
    unknown = std::min(unknown, time_login("ghost@dealer.in"));
  }
  // Lenient bounds (the machine is shared): the two paths cost the same order of time.
  CHECK(unknown * 2 > known);
  CHECK(known * 2 > unknown);
}

TEST_CASE("identity: access tokens expire, are signed, and die with their session") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  const Json admin = f.create_user("admin", std::nullopt, "admin@dealer.in", "+919800000001");
  f.sign_in(admin, "Admin-Pass1");
  const Json session = f.db->login("admin@dealer.in", "Admin-Pass1");
  const std::string access = session["accessToken"];
  CHECK(session["expiresIn"] == 900);

  f.clock.advance_seconds(15 * 60 - 1);
  CHECK(f.db->context_from_token(access).role == "admin");
  f.clock.advance_seconds(1);
  CHECK_CODE(f.db->context_from_token(access), ErrorCode::kTokenExpired);

  const Json fresh = f.db->login("admin@dealer.in", "Admin-Pass1");
  const std::string token = fresh["accessToken"];
  std::string tampered = token;
  tampered[tampered.find('.') + 5] = tampered[tampered.find('.') + 5] == 'A' ? 'B' : 'A';
  CHECK_CODE(f.db->context_from_token(tampered), ErrorCode::kInvalidToken);
  CHECK_CODE(f.db->context_from_token("not.a.token"), ErrorCode::kInvalidToken);
  CHECK_CODE(f.db->context_from_token(""), ErrorCode::kInvalidToken);
  const Json claims = {
      {"iss", "libdms"}, {"sub", fresh["user"]["id"]}, {"sid", "x"}, {"exp", 4102444800}};
  CHECK_CODE(f.db->context_from_token(dms::identity::jwt_sign(claims, "another-secret")),
             ErrorCode::kInvalidToken);
  const std::string unsigned_token = dms::identity::base64url_encode(R"({"alg":"none"})") + "." +
                                     dms::identity::base64url_encode(claims.dump()) + ".";
  CHECK_CODE(f.db->context_from_token(unsigned_token), ErrorCode::kInvalidToken);

  // Logout revokes the session: its access and refresh tokens stop working.
  const dms::Context ctx = f.db->context_from_token(token);
  CHECK(f.call(ctx, "auth.Logout")["message"] == "Logged out successfully");
  CHECK_CODE(f.db->context_from_token(token), ErrorCode::kInvalidToken);
  CHECK_CODE(f.call(f.system, "auth.Refresh", {{"refreshToken", fresh["refreshToken"]}}),
             ErrorCode::kInvalidToken);
  CHECK(f.count("SELECT COUNT(*) FROM audit_logs WHERE action = 'LOGOUT'") == 1);
}

TEST_CASE("identity: refresh tokens rotate, and a reused one revokes the session") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  const Json admin = f.create_user("admin", std::nullopt, "admin@dealer.in", "+919800000001");
  f.sign_in(admin, "Admin-Pass1");
  const Json session = f.db->login("admin@dealer.in", "Admin-Pass1");
  const std::string r1 = session["refreshToken"];

  f.clock.advance_seconds(20 * 60);
  const Json second = f.call(f.system, "auth.Refresh", {{"refreshToken", r1}});
  const std::string r2 = second["refreshToken"];
  CHECK(r2 != r1);
  CHECK(f.db->context_from_token(second["accessToken"]).role == "admin");

  const Json third = f.call(f.system, "auth.Refresh", {{"refreshToken", r2}});
  const std::string r3 = third["refreshToken"];
  // r1 comes back: rejected, and the whole session is revoked with it.
  CHECK_CODE(f.call(f.system, "auth.Refresh", {{"refreshToken", r1}}), ErrorCode::kInvalidToken);
  CHECK_CODE(f.call(f.system, "auth.Refresh", {{"refreshToken", r3}}), ErrorCode::kInvalidToken);
  CHECK_CODE(f.db->context_from_token(third["accessToken"]), ErrorCode::kInvalidToken);
  CHECK_CODE(f.call(f.system, "auth.Refresh", {{"refreshToken", "made-up"}}),
             ErrorCode::kInvalidToken);

  // Refresh tokens expire after Settings::refresh_token_ttl_seconds.
  const Json other = f.db->login("admin@dealer.in", "Admin-Pass1");
  f.clock.advance_seconds(7 * 24 * 3600);
  CHECK_CODE(f.call(f.system, "auth.Refresh", {{"refreshToken", other["refreshToken"]}}),
             ErrorCode::kTokenExpired);
}

TEST_CASE("identity: password reset codes are single-use and expire after an hour") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  const std::string center = f.create_center("SC001");
  const Json user = f.create_user("sc_manager", center, "m@dealer.in", "+919800000010");
  const std::string id = user["id"];
  const Json old_session = f.db->login("m@dealer.in", f.temporary_password(id));

  const Json answer = f.call(f.system, "auth.ForgotPassword", {{"email", "m@dealer.in"}});
  const Json unknown = f.call(f.system, "auth.ForgotPassword", {{"email", "ghost@dealer.in"}});
  CHECK(answer == unknown);  // no enumeration through the answer
  const std::string code = f.secret_in_message(id, "password_reset", "Reset code: ");

  CHECK_CODE(f.call(f.system, "auth.ResetPassword", {{"token", code}, {"newPassword", "weak"}}),
             ErrorCode::kValidation);
  f.call(f.system, "auth.ResetPassword", {{"token", code}, {"newPassword", "Reset-Pass1"}});
  CHECK_CODE(
      f.call(f.system, "auth.ResetPassword", {{"token", code}, {"newPassword", "Again-Pass2"}}),
      ErrorCode::kInvalidToken);
  const Json session = f.db->login("m@dealer.in", "Reset-Pass1");
  CHECK(session["passwordChangeRequired"] == false);
  // A reset ends the sessions opened with the old password.
  CHECK_CODE(f.db->context_from_token(old_session["accessToken"]), ErrorCode::kInvalidToken);

  // Valid for one hour.
  f.call(f.system, "auth.ForgotPassword", {{"login", "+919800000010"}});
  const std::string late = f.secret_in_message(id, "password_reset", "Reset code: ");
  f.clock.advance_seconds(3600);
  CHECK_CODE(
      f.call(f.system, "auth.ResetPassword", {{"token", late}, {"newPassword", "Late-Pass1"}}),
      ErrorCode::kTokenExpired);
  f.call(f.system, "auth.ForgotPassword", {{"email", "m@dealer.in"}});
  const std::string timely = f.secret_in_message(id, "password_reset", "Reset code: ");
  f.clock.advance_seconds(3599);
  f.call(f.system, "auth.ResetPassword", {{"token", timely}, {"newPassword", "Timely-Pass1"}});
  CHECK(f.db->login("m@dealer.in", "Timely-Pass1")["accessToken"].is_string());

  // A newer code replaces an older one.
  f.call(f.system, "auth.ForgotPassword", {{"email", "m@dealer.in"}});
  const std::string first_code = f.secret_in_message(id, "password_reset", "Reset code: ");
  f.call(f.system, "auth.ForgotPassword", {{"email", "m@dealer.in"}});
  CHECK_CODE(
      f.call(f.system, "auth.ResetPassword", {{"token", first_code}, {"newPassword", "Old-Code1"}}),
      ErrorCode::kInvalidToken);
}

TEST_CASE("identity: deactivated users cannot sign in or use their tokens") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  const std::string center = f.create_center("SC001");
  const Json user = f.create_user("sc_manager", center, "m@dealer.in", "+919800000010");
  const dms::Context ctx = f.sign_in(user, "Manager-Pass1");
  const Json session = f.db->login("m@dealer.in", "Manager-Pass1");

  f.call(f.system, "users.Deactivate", {{"id", user["id"]}});
  CHECK_CODE(f.db->login("m@dealer.in", "Manager-Pass1"), ErrorCode::kAccountInactive);
  CHECK_CODE(f.db->login("m@dealer.in", "wrong-pass1"), ErrorCode::kInvalidCredentials);
  CHECK_CODE(f.db->context_from_token(session["accessToken"]), ErrorCode::kInvalidToken);
  CHECK_CODE(f.db->context_for_user(user["id"]), ErrorCode::kAccountInactive);
  CHECK_CODE(f.call(f.system, "auth.Refresh", {{"refreshToken", session["refreshToken"]}}),
             ErrorCode::kInvalidToken);

  f.call(f.system, "users.Activate", {{"id", user["id"]}});
  const Json again = f.db->login("m@dealer.in", "Manager-Pass1");
  CHECK(f.db->context_from_token(again["accessToken"]).user_id == user["id"]);
  (void)ctx;
}

TEST_CASE("identity: profile and password changes") {
  IdentityFixture f(GENERATE(dms::test::engines()));
  INFO("engine: " << f.database.engine_name());
  const std::string center = f.create_center("SC001");
  const Json user = f.create_user("sc_manager", center, "m@dealer.in", "+919800000010");
  const dms::Context ctx = f.sign_in(user, "Manager-Pass1");
  const Json other_session = f.db->login("m@dealer.in", "Manager-Pass1");

  const Json updated =
      f.call(ctx, "auth.UpdateProfile", {{"firstName", "Asha"}, {"deliveryChannel", "sms"}});
  CHECK(updated["name"] == "Asha sc_manager");
  CHECK(updated["deliveryChannel"] == "sms");
  CHECK_CODE(f.call(ctx, "auth.UpdateProfile", {{"role", "admin"}}), ErrorCode::kValidation);
  CHECK_CODE(f.call(ctx, "auth.UpdateProfile", {{"email", "x@y.in"}}), ErrorCode::kValidation);

  CHECK_CODE(f.call(ctx, "auth.ChangePassword",
                    {{"oldPassword", "Manager-Pass1"}, {"newPassword", "Manager-Pass1"}}),
             ErrorCode::kValidation);
  f.call(ctx, "auth.ChangePassword",
         {{"oldPassword", "Manager-Pass1"}, {"newPassword", "Manager-Pass2"}});
  // The session that changed the password continues; the others end.
  CHECK(f.db->context_from_token(f.db->login("m@dealer.in", "Manager-Pass2")["accessToken"])
            .user_id == user["id"]);
  CHECK_CODE(f.db->context_from_token(other_session["accessToken"]), ErrorCode::kInvalidToken);
  CHECK(f.count("SELECT COUNT(*) FROM audit_logs WHERE action = 'PASSWORD_CHANGE'") == 2);
  CHECK_CODE(f.call(f.system, "auth.Me"), ErrorCode::kUnauthenticated);
}
