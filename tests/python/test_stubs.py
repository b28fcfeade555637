"""The type stubs (bindings/python/dms/__init__.pyi): generated from the current schema, and
useful: mypy accepts a typical program and rejects wrong types, unknown services and unknown
fields."""

import os
import subprocess
import sys
import textwrap

import pytest

import dms
from conftest import ROOT

sys.path.insert(0, str(ROOT / "bindings" / "python"))
import gen_stubs  # noqa: E402


def test_stubs_match_the_schema():
    assert gen_stubs.TARGET.read_text() == gen_stubs.generate(dms.schema()), (
        "bindings/python/dms/__init__.pyi is stale: run "
        "PYTHONPATH=bindings/python:build/dev/python /usr/bin/python3 bindings/python/gen_stubs.py")


GOOD = """
    import datetime
    from decimal import Decimal
    import dms

    def run(db: dms.Database, ctx: dms.Context) -> Decimal:
        pong = db.system.ping(ctx, echo="hi")
        when: datetime.datetime = pong["time"]
        invoice = db.invoices.record_payment(ctx, id="x", amount=Decimal("10.50"),
                                             payment_method="cash")
        total: Decimal = invoice["grandTotal"]
        items = db.users.list(ctx, limit=5)["data"]
        emails = [u["email"] for u in items]
        try:
            db.call(ctx, "system.Ping", {"echo": "x"})
        except dms.InvalidTransition as e:
            print(e.from_state, e.to_state, emails, when)
        return total
"""

BAD = """
    import dms

    def run(db: dms.Database, ctx: dms.Context) -> None:
        db.system.ping(ctx, echo=5)
        db.inventroy.adjust_stock(ctx)
        db.users.create(ctx, emial="a@b.in")
        x: int = db.system.version(ctx)["version"]
"""


def mypy(tmp_path, source):
    program = tmp_path / "program.py"
    program.write_text(textwrap.dedent(source))
    env = dict(os.environ, MYPYPATH=str(ROOT / "bindings" / "python"))
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                           "--cache-dir", str(tmp_path / ".mypy"), str(program)],
                          env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("source, ok", [(GOOD, True), (BAD, False)], ids=["good", "bad"])
def test_mypy_checks_programs_against_the_stubs(tmp_path, source, ok):
    done = mypy(tmp_path, source)
    if ok:
        assert done.returncode == 0, done.stdout + done.stderr
    else:
        assert done.returncode == 1, done.stdout + done.stderr
        for expected in ['Argument "echo"', '"inventroy"', '"emial"', "Incompatible types"]:
            assert expected in done.stdout, done.stdout
