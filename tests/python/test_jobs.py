"""Scheduled jobs and purchase requests from Python on both storage engines (issue 13): the
low-stock scan raises a purchase request, the central inventory manager converts it into a
purchase order; a second run of the same slot does nothing."""

import datetime
from decimal import Decimal

import pytest

import dms
from dealer import Dealer


@pytest.fixture
def dealer(engine_url):
    with dms.open(engine_url, sqlite_synchronous="NORMAL") as db:
        yield Dealer(db)


def test_low_stock_scan_to_purchase_order(dealer):
    db = dealer.db
    center = dealer.center["id"]
    part = db.inventory.create_part(dealer.system, part_number="CELL-9", part_name="Cell",
                                    hsn_code="85076000", gst_rate=Decimal("18"),
                                    cost_price=Decimal("250"), unit_price=Decimal("400"))
    db.inventory.adjust_stock(dealer.system, part_id=part["id"], service_center_id=center,
                              adjustment_type="ADD", quantity=Decimal("3"),
                              reason="STOCK_RECEIVED", unit_cost=Decimal("250"))
    db.inventory.set_stock_levels(dealer.inventory_manager, part_id=part["id"],
                                  min_stock_level=Decimal("5"), max_stock_level=Decimal("12"))
    supplier = db.suppliers.create(dealer.central_manager, name="Volt Parts", state_code="27")

    jobs = {job["name"]: job for job in db.jobs.list(dealer.admin)["data"]}
    assert jobs["low_stock_scan"]["schedule"] == "daily at 06:00"
    as_of = datetime.datetime(2025, 6, 2, 1, 0, tzinfo=datetime.timezone.utc)
    run = db.jobs.run_due(dealer.admin, as_of=as_of, name="low_stock_scan")
    assert len(run["runs"]) == 1
    assert run["runs"][0]["result"] == "ok"
    assert run["runs"][0]["summary"]["created"] == 1
    # The same slot again: nothing is due.
    assert db.jobs.run_due(dealer.admin, as_of=as_of, name="low_stock_scan")["runs"] == []

    requests = db.purchase_requests.list(dealer.central_manager, status="OPEN")["data"]
    assert len(requests) == 1
    assert requests[0]["suggestedQuantity"] == Decimal("9")
    converted = db.purchase_requests.convert(dealer.central_manager, ids=[requests[0]["id"]],
                                             supplier_id=supplier["id"])
    assert converted["purchaseOrder"]["status"] == "DRAFT"
    assert converted["data"][0]["status"] == "CONVERTED"
    with pytest.raises(dms.InvalidTransition) as failure:
        db.purchase_requests.reject(dealer.central_manager, ids=[requests[0]["id"]], reason="no")
    assert failure.value.code == "INVALID_STATUS_TRANSITION"
    runs = db.jobs.list_runs(dealer.admin, job_name="low_stock_scan")["data"]
    assert len(runs) == 1
