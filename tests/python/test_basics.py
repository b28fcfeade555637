"""The Python binding without business services: the package, documents, errors, threads."""

import datetime
import threading
import time
from decimal import Decimal

import pytest

import dms
from dms import _native
from dms._services import camel_to_snake


def test_package_reexports_the_native_module():
    assert dms.__version__ == _native.version()
    assert dms.version_number == _native.version_number() >= 1000
    assert "system.Ping" in dms.methods()
    assert dms.schema()["methods"]["system.Ping"] == {
        "request": "dms.v1.PingRequest", "response": "dms.v1.PingResponse"}
    assert dms.Context is _native.Context


def test_names_map_between_python_and_the_api():
    assert camel_to_snake("AdjustStock") == "adjust_stock"
    assert camel_to_snake("purchaseOrders") == "purchase_orders"
    assert camel_to_snake("CreateJobCard") == "create_job_card"
    assert camel_to_snake("ValidateGSTIN") == "validate_gstin"


def test_every_method_has_a_pythonic_helper(db):
    for name in dms.methods():
        prefix, method = name.split(".")
        helper = getattr(getattr(db, camel_to_snake(prefix)), camel_to_snake(method))
        assert helper.name == name
        assert name in helper.__doc__
    assert "system" in dir(db)
    with pytest.raises(AttributeError):
        db.no_such_service


def test_ping_and_version(db):
    pong = db.system.ping(None, echo="hello")
    assert pong["echo"] == "hello"
    assert isinstance(pong["time"], datetime.datetime)  # a timestamp field of the schema
    assert pong["time"].tzinfo is not None
    assert db.system.version(None) == {"version": dms.__version__,
                                       "versionNumber": dms.version_number}
    assert db.call(None, "system.Ping", {"echo": "x"})["echo"] == "x"


def test_values_are_sent_exactly(db):
    echo = lambda value: db.system.ping(None, echo=value)["echo"]  # noqa: E731
    assert echo(Decimal("4720000.50")) == "4720000.50"
    assert echo(Decimal("1E+1")) == "10"
    assert echo(datetime.date(2025, 12, 20)) == "2025-12-20"
    assert echo(datetime.datetime(2025, 12, 20, 15, 30, tzinfo=datetime.timezone(
        datetime.timedelta(hours=5, minutes=30)))) == "2025-12-20T10:00:00Z"


@pytest.mark.parametrize("value, message", [
    (1.5, "float"),
    (Decimal("NaN"), "finite"),
    (datetime.datetime(2025, 12, 20, 10, 0), "naive"),
    (object(), "unsupported type"),
    (2 ** 70, "too large"),
])
def test_inexact_or_unknown_values_are_refused(db, value, message):
    with pytest.raises(dms.ValidationError) as caught:
        db.system.ping(None, echo=value)
    assert caught.value.field == "echo"
    assert message in caught.value.message


def test_nested_keys_become_camel_case_and_paths_name_fields(db):
    with pytest.raises(dms.ValidationError) as caught:
        db.call(None, "system.Ping", {"echo": "x", "some_items": [{"unit_price": 0.5}]})
    assert caught.value.field == "someItems[0].unitPrice"
    recursive = []
    recursive.append(recursive)
    with pytest.raises(dms.ValidationError):
        db.system.ping(None, echo=recursive)


def test_errors_carry_the_shared_code(db):
    with pytest.raises(dms.NotFoundError) as caught:
        db.call(None, "no.Such")
    e = caught.value
    assert (e.code, e.code_number, e.field, e.retryable) == ("NOT_FOUND", 300, "method", False)
    assert isinstance(e, dms.Error) and "unknown method" in str(e)

    with pytest.raises(dms.ValidationError) as caught:
        db.system.ping(None, delay_ms=-5)
    assert caught.value.field == "delayMs"


def test_every_error_code_maps_to_its_class():
    expected = {
        "UNAUTHENTICATED": dms.AuthError, "INVALID_CREDENTIALS": dms.AuthError,
        "FORBIDDEN": dms.PermissionDenied, "VALIDATION_ERROR": dms.ValidationError,
        "OUT_OF_RANGE": dms.ValidationError, "NOT_FOUND": dms.NotFoundError,
        "DUPLICATE": dms.DuplicateError, "CONFLICT": dms.ConflictError,
        "BUSINESS_RULE": dms.BusinessRuleError,
        "INVALID_STATUS_TRANSITION": dms.InvalidTransition,
        "INSUFFICIENT_STOCK": dms.InsufficientStock, "RATE_LIMIT_EXCEEDED": dms.RateLimitedError,
        "STORAGE_ERROR": dms.StorageError, "UNAVAILABLE": dms.StorageError,
        "INTERNAL_ERROR": dms.InternalError,
    }
    from dms._errors import error_class
    for number, name, retryable in _native.error_codes():
        if number == 0:
            continue
        cls = error_class(number)
        assert issubclass(cls, dms.Error)
        if name in expected:
            assert cls is expected[name], name
        assert number // 100 != 1 or issubclass(cls, dms.AuthError)


def test_every_business_rule_has_its_own_code():
    from dms._errors import error_class
    native = {name: number for number, name, _ in _native.error_codes() if 502 < number < 600}
    assert dms.BUSINESS_RULE_CODES == native
    assert len(set(native.values())) == len(native) >= 29
    for name, number in native.items():
        assert error_class(number) is dms.BusinessRuleError, name
        e = error_class(number)("m", code=name, code_number=number)
        assert isinstance(e, dms.BusinessRuleError) and e.code == name
    assert dms.BUSINESS_RULE_CODES["VEHICLE_HAS_OPEN_JOB_CARD"] == 508


def test_contexts(db):
    ctx = db.system_context(request_id="req-1", ip="10.0.0.1")
    assert (ctx.role, ctx.permissions, ctx.user_id) == ("system", ["*"], "")
    assert (ctx.request_id, ctx.ip) == ("req-1", "10.0.0.1")
    assert ctx.has_permission("inventory:adjust")
    assert "role=system" in repr(ctx)
    assert db.system.ping(ctx)["time"]
    with pytest.raises(TypeError):
        dms.Context()  # only a Database makes contexts


def test_a_closed_database_refuses_calls(sqlite_url):
    with dms.open(sqlite_url) as db:
        assert not db.closed
    assert db.closed
    with pytest.raises(dms.ValidationError) as caught:
        db.system.ping(None)
    assert caught.value.field == "database"


def test_the_gil_is_released_during_calls(db):
    # Two threads each hold a call for 300 ms: together they take about 300 ms, not 600.
    def hold():
        db.system.ping(None, delay_ms=300)

    threads = [threading.Thread(target=hold) for _ in range(2)]
    start = time.monotonic()
    for t in threads:
        t.start()
    # Meanwhile this thread keeps running Python code.
    spins = 0
    while any(t.is_alive() for t in threads):
        spins += 1
        time.sleep(0.001)
    elapsed = time.monotonic() - start
    assert elapsed < 0.55, elapsed
    assert spins > 50


def test_open_rejects_bad_urls():
    with pytest.raises(dms.Error):
        dms.open("")
