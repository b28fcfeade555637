"""Delivery through the Python binding: settings in dms.open, the background dispatcher, the
temporary password of a new user at the SMTP sink of scripts/smtp.sh (DMS_TEST_SMTP_URL; the
test FAILS without it), the outbox methods."""

import os
import pathlib
import time
import uuid

import pytest

import dms


def smtp_sink():
    url = os.environ.get("DMS_TEST_SMTP_URL")
    folder = os.environ.get("DMS_TEST_SMTP_DIR")
    if not url or not folder:
        pytest.fail("DMS_TEST_SMTP_URL is not set: start the SMTP sink (scripts/test.sh, or "
                    "source scripts/smtp.sh and run dms_smtp_start)")
    return url, pathlib.Path(folder)


def wait_for_mail(folder, count=1):
    for _ in range(500):
        files = sorted(p for p in folder.glob("*.eml")) if folder.exists() else []
        if len(files) >= count:
            return [p.read_text() for p in files]
        time.sleep(0.01)
    return []


def test_background_dispatcher_mails_the_temporary_password(sqlite_url):
    url, folder = smtp_sink()
    domain = f"py{uuid.uuid4().hex[:10]}.test"
    delivery = {"smtp": {"url": url, "from": "Dealer DMS <noreply@dealer.test>",
                         "username": os.environ["DMS_TEST_SMTP_USER"],
                         "password": os.environ["DMS_TEST_SMTP_PASSWORD"]},
                "retry": {"maxAttempts": 3, "baseDelaySeconds": 1, "maxDelaySeconds": 5}}
    with dms.open(sqlite_url, sqlite_synchronous="NORMAL", delivery=delivery,
                  background={"dispatcher": True, "dispatcherIntervalMs": 20}) as db:
        system = db.system_context()
        user = db.users.create(system, email=f"asha@{domain}", phone="+919800000101",
                               first_name="Asha", last_name="Rao", role="admin")
        mails = wait_for_mail(folder / domain)
        assert len(mails) == 1
        assert "Subject: Your DMS account" in mails[0]
        assert "Temporary password: " in mails[0]
        db.stop_dispatcher()
        listed = db.messages.list(system, user_id=user["id"])["data"]
        assert listed[0]["status"] == "SENT"
        assert "body" not in listed[0]
        assert db.messages.deliver_batch(system)["claimed"] == 0
        db.start_dispatcher()


def test_bad_settings_name_the_key_not_the_value(sqlite_url):
    with pytest.raises(dms.ValidationError) as caught:
        dms.open(sqlite_url, delivery={"smtp": {"url": "smtp://127.0.0.1:1",
                                                "from": "a@b.test", "pasword": "hunter2-secret"}})
    assert caught.value.field == "delivery.smtp.pasword"
    assert "hunter2-secret" not in str(caught.value)
