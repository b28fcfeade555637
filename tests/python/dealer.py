"""A dealer for the workflow tests: one service center (SC001, Maharashtra) and a user per role,
made through the services exactly as a host would (system context -> serviceCenters.Create /
users.Create -> a context for each user)."""

import itertools

# Resources seed 002's matrix lacks, granted as docs/decisions/0006 proposes.
EXTRA_GRANTS = {
    "sc_manager": ["service_requests:*", "invoices:*", "payments:*"],
    "service_advisor": ["invoices:create", "invoices:read", "invoices:update", "payments:create",
                        "payments:read"],
}


class Dealer:
    def __init__(self, db):
        self.db = db
        self.system = db.system_context()
        self._phones = itertools.count(1001)
        for role in db.roles.list(self.system)["data"]:
            extra = EXTRA_GRANTS.get(role["name"])
            if extra:
                db.roles.set_permissions(self.system, role=role["name"],
                                         permissions=role["permissions"] + extra)
        self.center = db.service_centers.create(self.system, code="SC001", name="SC001 - Mumbai",
                                                address={"city": "Mumbai", "state_code": "27"})
        self.admin = self.user("admin", None)
        self.central_manager = self.user("central_inventory_manager", None)
        self.manager = self.user("sc_manager")
        self.advisor = self.user("service_advisor")
        self.engineer = self.user("service_engineer")
        self.inventory_manager = self.user("inventory_manager")

    def user(self, role, center="own"):
        n = next(self._phones)
        user = self.db.users.create(
            self.admin if hasattr(self, "admin") else self.system,
            email=f"{role}{n}@dealer.in", phone=f"+91980000{n:04d}", first_name=role.title(),
            last_name=str(n), role=role,
            service_center_id=self.center["id"] if center == "own" else center)
        return self.db.context_for_user(user["id"])
