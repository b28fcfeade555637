"""Identity through the Python binding: bootstrap, sessions, typed responses, error classes."""

import datetime
import sqlite3

import pytest

import dms


def bootstrap(db):
    """A service center and an admin, made by the system context; returns (center, admin ctx)."""
    system = db.system_context()
    center = db.service_centers.create(system, code="SC001", name="SC001 - Mumbai",
                                       address={"city": "Mumbai", "state_code": "27"})
    admin = db.users.create(system, email="admin@dealer.in", phone="+919800000001",
                            first_name="Asha", last_name="Rao", role="admin")
    return center, db.context_for_user(admin["id"])


def test_bootstrap_and_typed_documents(engine_url):
    with dms.open(engine_url, sqlite_synchronous="NORMAL") as db:
        center, admin = bootstrap(db)
        assert center["code"] == "SC001"
        assert center["address"]["stateCode"] == "27"
        assert isinstance(center["createdAt"], datetime.datetime)
        assert admin.role == "admin" and admin.permissions == ["*"]

        manager = db.users.create(admin, email="manager@dealer.in", phone="+919800000002",
                                  first_name="Vikram", last_name="Shah", role="sc_manager",
                                  service_center_id=center["id"])
        assert manager["serviceCenterId"] == center["id"]
        assert manager["isFirstLogin"] is True

        page = db.users.list(admin, sort="email", limit=1)
        assert page["pagination"] == {"page": 1, "limit": 1, "total": 2, "totalPages": 2,
                                      "hasNext": True, "hasPrev": False}
        assert page["data"][0]["email"] == "admin@dealer.in"
        assert db.users.get(admin, id=manager["id"])["email"] == "manager@dealer.in"

        # The manager is confined to their center and cannot grant a central role.
        as_manager = db.context_for_user(manager["id"])
        assert as_manager.service_center_id == center["id"]
        with pytest.raises(dms.PermissionDenied) as caught:
            db.users.create(as_manager, email="x@dealer.in", phone="+919800000003",
                            first_name="X", last_name="Y", role="admin")
        assert caught.value.code == "FORBIDDEN"


def test_errors_by_code(db):
    _, admin = bootstrap(db)
    with pytest.raises(dms.DuplicateError) as caught:
        db.service_centers.create(admin, code="SC001", name="again")
    assert (caught.value.code, caught.value.field) == ("DUPLICATE", "code")
    with pytest.raises(dms.ValidationError) as caught:
        db.users.create(admin, email="not-an-email", phone="+919800000009", first_name="A",
                        last_name="B", role="admin")
    assert caught.value.field == "email"
    with pytest.raises(dms.NotFoundError):
        db.users.get(admin, id="no-such-user")
    with pytest.raises(dms.AuthError) as caught:
        db.login("admin@dealer.in", "wrong password")
    assert caught.value.code == "INVALID_CREDENTIALS"
    with pytest.raises(dms.AuthError) as caught:
        db.context_from_token("not-a-token")
    assert caught.value.code_number // 100 == 1


def temporary_password(path, user_id):
    """The temporary password users.Create queued for delivery (the outbox of a SQLite file)."""
    with sqlite3.connect(path) as conn:
        body = conn.execute(
            "SELECT body FROM outbound_messages WHERE user_id = ? AND purpose = ? "
            "ORDER BY id DESC", (user_id, "temporary_password")).fetchone()[0]
    return body.split("Temporary password: ", 1)[1].split()[0]


def test_login_first_password_change_and_token(sqlite_url):
    with dms.open(sqlite_url) as db:
        center, admin = bootstrap(db)
        user = db.users.create(admin, email="advisor@dealer.in", phone="+919800000004",
                               first_name="Neha", last_name="Iyer", role="service_advisor",
                               service_center_id=center["id"])
        temporary = temporary_password(sqlite_url, user["id"])

        session = db.login("advisor@dealer.in", temporary, request_id="req-7", ip="10.1.2.3")
        assert isinstance(session, dms.Session)
        assert session.access_token and session.refresh_token
        assert session.user["role"] == "service_advisor"
        assert session.context.password_change_required
        with pytest.raises(dms.AuthError) as caught:
            db.users.list(session)
        assert caught.value.code == "PASSWORD_CHANGE_REQUIRED"

        db.auth.change_password(session, current_password=temporary,
                                new_password="Better-Secret-2025")
        ctx = db.context_from_token(session.access_token, request_id="req-8")
        assert not ctx.password_change_required
        assert ctx.request_id == "req-8"
        me = db.auth.me(ctx, expand="serviceCenter")
        assert me["serviceCenter"]["code"] == "SC001"
        assert isinstance(me["lastLogin"], datetime.datetime)

        refreshed = db.auth.refresh(None, refresh_token=session.refresh_token)
        assert refreshed["refreshToken"] != session.refresh_token
        with pytest.raises(dms.AuthError) as caught:  # a rotated token is single-use
            db.auth.refresh(None, refresh_token=session.refresh_token)
        assert caught.value.code == "INVALID_TOKEN"
