"""Run by python.sh with a virtual environment's interpreter, outside the repository: the
installed dms package (its own libdms inside) runs a small workflow."""

import os
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import dms

pkg = Path(dms.__file__).resolve().parent
assert str(pkg).startswith(sys.prefix), f"dms imported from {pkg}, not from the venv {sys.prefix}"
for name in ("py.typed", "__init__.pyi", "libdms.so.0", "libdms_c.so.0"):
    assert (pkg / name).is_file(), f"{name} is not installed in {pkg}"
assert "PYTHONPATH" not in os.environ

with tempfile.TemporaryDirectory() as tmp, dms.open(os.path.join(tmp, "dealer.db")) as db:
    system = db.system_context()
    admin = db.users.create(system, email="admin@dealer.in", phone="+919800000001",
                            first_name="Asha", last_name="Rao", role="admin")
    me = db.context_for_user(admin["id"])
    part = db.inventory.create_part(me, part_number="BRK-PAD-001", part_name="Brake Pad",
                                    hsn_code="87083000", gst_rate=Decimal("18"),
                                    unit_price=Decimal("2500"))
    moved = db.inventory.adjust_stock(me, part_id=part["id"], adjustment_type="ADD",
                                      quantity=Decimal("10"), reason="STOCK_RECEIVED")
    assert moved["newStock"] == Decimal("10"), moved
    try:
        db.users.get(me, id="no-such-user")
        raise AssertionError("expected NotFoundError")
    except dms.NotFoundError as e:
        assert e.code_number == 300
# The library the module runs on is the package's own copy.
with open("/proc/self/maps") as maps:
    loaded = {line.split()[-1] for line in maps if "libdms" in line}
assert loaded == {str(pkg / "libdms.so.0"), str(pkg / "libdms_c.so.0")}, loaded
print(f"python workflow ok: dms {dms.__version__} from {pkg}")
