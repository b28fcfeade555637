"""Sales from Python on both storage engines (issue 12): lead -> quotation -> counter order ->
invoice -> paid, with tax-inclusive prices and the customer's totals."""

from decimal import Decimal

import pytest

import dms
from dealer import Dealer


@pytest.fixture
def dealer(engine_url):
    with dms.open(engine_url, sqlite_synchronous="NORMAL") as db:
        yield Dealer(db)


def test_lead_quotation_counter_order_paid(dealer):
    db = dealer.db
    center = dealer.center["id"]
    part = db.inventory.create_part(dealer.system, part_number="MRP-1", part_name="Charger",
                                    hsn_code="85044030", gst_rate=Decimal("18"),
                                    cost_price=Decimal("700"), unit_price=Decimal("1180"))
    db.inventory.adjust_stock(dealer.system, part_id=part["id"], service_center_id=center,
                              adjustment_type="ADD", quantity=Decimal("5"),
                              reason="STOCK_RECEIVED", unit_cost=Decimal("700"))
    customer = db.customers.create(dealer.advisor, name="Ravi Kumar", phone="+919876500001",
                                   email="ravi@mail.example", city_state="Mumbai, Maharashtra")

    lead = db.leads.create(dealer.advisor, customer_id=customer["id"], source="walk_in",
                           lead_type="spare_part")
    assert lead["status"] == "NEW"
    db.leads.contact(dealer.advisor, id=lead["id"])
    db.leads.qualify(dealer.advisor, id=lead["id"])

    # MRP 1,180.00 at 18 % intra-state: taxable 1,000.00, CGST = SGST = 90.00.
    quote = db.quotations.create(dealer.advisor, lead_id=lead["id"], prices_include_tax=True,
                                 items=[{"type": "spare_part", "part_id": part["id"],
                                         "quantity": Decimal("2")}])
    assert quote["pricesIncludeTax"] is True
    assert quote["taxable"] == Decimal("2000.00")
    assert quote["cgst"] == quote["sgst"] == Decimal("180.00")
    assert quote["grandTotal"] == Decimal("2360.00")
    db.quotations.approve(dealer.advisor, id=quote["id"])
    assert db.quotations.send(dealer.advisor, id=quote["id"])["status"] == "SENT"
    quote = db.quotations.accept(dealer.manager, id=quote["id"], convert_to="counter_order")
    assert db.leads.get(dealer.advisor, id=lead["id"])["status"] == "CONVERTED"

    order_id = quote["counterOrderId"]
    counter = dealer.inventory_manager
    assert db.counter_orders.process(counter, id=order_id)["status"] == "PROCESSING"
    db.counter_orders.mark_ready(counter, id=order_id)
    assert db.counter_orders.deliver(counter, id=order_id)["status"] == "DELIVERED"

    invoice = db.invoices.create_from_counter_order(counter, order_id=order_id)
    assert invoice["grandTotal"] == Decimal("2360.00")
    db.invoices.finalize(counter, id=invoice["id"])
    db.invoices.record_payment(counter, id=invoice["id"], amount=Decimal("360"),
                               payment_method="cash")
    paid = db.invoices.record_payment(counter, id=invoice["id"], amount=Decimal("2000"),
                                      payment_method="cash")
    assert paid["status"] == "PAID"
    assert db.counter_orders.get(counter, id=order_id)["paymentStatus"] == "PAID"
    totals = db.customers.get(dealer.advisor, id=customer["id"])
    assert totals["totalOrders"] == 1
    assert totals["totalSpent"] == Decimal("2360.00")
    assert totals["loyaltyPoints"] == 23

    # More than is available is refused at PROCESSING and changes nothing.
    big = db.counter_orders.create(counter, customer_id=customer["id"],
                                   items=[{"part_id": part["id"], "quantity": Decimal("4")}])
    with pytest.raises(dms.Error) as caught:
        db.counter_orders.process(counter, id=big["id"])
    assert caught.value.code == "INSUFFICIENT_STOCK"
    assert db.counter_orders.get(counter, id=big["id"])["status"] == "PENDING"
    assert db.inventory.verify_stock(dealer.system)["ok"] is True
