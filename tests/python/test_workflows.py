"""Seed 002's complete workflows, driven from Python on both storage engines.

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
    with pytest.raises(dms.BusinessRuleError):  # one open job card per vehicle
        db.job_cards.create(dealer.advisor, customer_id=customer["id"],
                            vehicle_id=vehicle["id"], service_type="Repair")
    with pytest.raises(dms.DuplicateError) as caught:
        db.customers.create(dealer.advisor, name="Other", phone="+919876500001")
    assert caught.value.field == "phone"
    with pytest.raises(dms.ValidationError) as caught:
        db.customers.create(dealer.advisor, name="X", phone="12345")
    assert caught.value.field in ("name", "phone")
