"""Exports through the Python binding: reports.Export's bytes, and the file export with a
progress callback that can cancel (issue 14, item 3)."""

import base64
import csv
import io

import pytest

import dms


def test_export_bytes_and_files_with_progress(db, tmp_path):
    system = db.system_context()
    out = db.call(system, "reports.Export",
                  {"name": "financial.revenue_by_period", "format": "csv",
                   "params": {"from": "2026-01-01", "to": "2026-03-31", "groupBy": "month"}})
    assert out["contentType"] == "text/csv; charset=utf-8"
    content = out["content"]
    raw = content if isinstance(content, bytes) else base64.b64decode(content)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert rows and rows[0][0]  # the header row

    calls = []
    path = tmp_path / "revenue.xlsx"
    info = db.export_report(system, "financial.revenue_by_period", path, format="xlsx",
                            params={"from": "2026-01-01", "to": "2026-03-31"},
                            progress=lambda done, total: calls.append((done, total)) or True)
    assert path.stat().st_size == info["sizeBytes"] > 1000
    assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1]

    cancelled = tmp_path / "cancelled.pdf"
    with pytest.raises(dms.Error) as e:
        db.export_report(system, "financial.revenue_by_period", cancelled, format="pdf",
                         progress=lambda done, total: False)
    assert e.value.code == "EXPORT_CANCELLED"
    assert not cancelled.exists()

    def boom(done, total):
        raise KeyError("stop")

    with pytest.raises(KeyError):
        db.export_report(system, "financial.revenue_by_period", cancelled, format="csv",
                         progress=boom)
    assert not cancelled.exists()

    with pytest.raises(dms.Error) as e:
        db.export_report(system, "financial.revenue_by_period", cancelled, format="docx")
    assert e.value.code == "EXPORT_FORMAT_UNSUPPORTED"
