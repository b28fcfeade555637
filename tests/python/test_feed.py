"""The committed-event feed through Python, on both engines (issue 13 item 4): a subscription
receives events in commit order, is closed, resumes from its saved cursor, and misses and repeats
none; db.events() iterates the same feed with a cursor and an optional wait."""

import datetime
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import dms


def create_center(db, system, code):
    return db.call(system, "serviceCenters.Create", {"code": code, "name": f"{code} - Pune"})


def wait_for(predicate, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_subscribe_resume_from_cursor(engine_url):
    with dms.open(engine_url, sqlite_synchronous="NORMAL") as db:
        system = db.system_context()
        seen = []
        lock = threading.Lock()

        def on_event(event):
            with lock:
                seen.append(event)

        with db.subscribe(on_event) as sub:
            codes = [f"PA{i:02d}" for i in range(5)]
            ids = [create_center(db, system, code)["id"] for code in codes]
            assert wait_for(lambda: len(seen) == 5)
            assert sub.active
        assert not sub.active
        assert [e["payload"]["code"] for e in seen] == codes
        first = seen[0]
        assert set(first) == {"cursor", "id", "type", "payload", "serviceCenterId",
                              "audienceRole", "occurredAt"}
        assert first["type"] == "service_center.created"
        assert [e["serviceCenterId"] for e in seen] == ids
        assert first["audienceRole"] is None
        assert isinstance(first["occurredAt"], datetime.datetime)
        saved = seen[-1]["cursor"]
        assert sub.cursor == saved

        # Commits while nobody listens, then concurrent commits from several threads.
        for code in ("PB01", "PB02"):
            create_center(db, system, code)
        resumed = []
        with db.subscribe(resumed.append, cursor=saved):
            burst = [f"PC{i:02d}" for i in range(12)]
            with ThreadPoolExecutor(4) as pool:
                list(pool.map(lambda code: create_center(db, system, code), burst))
            assert wait_for(lambda: len(resumed) == 14)
            time.sleep(0.1)  # nothing more comes: none repeated
        codes_seen = [e["payload"]["code"] for e in resumed]
        assert codes_seen[:2] == ["PB01", "PB02"]
        assert sorted(codes_seen[2:]) == burst
        assert len({e["id"] for e in resumed}) == 14
        # The subscription's order is the feed's order, which db.events reads as well.
        assert [e["id"] for e in db.events(saved)] == [e["id"] for e in resumed]
        assert db.events_head() == resumed[-1]["cursor"]


def test_events_iterator_waits_and_resumes(db):
    system = db.system_context()
    create_center(db, system, "PI01")
    events = db.events()
    assert [e["payload"]["code"] for e in events] == ["PI01"]
    cursor = events.cursor
    assert list(db.events(cursor)) == []

    # wait: blocks (GIL released) until another thread commits.
    timer = threading.Timer(0.2, lambda: create_center(db, system, "PI02"))
    timer.start()
    started = time.monotonic()
    got = next(iter(db.events(cursor, wait=10)))
    timer.join()
    assert got["payload"]["code"] == "PI02"
    assert time.monotonic() - started < 5
    # With a wait and nothing coming: stops after it.
    started = time.monotonic()
    assert list(db.events(got["cursor"], wait=0.3)) == []
    assert time.monotonic() - started >= 0.25

    with pytest.raises(dms.ValidationError) as bad:
        list(db.events("not-a-cursor"))
    assert bad.value.field == "cursor"


def test_callback_failure_ends_the_subscription(db):
    system = db.system_context()

    def failing(event):
        raise RuntimeError("host bug")

    sub = db.subscribe(failing)
    create_center(db, system, "PF01")
    assert wait_for(lambda: not sub.active)
    with pytest.raises(RuntimeError, match="host bug"):
        sub.close()
    sub.close()  # idempotent, and the failure was reported once


def test_close_from_the_callback_and_database_close(db):
    system = db.system_context()
    got = []
    holder = {}

    def once(event):
        got.append(event)
        holder["sub"].close()  # from the subscription's own thread

    holder["sub"] = db.subscribe(once)
    create_center(db, system, "PX01")
    create_center(db, system, "PX02")
    assert wait_for(lambda: not holder["sub"].active)
    time.sleep(0.1)
    assert len(got) == 1
    # A subscription still running when the database closes is closed with it.
    running = db.subscribe(lambda e: None)
    db.close()
    assert not running.active
