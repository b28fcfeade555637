"""The exports read back by other programs (issue 14's acceptance).

scripts/suites/exports.sh first runs the C++ tests tagged [exports], which write their files into
$DMS_EXPORT_DIR, then runs this file: CSV through Python's csv module, XLSX through openpyxl
(values and types), PDF through poppler's pdftotext (the figures are in the text), pdffonts (the
font is embedded Noto Sans, not a substitute) and pdftoppm (every page renders).
"""

import csv
import datetime
import os
import pathlib
import re
import subprocess
import zipfile

import openpyxl
import pytest

DIR = pathlib.Path(os.environ.get("DMS_EXPORT_DIR", "/nonexistent"))


def path(name):
    p = DIR / name
    assert p.exists(), f"{p} was not written (run scripts/suites/exports.sh)"
    return p


def pdf_text(p, page=None):
    args = ["pdftotext", "-layout"]
    if page:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run(args + [str(p), "-"], check=True, capture_output=True,
                          text=True).stdout


def pdf_pages(p):
    info = subprocess.run(["pdfinfo", str(p)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def pdf_fonts(p):
    out = subprocess.run(["pdffonts", str(p)], check=True, capture_output=True, text=True).stdout
    return out.splitlines()[2:]


def renders_every_page(p, tmp_path):
    pages = pdf_pages(p)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(p), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == pages
    for image in images:
        data = image.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(data) > 2000  # something is drawn
    return pages


def test_csv_reads_back_with_the_csv_module():
    with open(path("sample.csv"), newline="", encoding="utf-8") as f:
        raw = f.read()
    assert "\r\n" in raw and not raw.startswith("\ufeff")
    rows = list(csv.reader(raw.splitlines(keepends=True)))
    assert rows[0] == ["Month", "From", "Invoices", "Revenue", "Growth", "Last invoice"]
    assert rows[1] == ["2026-06", "2026-06-01", "10", "123456.50", "", "2026-06-28T17:45:09Z"]
    assert rows[6][3] == "1234567890.12"
    assert rows[7] == []
    assert rows[8] == ["Payment methods"]
    assert rows[10:14] == [
        ["UPI", "50000.00", "50.00"],
        ['Cash, "counter"', "30000.00", "30.00"],
        ["Card\r\nterminal 2", "15000.00", "15.00"],
        ["Cheque \u20b9 \u0928\u0915\u0926", "5000.00", "5.00"],
    ]


def test_xlsx_values_types_formats_and_panes():
    wb = openpyxl.load_workbook(path("sample.xlsx"))
    assert wb.sheetnames == ["Revenue by month", "Payment methods"]
    ws = wb["Revenue by month"]
    assert [c.value for c in ws[1]] == ["Month", "From", "Invoices", "Revenue", "Growth",
                                        "Last invoice"]
    assert ws[1][0].font.b
    assert ws.freeze_panes == "A2"
    assert ws["A2"].value == "2026-06" and isinstance(ws["A2"].value, str)
    assert ws["B2"].is_date and ws["B2"].value == datetime.datetime(2026, 6, 1)
    assert ws["C2"].value == 10 and isinstance(ws["C2"].value, (int, float))
    assert ws["D2"].value == pytest.approx(123456.50) and isinstance(ws["D2"].value, float)
    assert ws["D2"].number_format == "#,##0.00"
    assert ws["E2"].value is None
    assert ws["E3"].value == pytest.approx(0.125) and ws["E3"].number_format == "0.00%"
    assert ws["F2"].value == datetime.datetime(2026, 6, 28, 17, 45, 9)
    # Totals in a bold last row.
    assert ws["C8"].value == 75
    assert ws["D8"].value == pytest.approx(1334011780.47)
    assert ws["D8"].font.b
    # Column widths from the content.
    assert ws.column_dimensions["D"].width >= len("1,23,45,67,890.12")
    pm = wb["Payment methods"]
    assert pm["A3"].value == 'Cash, "counter"'
    assert pm["A5"].value == "Cheque \u20b9 \u0928\u0915\u0926"
    assert pm["B2"].value == pytest.approx(50000.0)
    # Native charts: two on the first sheet, a pie on the second.
    with zipfile.ZipFile(path("sample.xlsx")) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 3
        assert any(b"<c:pieChart>" in z.read(n) for n in charts)
        assert b"constant" not in z.read("xl/workbook.xml")  # a regular workbook


def test_xlsx_workbook_of_several_reports():
    wb = openpyxl.load_workbook(path("sample-book.xlsx"))
    assert wb.sheetnames == ["Revenue - Revenue by month", "Revenue - Payment methods",
                             "Revenue"]
    long = wb["Revenue"]
    assert long.max_row == 1 + 206 + 1  # header, rows, totals


def test_report_pdf_text_fonts_and_pages(tmp_path):
    p = path("sample.pdf")
    text = pdf_text(p)
    for figure in ["Revenue by month", "Revenue (\u20b9)", "1,23,456.50", "9,87,65,432.10",
                   "1,23,45,67,890.12", "1,33,40,11,780.47", "12.50%", "-100.00%", "Total",
                   "Payment methods", "50,000.00", "Pune Central, 2026-06-01 to 2026-11-30",
                   "Page 1 of 1", "Cheque \u20b9"]:
        assert figure in text, figure
    fonts = pdf_fonts(p)
    assert fonts and all("NotoSans" in line for line in fonts)
    assert all(" yes " in line for line in fonts)  # embedded
    assert renders_every_page(p, tmp_path) == 1


def test_long_report_pdf_repeats_the_header_on_every_page(tmp_path):
    p = path("sample-long.pdf")
    pages = pdf_pages(p)
    assert pages >= 4
    for n in range(1, pages + 1):
        text = pdf_text(p, n)
        assert f"Page {n} of {pages}" in text
        assert re.search(r"Month\s+From\s+Invoices\s+Revenue", text), n
    assert "Total" in pdf_text(p, pages)
    assert renders_every_page(p, tmp_path) == pages


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
@pytest.mark.parametrize("kind", ["invoice-inter", "invoice-intra", "credit-note"])
def test_invoice_pdfs_render_with_the_rupee_font(kind, engine, tmp_path):
    p = path(f"{kind}-{engine}.pdf")
    text = pdf_text(p)
    assert ("CREDIT NOTE" if kind == "credit-note" else "TAX INVOICE") in text
    for particular in ["GSTIN", "Place of supply", "HSN/SAC", "Taxable value", "Reverse charge",
                       "Amount in words: Rupees", "Authorised Signatory"]:
        assert particular in text, particular
    if kind != "credit-note":
        assert "\u20b9" in text
    fonts = pdf_fonts(p)
    assert fonts and all("NotoSans" in line for line in fonts)
    assert renders_every_page(p, tmp_path) == 1


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_monthly_report_pdf_and_workbook(engine, tmp_path):
    wb = openpyxl.load_workbook(path(f"monthly-{engine}.xlsx"))
    assert len(wb.sheetnames) >= 10  # a sheet per report table
    assert "Revenue by period" in wb.sheetnames
    revenue = wb["Revenue by period"]
    assert revenue.freeze_panes == "A2"
    p = path(f"monthly-{engine}.pdf")
    info = subprocess.run(["pdfinfo", str(p)], check=True, capture_output=True, text=True).stdout
    assert "Monthly report 2025-06" in info
    text = pdf_text(p)
    for title in ["Revenue by period", "Payment methods", "Stock status", "Service completion"]:
        assert title in text, title
    assert "4,130.00" in text  # the month's revenue: 1,180.00 + 2,950.00
    assert renders_every_page(p, tmp_path) == pdf_pages(p) >= 10


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_report_export_pdf_renders(engine, tmp_path):
    p = path(f"payment-methods-{engine}.pdf")
    assert "Payment methods" in pdf_text(p)
    assert renders_every_page(p, tmp_path) >= 1
    wb = openpyxl.load_workbook(path(f"revenue-{engine}.xlsx"))
    assert wb.active["A1"].value
