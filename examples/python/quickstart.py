"""Embedding libdms from Python: bootstrap a fresh database, act as users, take a job from walk-in
to paid invoice, handle errors.

    PYTHONPATH=bindings/python:build/dev/python /usr/bin/python3 examples/python/quickstart.py [db]

Without an argument it works in a temporary SQLite file. tests/python/test_examples.py runs it.
"""

import os
import sys
import tempfile
from decimal import Decimal

import dms


def run(path):
    with dms.open(path) as db:
        # A fresh database has no users: the trusted host bootstraps it with the system context.
        system = db.system_context()
        center = db.service_centers.create(system, code="SC001", name="SC001 - Mumbai",
                                           address={"city": "Mumbai", "state_code": "27"})
        admin = db.users.create(system, email="admin@dealer.in", phone="+919800000001",
                                first_name="Asha", last_name="Rao", role="admin")

        # From here on, act as people. (A real host logs them in: db.login(email, password).)
        me = db.context_for_user(admin["id"])
        db.users.create(me, email="manager@dealer.in", phone="+919800000002",
                        first_name="Vikram", last_name="Shah", role="sc_manager",
                        service_center_id=center["id"])

        page = db.users.list(me, sort="email", limit=10)
        for user in page["data"]:
            # createdAt is a timestamp field of the schema: a timezone-aware datetime.
            print(f"{user['email']:<20} {user['role']:<12} since {user['createdAt']:%Y-%m-%d}")
        print(f"{page['pagination']['total']} users")

        # A job from walk-in to paid invoice. Money is decimal.Decimal, never float.
        customer = db.customers.create(me, name="John Doe", phone="+919876543210")
        vehicle = db.vehicles.create(me, customer_id=customer["id"], registration="MH01AB1234",
                                     vin="VIN123456789", vehicle_make="Tata",
                                     vehicle_model="Nexon EV")
        job = db.job_cards.create(me, service_center_id=center["id"],
                                  customer_id=customer["id"], vehicle_id=vehicle["id"],
                                  service_type="Regular Service")
        engineer = db.users.create(me, email="engineer@dealer.in", phone="+919800000004",
                                   first_name="Ravi", last_name="Kumar", role="service_engineer",
                                   service_center_id=center["id"])
        db.job_cards.assign_engineer(me, id=job["id"], engineer_id=engineer["id"])
        as_engineer = db.context_for_user(engineer["id"])
        db.job_cards.start(as_engineer, id=job["id"])
        db.job_cards.add_service_line(as_engineer, id=job["id"], service_type="Periodic service",
                                      rate=Decimal("1000.00"), estimated_hours=Decimal("1.5"))
        db.job_cards.complete(as_engineer, id=job["id"])
        invoice = db.invoices.create_from_job_card(me, job_card_id=job["id"])
        invoice = db.invoices.finalize(me, id=invoice["id"])
        invoice = db.invoices.record_payment(me, id=invoice["id"], amount=invoice["grandTotal"],
                                             payment_method="cash")
        print(f"invoice {invoice['status']}: {invoice['taxable']} + CGST {invoice['cgst']} "
              f"+ SGST {invoice['sgst']} = {invoice['grandTotal']}")
        vehicle = db.vehicles.get(me, id=vehicle["id"])
        print(f"{vehicle['registration']}: {vehicle['totalServices']} service, "
              f"{vehicle['totalSpent']} spent")

        # Every failure is a dms.Error subclass carrying the shared code and the field at fault.
        try:
            db.users.create(me, email="admin@dealer.in", phone="+919800000003",
                            first_name="Dup", last_name="Licate", role="admin")
        except dms.DuplicateError as e:
            print(f"refused: {e.code} on {e.field}")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        run(sys.argv[1])
    else:
        with tempfile.TemporaryDirectory() as folder:
            run(os.path.join(folder, "dealer.db"))
