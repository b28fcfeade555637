"""Embedding libdms from Python: bootstrap a fresh database, act as a user, handle errors.

    PYTHONPATH=bindings/python:build/dev/python /usr/bin/python3 examples/python/quickstart.py [db]

Without an argument it works in a temporary SQLite file. tests/python/test_examples.py runs it.
"""

import os
import sys
import tempfile

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
