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

import atexit
import weakref
from collections import deque
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

__all__ = ["open", "Database", "Session", "Context", "Events", "Subscription", "methods",
           "schema", "__version__", *_error_names]


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


def _wait_ms(wait):
    if wait is None:
        return None
    if isinstance(wait, bool) or not isinstance(wait, (int, float)) or wait < 0:
        raise ValidationError("wait must be a number of seconds >= 0, or None",
                              code="VALIDATION_ERROR", code_number=200, field="wait")
    return int(wait * 1000)


class Events:
    """An iterator over the committed-event feed (Database.events): each event once its
    transaction has committed, in commit order. ``cursor`` is the cursor after the last event
    yielded (save it to resume)."""

    def __init__(self, native, cursor, wait, limit):
        self._native = native
        self._cursor = cursor or ""
        self._wait_ms = _wait_ms(wait)
        self._limit = limit
        self._buffer = deque()

    @property
    def cursor(self):
        return self._cursor

    def __iter__(self):
        return self

    def __next__(self):
        if not self._buffer:
            events, _ = self._native.events_since(self._cursor, self._limit, self._wait_ms)
            if not events:
                raise StopIteration
            self._buffer.extend(events)
        event = self._buffer.popleft()
        self._cursor = event["cursor"]
        return event


_live_subscriptions = weakref.WeakSet()


class Subscription:
    """A running subscription (Database.subscribe). close() it, or use it as a context manager:
    no callback runs after close() returns. When the callback raised, the subscription stopped
    and close() raises that exception."""

    def __init__(self, native, on_close=None):
        self._native = native
        self._on_close = on_close
        _live_subscriptions.add(self)

    @property
    def cursor(self):
        """The cursor after the last event delivered."""
        return self._native.cursor

    @property
    def active(self):
        return self._native.active

    def close(self):
        _live_subscriptions.discard(self)
        if self._on_close is not None:
            self._on_close(self)
            self._on_close = None
        self._native.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@atexit.register
def _close_subscriptions():
    # Their threads call into Python: stop them before the interpreter goes away.
    for subscription in list(_live_subscriptions):
        try:
            subscription.close()
        except Exception:  # noqa: BLE001 - shutting down: nothing left to report to
            pass


class Database:
    """An open database. Use dms.open(); close it (or use ``with``) when done.

    Service helpers: ``db.<service>.<method>(ctx, **fields)``, e.g.
    ``db.purchase_orders.create(ctx, supplier_id=..., items=[...])``; ``dir(db)`` lists the
    services."""

    def __init__(self, native):
        self._native = native
        self._services = build_services(native, _native.methods(), _native.schema())
        self._subscriptions = set()

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

    def export_report(self, ctx, name, path, *, format, params=None, progress=None):
        """Runs report `name` and writes it to the file `path` as csv, xlsx or pdf (large exports;
        reports.Export returns the bytes instead). progress(done, total) is called as rows are
        written; returning False cancels (dms.Error EXPORT_CANCELLED, no file left). Returns
        {"filename", "contentType", "sizeBytes"}."""
        request = {"name": name, "format": format, "params": params or {}}
        return self._native.export_report(getattr(ctx, "context", ctx), request, str(path),
                                          progress)

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

    def events(self, cursor=None, wait=0, *, limit=100):
        """HOST-LEVEL: an iterator over the events committed after `cursor` (None: the
        beginning), in commit order, each a dict {cursor, id, type, payload, serviceCenterId,
        audienceRole, occurredAt}. Once caught up it waits up to `wait` seconds for the next
        event (0: stops at once; None: waits without end), then stops. No permission check:
        filter events per user (serviceCenterId, audienceRole) before showing them."""
        return Events(self._native, cursor, wait, limit)

    def events_head(self):
        """The cursor after the newest committed event: follow the feed from now on."""
        return self._native.events_head()

    def subscribe(self, callback, cursor=None, *, on_error=None, poll_interval=0.1, batch=100):
        """HOST-LEVEL: calls ``callback(event)`` for each event committed after `cursor` (None:
        the beginning), in commit order, on the subscription's own thread, until the returned
        Subscription is closed. This Database's commits wake it at once; other processes' are
        polled every `poll_interval` seconds. ``on_error(exc)`` hears read failures (retried).
        At least once: resume after a restart from the cursor of the last event handled."""
        if isinstance(poll_interval, bool) or not isinstance(poll_interval, (int, float)):
            raise ValidationError("poll_interval must be a number of seconds",
                                  code="VALIDATION_ERROR", code_number=200,
                                  field="poll_interval")
        native = self._native.subscribe(callback, cursor or "", on_error,
                                        max(1, int(poll_interval * 1000)), batch)
        subscription = Subscription(native, self._subscriptions.discard)
        self._subscriptions.add(subscription)  # runs until closed, referenced or not
        return subscription
    def start_dispatcher(self):
        """Runs the message dispatcher on the database's background thread: queued e-mail and
        SMS go out (docs/settings.md) until stop_dispatcher() or close(). Idempotent."""
        self._native.start_dispatcher()

    def stop_dispatcher(self):
        """Stops the background dispatcher (waits for the batch in progress)."""
        self._native.stop_dispatcher()

    def close(self):
        """Closes the database and its subscriptions; calls already running finish first, later
        ones raise."""
        for subscription in list(self._subscriptions):
            try:
                subscription.close()
            except Exception:  # noqa: BLE001 - the callback's failure was the host's to handle
                pass
        self._native.close()

    @property
    def closed(self):
        return self._native.closed

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open(url, *, sqlite_synchronous=None, pool_size=None, token_secret=None,  # noqa: A001
         delivery=None, background=None, reader_url=None):
    """Opens (creating and migrating as needed) a database: a SQLite file path, ":memory:", or a
    "postgresql://user@host:port/db" URL.

    sqlite_synchronous: "FULL" (default, durable commits) or "NORMAL"; pool_size: PostgreSQL
    connections; token_secret: the HS256 key of access tokens (default: random per Database, so
    tokens do not survive a restart); delivery: the e-mail and SMS settings, a dict like
    {"smtp": {...}, "sms": {...}, "retry": {...}} (docs/settings.md); background:
    {"dispatcher": True} runs the message dispatcher on a background thread; reader_url: a
    PostgreSQL read replica that reports and dashboards read from (docs/reports.md)."""
    return Database(_native.Database.open(
        url, sqlite_synchronous=sqlite_synchronous, pool_size=pool_size,
        token_secret=token_secret,
        delivery_json=None if delivery is None else _json.dumps(delivery),
        background_json=None if background is None else _json.dumps(background),
        reader_url=reader_url))
