"""Seed 002's complete workflows, driven from Python on both storage engines.

Workflows 1-3 follow one part: bought from a supplier into the central warehouse (1), issued to a
service center's store (2), requested for a job card and issued to the workshop (3).
Workflow 4: complete the job -> invoice -> payment -> the customer and the vehicle are updated.
"""

import datetime
from decimal import Decimal

import pytest

import dms
from dealer import Dealer


@pytest.fixture
def dealer(engine_url):
    with dms.open(engine_url, sqlite_synchronous="NORMAL") as db:
        yield Dealer(db)


def stock_at(db, ctx, part_id, center_id=None):
    """(on hand, allocated) of a part at the central warehouse or a center's store."""
    for row in db.inventory.get_part(ctx, id=part_id)["stock"]:
        if row["serviceCenterId"] == center_id:
            return row["stockQuantity"], row["allocated"]
    return Decimal("0"), Decimal("0")


def purchase_and_issue(dealer):
    """Workflows 1 and 2: buys 100 battery modules (98 accepted) into the central warehouse and
    issues 50 to SC001's store; returns the part."""
    db = dealer.db
    central = dealer.central_manager
    supplier = db.suppliers.create(central, name="ABC Parts Supplier",
                                   contact_person="John Smith", state_code="27")
    part = db.inventory.create_part(central, part_number="BAT-MOD-001", part_name="Battery Module",
                                    category=["Battery", "Module"], hsn_code="85076000",
                                    gst_rate=Decimal("18"), cost_price=Decimal("40000"),
                                    unit_price=Decimal("50000"), min_stock_level=Decimal("100"))
    assert part["gstRate"] == Decimal("18")
    assert part["unitPrice"] == Decimal("50000.00")

    # Workflow 1: purchase order -> approval -> receipt into the central warehouse.
    po = db.purchase_orders.create(central, supplier_id=supplier["id"],
                                   order_date=datetime.date(2025, 12, 20),
                                   expected_delivery_date=datetime.date(2025, 12, 27),
                                   items=[{"central_inventory_part_id": part["id"],
                                           "quantity": Decimal("100"),
                                           "unit_price": Decimal("40000"),
                                           "gst_rate": Decimal("18")}],
                                   payment_terms="Net 30 days")
    assert po["status"] == "DRAFT" and po["poNumber"].startswith("PO-")
    assert po["subtotal"] == Decimal("4000000.00")
    assert po["totalAmount"] == Decimal("4720000.00")
    assert po["cgst"] + po["sgst"] + po["igst"] == Decimal("720000.00")
    po = db.purchase_orders.submit(central, id=po["id"])
    assert po["status"] == "PENDING_APPROVAL"
    with pytest.raises(dms.PermissionDenied):  # approval is the admin's
        db.purchase_orders.approve(central, id=po["id"])
    po = db.purchase_orders.approve(dealer.admin, id=po["id"], notes="Approved")
    assert po["status"] == "APPROVED"
    po = db.purchase_orders.receive(central, id=po["id"], invoice_number="SUP-INV-001",
                                    invoice_amount=Decimal("4720000"),
                                    received_items=[{"item_id": po["items"][0]["id"],
                                                     "received_qty": Decimal("100"),
                                                     "accepted_qty": Decimal("98"),
                                                     "rejected_qty": Decimal("2"),
                                                     "condition": "DAMAGED"}])
    assert po["status"] == "COMPLETED"
    assert stock_at(db, central, part["id"]) == (Decimal("98"), Decimal("0"))
    moves = db.inventory.part_transactions(central, part_id=part["id"])["data"]
    assert [m["transactionType"] for m in moves].count("RECEIVE") == 1

    # Workflow 2: parts issue central -> SC001: request, approve, dispatch, receive.
    issue = db.parts_issues.create(dealer.manager, to_service_center_id=dealer.center["id"],
                                   items=[{"central_inventory_part_id": part["id"],
                                           "requested_qty": Decimal("50")}],
                                   priority="HIGH", notes="Urgent requirement for pending jobs")
    assert issue["status"] == "PENDING_APPROVAL" and issue["issueNumber"].startswith("PI-")
    assert stock_at(db, central, part["id"]) == (Decimal("98"), Decimal("50"))
    issue = db.parts_issues.approve(dealer.admin, id=issue["id"])
    assert issue["status"] == "APPROVED"
    assert stock_at(db, central, part["id"]) == (Decimal("48"), Decimal("0"))
    issue = db.parts_issues.dispatch(central, id=issue["id"], tracking_number="TRK-123456",
                                     transport_details={"vehicle_number": "MH01AB1234",
                                                        "driver_name": "John Doe"},
                                     estimated_arrival=datetime.date(2025, 12, 21))
    assert issue["status"] == "DISPATCHED"
    assert issue["transportDetails"]["vehicleNumber"] == "MH01AB1234"
    issue = db.parts_issues.receive(dealer.inventory_manager, id=issue["id"],
                                    received_items=[{"item_id": issue["items"][0]["id"],
                                                     "received_qty": Decimal("50")}])
    assert issue["status"] == "COMPLETED"
    store = dealer.center["id"]
    assert stock_at(db, dealer.inventory_manager, part["id"], store) == (Decimal("50"), 0)
    return part


