#!/usr/bin/env bash
# The exports read back: the C++ tests tagged [exports] (tests/integration/test_exports.cpp,
# test_invoice_pdf.cpp) write CSV, XLSX and PDF files into a fresh directory, then pytest over
# tests/exports reads them with Python's csv, openpyxl, and poppler's pdftotext, pdftoppm and
# pdffonts. Needs DMS_TEST_PG_URL (scripts/test.sh starts PostgreSQL). Fails when either step
# fails or pytest collects nothing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$root/build/${DMS_PRESET:-dev}"
tests="$build/tests/dms_integration_tests"
if [ ! -x "$tests" ]; then
  echo "exports.sh: $tests is not built" >&2
  exit 1
fi
out="$(mktemp -d /tmp/dms-exports.XXXXXX)"
trap 'rm -rf "$out"' EXIT
DMS_EXPORT_DIR="$out" "$tests" "[exports]"
cd "$root"
export DMS_EXPORT_DIR="$out"
export PYTHONDONTWRITEBYTECODE=1
status=0
/usr/bin/python3 -m pytest -q -p no:cacheprovider tests/exports || status=$?
if [ "$status" -eq 5 ]; then
  echo "exports.sh: pytest collected no tests" >&2
fi
exit "$status"
