#!/usr/bin/env bash
# Benchmark: dms import customers of an N-row CSV (default 100,000) into a fresh SQLite file;
# prints rows per second for the first run (all new) and a re-run (all existing, skipped).
# Usage: benchmarks/import_customers.sh [rows] [batch size] [dms binary]   (docs/benchmarks.md)
set -euo pipefail
rows="${1:-100000}"
batch="${2:-500}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dms="${3:-$root/build/dev/bin/dms}"
tmp="$(mktemp -d /tmp/dms-import-bench.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 - "$rows" "$tmp/customers.csv" <<'PY'
import csv, sys
n, out = int(sys.argv[1]), sys.argv[2]
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["name", "phone", "email", "city_state", "pincode", "address"])
    for i in range(n):
        w.writerow([f"Customer {i}", "+91%010d" % (9000000000 + i), f"c{i}@example.in",
                    "Pune, Maharashtra", "411038", f"Flat {i}, Lake View, Kothrud"])
PY
"$dms" --db "$tmp/dealer.db" --json init --email admin@dealer.in --phone +919800000001 >/dev/null
for run in first re-run; do
  out="$("$dms" --db "$tmp/dealer.db" --json import customers "$tmp/customers.csv" --batch-size "$batch")"
  /usr/bin/python3 -c 'import json,sys; d=json.loads(sys.argv[2]); print(sys.argv[1].ljust(7), " ".join("%s=%s" % (k, d[k]) for k in ("rows","imported","existing","rejected","batches","rowsPerSecond")), "seconds=%.2f" % d["seconds"])' "$run" "$out"
done
echo "file: $(du -h "$tmp/dealer.db" | cut -f1) SQLite, batch size $batch"