def test_workflows_1_and_2_purchase_order_and_parts_issue(dealer):
    purchase_and_issue(dealer)


def test_workflow_3_job_card_parts_request(dealer):
    """The engineer requests the part on a job card; the inventory manager issues it."""
    db = dealer.db
    part = purchase_and_issue(dealer)
    store = dealer.center["id"]
    customer = db.customers.create(dealer.advisor, name="Asha Patil", phone="+919876543211")
    vehicle = db.vehicles.create(dealer.advisor, customer_id=customer["id"],
                                 registration="MH02CD5678", vin="VIN5678",
                                 vehicle_make="Tata", vehicle_model="Nexon EV")
    job = db.job_cards.create(dealer.advisor, customer_id=customer["id"],
                              vehicle_id=vehicle["id"], service_type="Battery replacement")
    db.job_cards.assign_engineer(dealer.manager, id=job["id"],
                                 engineer_id=dealer.engineer.user_id)
    db.job_cards.start(dealer.engineer, id=job["id"])
    request = db.job_cards.request_parts(dealer.engineer, id=job["id"], urgency="HIGH",
                                         parts=[{"inventory_part_id": part["id"],
                                                 "requested_qty": Decimal("2"),
                                                 "is_warranty": False}])
    assert request["status"] == "PENDING"
    assert db.job_cards.get(dealer.engineer, id=job["id"])["status"] == "PARTS_PENDING"
    pending = db.parts_requests.list(dealer.inventory_manager, filter={"status": "PENDING"})
    assert [r["id"] for r in pending["data"]] == [request["id"]]
    assert pending["data"][0]["lines"][0]["requestedQty"] == Decimal("2")
    request = db.parts_requests.approve(dealer.inventory_manager, id=request["id"])
    assert request["status"] == "ISSUED"
    assert stock_at(db, dealer.inventory_manager, part["id"], store) == (Decimal("48"), 0)
    job = db.job_cards.update_status(dealer.engineer, id=job["id"], status="IN_PROGRESS")
    assert job["status"] == "IN_PROGRESS"
    assert job["parts"][0]["quantity"] == Decimal("2")
    assert job["parts"][0]["unitPrice"] == Decimal("50000.00")
    assert db.inventory.verify_stock(dealer.admin)["ok"] is True

    # Not enough stock is INSUFFICIENT_STOCK, and nothing moves.
    more = db.job_cards.request_parts(dealer.engineer, id=job["id"],
                                      parts=[{"inventory_part_id": part["id"],
                                              "requested_qty": Decimal("1000")}])
    with pytest.raises(dms.InsufficientStock):
        db.parts_requests.approve(dealer.inventory_manager, id=more["id"])
    assert stock_at(db, dealer.inventory_manager, part["id"], store) == (Decimal("48"), 0)




