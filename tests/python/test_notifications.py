"""Notifications through the Python binding: a rule's in-app row, the user's own methods."""

import pytest

import dms


def test_user_created_alert_and_own_notifications(engine_url):
    with dms.open(engine_url, sqlite_synchronous="NORMAL") as db:
        system = db.system_context()
        center = db.service_centers.create(system, code="SC001", name="SC001 - Mumbai",
                                           address={"city": "Mumbai", "state_code": "27"})
        admin_user = db.users.create(system, email="admin@dealer.in", phone="+919800000001",
                                     first_name="Asha", last_name="Rao", role="admin")
        admin = db.context_for_user(admin_user["id"])
        manager_user = db.users.create(admin, email="manager@dealer.in", phone="+919800000002",
                                       first_name="Vikram", last_name="Shah", role="sc_manager",
                                       service_center_id=center["id"])
        manager = db.context_for_user(manager_user["id"])

        page = db.notifications.list(admin)
        assert [n["notificationType"] for n in page["data"]] == ["user_created"]
        note = page["data"][0]
        assert note["title"] == "New user Vikram Shah"
        assert note["isRead"] is False
        assert db.notifications.unread_count(admin)["count"] == 1
        with pytest.raises(dms.NotFoundError):
            db.notifications.mark_read(manager, id=note["id"])
        assert db.notifications.mark_read(admin, id=note["id"])["isRead"] is True
        assert db.notifications.mark_all_read(admin)["updated"] == 0

        prefs = db.notifications.update_preferences(
            admin, preferences=[{"notification_type": "user_created", "channel": "in_app",
                                 "enabled": False}])
        assert any(p["notificationType"] == "user_created" and p["channel"] == "in_app"
                   and p["enabled"] is False for p in prefs["preferences"])
        with pytest.raises(dms.ValidationError) as caught:
            db.notification_templates.update(admin, notification_type="user_created",
                                             channel="in_app", subject="New {{who}}", body="x")
        assert caught.value.field == "subject"
        db.notifications.delete(admin, id=note["id"])
        assert db.notifications.list(admin)["data"] == []
