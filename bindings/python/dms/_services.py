"""Pythonic service helpers, generated from the method registry and the wire schema.

Every registered method "prefix.MethodName" becomes ``db.<prefix in snake_case>.<method in
snake_case>(ctx, **fields)``: ``db.inventory.adjust_stock(ctx, part_id=..., quantity=Decimal("10"))``
calls "inventory.AdjustStock" with ``{"partId": ..., "quantity": "10"}``: dms._native turns
keyword names, and the keys of nested dicts, from snake_case into the API's camelCase (camelCase
keys pass unchanged). A dict may also be given positionally and is merged with the keywords.
"""

import re

_ACRONYM = re.compile(r"([A-Z]+)([A-Z][a-z])")
_WORD = re.compile(r"([a-z0-9])([A-Z])")


def camel_to_snake(name):
    """'AdjustStock' -> 'adjust_stock', 'purchaseOrders' -> 'purchase_orders', 'ValidateGSTIN' ->
    'validate_gstin'."""
    return _WORD.sub(r"\1_\2", _ACRONYM.sub(r"\1_\2", name)).lower()


def _describe(message_name, schema):
    message = schema["messages"].get(message_name)
    if not message or not message["fields"]:
        return "    (no fields)"
    lines = []
    for field in message["fields"]:
        kind = field["kind"]
        if field["type"] == "message":
            kind = field["message"].rsplit(".", 1)[-1]
        elif kind == "text":
            kind = field["type"]
        kind = {"decimal": "Decimal", "date": "date", "timestamp": "datetime"}.get(kind, kind)
        if field["repeated"]:
            kind = f"list[{kind}]"
        lines.append(f"    {camel_to_snake(field['name'])} ({field['name']}): {kind}")
    return "\n".join(lines)


class Method:
    """One service method, bound to a Database: call it as ``method(ctx, **fields)``."""

    def __init__(self, native, name, schema):
        self._native = native
        self.name = name
        self.__name__ = camel_to_snake(name.split(".", 1)[1])
        self.__qualname__ = f"{camel_to_snake(name.split('.', 1)[0])}.{self.__name__}"
        types = schema["methods"].get(name)
        if types:
            self.__doc__ = (f'Calls "{name}" and returns its response dict.\n\nRequest fields:\n'
                            f'{_describe(types["request"], schema)}\n\nResponse fields:\n'
                            f'{_describe(types["response"], schema)}\n')
        else:
            self.__doc__ = f'Calls "{name}" and returns its response dict.'

    def __call__(self, ctx, request=None, /, **fields):
        ctx = getattr(ctx, "context", ctx)  # a Session stands for its Context
        if fields:
            merged = dict(request) if request else {}
            merged.update(fields)
            request = merged
        return self._native.call(ctx, self.name, request)

    def __repr__(self):
        return f"<dms method {self.name}>"


class Service:
    """The methods of one service prefix ("inventory"), as attributes in snake_case."""

    def __init__(self, prefix, methods):
        self._prefix = prefix
        self._methods = methods
        for method in methods.values():
            setattr(self, method.__name__, method)

    def __dir__(self):
        return sorted(m.__name__ for m in self._methods.values())

    def __repr__(self):
        return f"<dms service {self._prefix}: {', '.join(self.__dir__())}>"


def build_services(native, method_names, schema):
    """{snake_case prefix: Service} for every registered method."""
    grouped = {}
    for name in method_names:
        prefix, _, _ = name.partition(".")
        grouped.setdefault(prefix, {})[name] = Method(native, name, schema)
    return {camel_to_snake(prefix): Service(prefix, methods) for prefix, methods in grouped.items()}
