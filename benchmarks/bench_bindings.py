"""The cost of a trivial call from Python: system.Ping {"echo": "hello"} (no permission, no storage)
through dms._native directly and through the Pythonic helper. Compare with BM_Cpp_DatabaseCall of
bench_bindings (docs/benchmarks.md, "Bindings").

    PYTHONPATH=bindings/python:build/dev/python /usr/bin/python3 benchmarks/bench_bindings.py
"""

import statistics
import sys
import time

import dms
from dms import _native


def per_call_us(fn, calls=200_000, repeats=5):
    """Median over `repeats` runs of the CPU time per call, in microseconds."""
    results = []
    for _ in range(repeats):
        start = time.process_time()
        for _ in range(calls):
            fn()
        results.append((time.process_time() - start) / calls * 1e6)
    return statistics.median(results)


def main():
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    db = dms.open(":memory:")
    native = db._native
    ctx = db.system_context()
    request = {"echo": "hello"}
    ping = db.system.ping
    figures = {
        "native: _native.Database.call(ctx, 'system.Ping', {...})":
            per_call_us(lambda: native.call(ctx, "system.Ping", request), calls),
        "package: db.call(ctx, 'system.Ping', {...})":
            per_call_us(lambda: db.call(ctx, "system.Ping", request), calls),
        "helper: db.system.ping(ctx, echo='hello')":
            per_call_us(lambda: ping(ctx, echo="hello"), calls),
    }
    for name, us in figures.items():
        print(f"{us:8.2f} us  {name}")
    db.close()


if __name__ == "__main__":
    main()
