"""libdms for Python: an embeddable dealer management system core.

    import dms
    from decimal import Decimal

    with dms.open("dealer.db") as db:              # or ":memory:", or "postgresql://..."
        me = db.login("admin@dealer.in", "secret")  # a Session; stands in for its Context
        part = db.inventory.adjust_stock(me, part_id=pid, adjustment_type="ADD",
                                         quantity=Decimal("10"), reason="STOCK_COUNT")
        part = db.call(me, "inventory.AdjustStock", {"partId": pid, ...})  # the same, by name

Every service method of the library is reachable as ``db.<service>.<method>(ctx, **fields)``
(generated from the method registry; see dms._services) or by name with ``db.call``. Requests
take decimal.Decimal (or str) for money and quantities, datetime.date and timezone-aware
datetime.datetime for times; responses give them back as the same types, for the fields the wire
schema (proto/dms/v1) marks as decimal, date or timestamp. Failures raise dms.Error subclasses
(see dms._errors). A Database is thread-safe and releases the GIL while the library works.
"""

import json as _json
from pkgutil import extend_path

# The package's Python files and the built dms._native may live in two directories (the source
# tree and the build tree): let the package span both.
__path__ = extend_path(__path__, __name__)

from . import _native  # noqa: E402
from ._errors import *  # noqa: E402,F401,F403
from ._errors import __all__ as _error_names  # noqa: E402
from ._native import Context  # noqa: E402
from ._services import build_services  # noqa: E402

__version__ = _native.version()
version_number = _native.version_number()

__all__ = ["open", "Database", "Session", "Context", "methods", "schema", "__version__",
           *_error_names]


def methods():
    """The names of every service method, sorted ("inventory.AdjustStock", ...)."""
    return _native.methods()


def schema():
    """The wire schema: {'methods': {name: {'request', 'response'}}, 'messages': {...}}."""
    return _native.schema()


class Session:
    """A logged-in user: the Context to act as, the tokens, and the user document.

    Pass a Session wherever a Context is expected."""

    __slots__ = ("context", "access_token", "refresh_token", "user")

    def __init__(self, context, access_token=None, refresh_token=None, user=None):
        self.context = context
        self.access_token = access_token
        self.refresh_token = refresh_token
        self.user = user

    def __repr__(self):
        return f"<dms.Session {self.context!r}>"


class Database:
    """An open database. Use dms.open(); close it (or use ``with``) when done.

    Service helpers: ``db.<service>.<method>(ctx, **fields)``, e.g.
    ``db.purchase_orders.create(ctx, supplier_id=..., items=[...])``; ``dir(db)`` lists the
    services."""

    def __init__(self, native):
        self._native = native
        self._services = build_services(native, _native.methods(), _native.schema())

    def __getattr__(self, name):
        services = self.__dict__.get("_services")
        if services is not None and name in services:
            return services[name]
        raise AttributeError(f"dms.Database has no attribute or service {name!r}")

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._services))

    def call(self, ctx, method, request=None):
        """Runs `method` ("workshop.CreateJobCard") as `ctx` (a Context or Session; None for an
        anonymous caller) with a request dict; returns the response dict. snake_case keys are
        accepted and sent as camelCase."""
        return self._native.call(getattr(ctx, "context", ctx), method, request)

    def login(self, login, password, *, request_id=None, ip=None, user_agent=None):
        """Logs in (auth.Login) and returns a Session."""
        session = self._native.login(login, password, request_id=request_id, ip=ip,
                                     user_agent=user_agent)
        context = self._native.context_from_token(session["accessToken"], request_id=request_id,
                                                  ip=ip, user_agent=user_agent)
        return Session(context, session.get("accessToken"), session.get("refreshToken"),
                       session.get("user"))

    def context_from_token(self, access_token, **meta):
        """The Context of a valid access token (meta: request_id, ip, user_agent,
        idempotency_key)."""
        return self._native.context_from_token(access_token, **meta)

    def context_for_user(self, user_id, **meta):
        """TRUSTED HOSTS ONLY: the Context of an existing user without credentials."""
        return self._native.context_for_user(user_id, **meta)

    def system_context(self, **meta):
        """TRUSTED HOSTS ONLY: the all-permission Context that bootstraps a new database
        (creating the first service center and admin)."""
        return self._native.system_context(**meta)

    def start_dispatcher(self):
        """Runs the message dispatcher on the database's background thread: queued e-mail and
        SMS go out (docs/settings.md) until stop_dispatcher() or close(). Idempotent."""
        self._native.start_dispatcher()

    def stop_dispatcher(self):
        """Stops the background dispatcher (waits for the batch in progress)."""
        self._native.stop_dispatcher()

    def close(self):
        """Closes the database; calls already running finish first, later ones raise."""
        self._native.close()

    @property
    def closed(self):
        return self._native.closed

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open(url, *, sqlite_synchronous=None, pool_size=None, token_secret=None,  # noqa: A001
         delivery=None, background=None):
    """Opens (creating and migrating as needed) a database: a SQLite file path, ":memory:", or a
    "postgresql://user@host:port/db" URL.

    sqlite_synchronous: "FULL" (default, durable commits) or "NORMAL"; pool_size: PostgreSQL
    connections; token_secret: the HS256 key of access tokens (default: random per Database, so
    tokens do not survive a restart); delivery: the e-mail and SMS settings, a dict like
    {"smtp": {...}, "sms": {...}, "retry": {...}} (docs/settings.md); background:
    {"dispatcher": True} runs the message dispatcher on a background thread."""
    return Database(_native.Database.open(
        url, sqlite_synchronous=sqlite_synchronous, pool_size=pool_size,
        token_secret=token_secret,
        delivery_json=None if delivery is None else _json.dumps(delivery),
        background_json=None if background is None else _json.dumps(background)))