def test_workflow_4_job_to_invoice_to_customer_update(dealer):
    db = dealer.db
    customer = db.customers.create(dealer.advisor, name="John Doe", phone="+919876543210",
                                   email="john@example.com", city_state="Mumbai, Maharashtra")
    assert customer["customerNumber"] == "CUST-0001"
    assert customer["lastInvoiceNumber"] is None
    vehicle = db.vehicles.create(dealer.advisor, customer_id=customer["id"],
                                 registration="MH01AB1234", vin="VIN123456789",
                                 vehicle_make="Tata", vehicle_model="Nexon EV", vehicle_year=2023,
                                 purchase_date=datetime.date(2023, 1, 15))
    assert vehicle["purchaseDate"] == datetime.date(2023, 1, 15)
    assert vehicle["totalSpent"] == Decimal("0")

    job = db.job_cards.create(dealer.advisor, customer_id=customer["id"],
                              vehicle_id=vehicle["id"], service_type="Regular Service",
                              estimated_cost=Decimal("2500"),
                              part1_data={"customer_feedback": "Strange noise"})
    assert job["status"] == "CREATED"
    assert job["jobCardNumber"].startswith("SC001-")
    assert job["estimatedCost"] == Decimal("2500.00")
    assert job["part1Data"]["customerFeedback"] == "Strange noise"
    assert db.vehicles.get(dealer.advisor, id=vehicle["id"])["currentStatus"] == "ACTIVE_JOB_CARD"

    job = db.job_cards.assign_engineer(dealer.manager, id=job["id"],
                                       engineer_id=dealer.engineer.user_id)
    assert job["status"] == "ASSIGNED"
    job = db.job_cards.start(dealer.engineer, id=job["id"])
    job = db.job_cards.add_service_line(dealer.engineer, id=job["id"],
                                        service_type="Periodic maintenance",
                                        rate=Decimal("1000.00"), estimated_hours=Decimal("1.5"))
    assert job["services"][0]["amount"] == Decimal("1000.00")
    # 1. The engineer completes the job (seed: PATCH status COMPLETED).
    job = db.job_cards.update_status(dealer.engineer, id=job["id"], status="COMPLETED")
    assert job["status"] == "COMPLETED"

    # 2. The invoice: 1000.00 + 9 % CGST + 9 % SGST, numbered at finalize.
    invoice = db.invoices.create_from_job_card(dealer.manager, job_card_id=job["id"])
    assert invoice["status"] == "DRAFT" and invoice["invoiceNumber"] is None
    assert (invoice["taxable"], invoice["cgst"], invoice["sgst"], invoice["grandTotal"]) == (
        Decimal("1000.00"), Decimal("90.00"), Decimal("90.00"), Decimal("1180.00"))
    invoice = db.invoices.finalize(dealer.manager, id=invoice["id"])
    assert invoice["status"] == "FINALIZED"
    assert isinstance(invoice["invoiceDate"], datetime.date)
    assert db.job_cards.get(dealer.manager, id=job["id"])["status"] == "INVOICED"

    # 3. Paid in two instalments (seed: PATCH status PAID).
    invoice = db.invoices.record_payment(dealer.manager, id=invoice["id"],
                                         amount=Decimal("180.00"), payment_method="upi",
                                         transaction_id="UPI-7781")
    assert invoice["status"] == "PARTIALLY_PAID"
    assert invoice["balanceAmount"] == Decimal("1000.00")
    invoice = db.invoices.record_payment(dealer.manager, id=invoice["id"],
                                         amount=invoice["balanceAmount"], payment_method="cash")
    assert invoice["status"] == "PAID"
    assert sum(p["amount"] for p in invoice["payments"]) == invoice["grandTotal"]

    # Backend auto-updates.
    customer = db.customers.get(dealer.advisor, id=customer["id"])
    assert customer["lastServiceCenterId"] == dealer.center["id"]
    assert isinstance(customer["lastServiceDate"], datetime.datetime)
    assert customer["lastInvoiceNumber"] == invoice["invoiceNumber"]
    vehicle = db.vehicles.get(dealer.advisor, id=vehicle["id"])
    assert vehicle["lastServiceCenterId"] == dealer.center["id"]
    assert vehicle["totalServices"] == 1
    assert vehicle["totalSpent"] == Decimal("1180.00")

    # Delivery frees the vehicle.
    job = db.job_cards.deliver(dealer.manager, id=job["id"], feedback_rating=5)
    assert job["status"] == "DELIVERED"
    vehicle = db.vehicles.get(dealer.advisor, id=vehicle["id"])
    assert (vehicle["currentStatus"], vehicle["activeJobCardId"]) == ("AVAILABLE", None)
    history = db.vehicles.service_history(dealer.advisor, vehicle_id=vehicle["id"])
    assert history["data"][0]["totalCost"] == Decimal("1180.00")


def test_workflow_rules_surface_as_exceptions(dealer):
    db = dealer.db
    customer = db.customers.create(dealer.advisor, name="Jane Roe", phone="+919876500001")
    vehicle = db.vehicles.create(dealer.advisor, customer_id=customer["id"],
                                 registration="MH01AB9999", vin="VIN999",
                                 vehicle_make="Tata", vehicle_model="Tiago EV")
    job = db.job_cards.create(dealer.advisor, customer_id=customer["id"],
                              vehicle_id=vehicle["id"], service_type="Repair")
    with pytest.raises(dms.InvalidTransition) as caught:
        db.job_cards.update_status(dealer.manager, id=job["id"], status="COMPLETED")
    assert (caught.value.from_state, caught.value.to_state) == ("CREATED", "COMPLETED")
    with pytest.raises(dms.BusinessRuleError) as caught:  # one open job card per vehicle
        db.job_cards.create(dealer.advisor, customer_id=customer["id"],
                            vehicle_id=vehicle["id"], service_type="Repair")
    assert (caught.value.code, caught.value.code_number) == ("VEHICLE_HAS_OPEN_JOB_CARD", 508)
    with pytest.raises(dms.DuplicateError) as caught:
        db.customers.create(dealer.advisor, name="Other", phone="+919876500001")
    assert caught.value.field == "phone"
    with pytest.raises(dms.ValidationError) as caught:
        db.customers.create(dealer.advisor, name="X", phone="12345")
    assert caught.value.field in ("name", "phone")
