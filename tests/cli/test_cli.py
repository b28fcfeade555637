"""The dms command end to end (docs/cli.md), on SQLite files in a temporary directory.

Run by ctest (tests/CMakeLists.txt: "cli: pytest") with DMS_CLI naming the built binary."""

import csv
import json
import os
import pty
import select
import sqlite3
import subprocess

import pytest

DMS = os.environ.get("DMS_CLI", "")


def dms(*args, db=None, check=None, stdin=None, env=None):
    argv = [DMS] + (["--db", str(db)] if db else []) + [str(a) for a in args]
    run = subprocess.run(argv, capture_output=True, text=True, input=stdin, env=env, timeout=300)
    if check is not None:
        assert run.returncode == check, (argv, run.returncode, run.stdout, run.stderr)
    return run


def dms_json(*args, db=None, check=0):
    run = dms("--json", *args, db=db, check=check)
    return json.loads(run.stdout)


def write_customers(path, n, bad=()):
    """n customers; the rows numbered in `bad` are broken in three different ways."""
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Name", "phone", "email", "city_state", "address"])
        for i in range(n):
            name, phone, email = f"Customer {i}", "+91%010d" % (9000000000 + i), f"c{i}@example.in"
            if i in bad:
                kind = sorted(bad).index(i)
                if kind == 0:
                    phone = "12345"
                elif kind == 1:
                    name = "X"
                else:
                    email = "not-an-email"
            # quoted fields with a comma, quotes and a line break: RFC 4180
            w.writerow([name, phone, email, "Pune, Maharashtra", f'Flat {i}, "Lake View"\nKothrud'])


def data_line(path, index):
    """The file line on which data row `index` (0-based) starts (every row spans two lines)."""
    return 2 + 2 * index


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "dealer.db"
    out = dms_json("init", "--email", "admin@dealer.in", "--phone", "+919800000001", db=path)
    assert out["adminCreated"] and out["temporaryPassword"]
    return path


def test_binary_is_given():
    assert DMS and os.access(DMS, os.X_OK), "set DMS_CLI to the built dms binary"


def test_help_everywhere():
    for args in (["--help"], ["init", "--help"], ["import", "customers", "--help"],
                 ["migrate", "status", "--help"], ["users", "reset-password", "--help"],
                 ["backup", "--help"], ["export", "--help"], ["jobs", "run", "--help"]):
        run = dms(*args, check=0)
        assert "Usage:" in run.stdout, args
    assert dms("no-such-command").returncode == 2


def test_init_on_a_new_file(tmp_path):
    path = tmp_path / "new.db"
    out = dms_json("init", "--email", "admin@dealer.in", "--phone", "+919800000001", db=path)
    assert out["created"] and out["migrationsApplied"] > 0 and out["schemaVersion"] > 0
    assert out["admin"]["email"] == "admin@dealer.in"
    assert len(out["temporaryPassword"]) >= 12
    # Shown once: the outbox keeps no copy of it.
    con = sqlite3.connect(path)
    bodies = [r[0] for r in con.execute("SELECT body FROM outbound_messages")]
    con.close()
    assert all(out["temporaryPassword"] not in b for b in bodies)
    again = dms_json("init", db=path)
    assert not again["created"] and again["migrationsApplied"] == 0 and not again["adminCreated"]
    # Text output, through the environment variable.
    env = dict(os.environ, DMS_DATABASE_URL=str(tmp_path / "env.db"))
    run = dms("init", "--email", "a@b.in", "--phone", "+919800000002", env=env, check=0)
    assert "temporary password" in run.stdout


def test_init_without_admin_details_fails(tmp_path):
    run = dms("init", db=tmp_path / "x.db", check=1)
    assert "--email" in run.stderr


def test_migrate_status_and_up(tmp_path):
    path = tmp_path / "m.db"
    status = dms_json("migrate", "status", db=path)
    assert status["applied"] == 0 and status["pending"] == len(status["migrations"]) > 0
    up = dms_json("migrate", "up", db=path)
    assert up["applied"] == status["pending"]
    after = dms_json("migrate", "status", db=path)
    assert after["pending"] == 0 and all(m["applied"] for m in after["migrations"])


def test_import_10000_customers_with_3_bad_rows(db, tmp_path):
    src = tmp_path / "customers.csv"
    bad = (100, 5000, 9001)
    write_customers(src, 10000, bad)
    out = dms_json("import", "customers", src, db=db, check=3)
    assert (out["rows"], out["imported"], out["existing"], out["rejected"]) == (10000, 9997, 0, 3)
    with open(out["report"], newline="") as f:
        report = list(csv.DictReader(f))
    assert [int(r["line"]) for r in report] == [data_line(src, i) for i in bad]
    assert [r["field"] for r in report] == ["phone", "name", "email"]
    assert all(r["code"] == "VALIDATION_ERROR" and r["reason"] for r in report)
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM customers").fetchone()[0] == 9997
    # Embedded comma, quotes and line break survive.
    address = con.execute("SELECT address FROM customers WHERE phone = '+919000000007'").fetchone()
    assert address[0] == 'Flat 7, "Lake View"\nKothrud'
    con.close()
    # Safe to re-run: nothing new, the existing rows counted.
    again = dms_json("import", "customers", src, db=db, check=3)
    assert (again["imported"], again["existing"], again["rejected"]) == (0, 9997, 3)
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM customers").fetchone()[0] == 9997
    con.close()
    # Text mode names the lines too.
    run = dms("import", "customers", src, db=db, check=3)
    assert f"line {data_line(src, 100)}: VALIDATION_ERROR phone" in run.stdout


def test_import_batches_commit_around_a_bad_row(db, tmp_path):
    src = tmp_path / "few.csv"
    write_customers(src, 25, bad=(0, 12, 13))
    out = dms_json("import", "customers", src, "--batch-size", "10", db=db, check=3)
    assert (out["imported"], out["rejected"]) == (22, 3)
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM customers").fetchone()[0] == 22
    con.close()


def test_import_malformed_csv_rows_are_reported(db, tmp_path):
    src = tmp_path / "broken.csv"
    # a spreadsheet's UTF-8 byte order mark, CRLF line ends
    src.write_text('\ufeffname,phone\r\nAsha Rao,+919811111111\r\nBad "quote,+919811111112\r\n'
                   'Too,many,+919811111113\r\nRavi K,+919811111114\r\n', encoding="utf-8")
    out = dms_json("import", "customers", src, db=db, check=3)
    assert out["imported"] == 2
    assert sorted(r["line"] for r in out["rejects"]) == [3, 4]


def test_import_vehicles_and_parts(db, tmp_path):
    cust = tmp_path / "c.csv"
    write_customers(cust, 3)
    dms_json("import", "customers", cust, db=db)
    veh = tmp_path / "v.csv"
    veh.write_text("customer_phone,registration,vin,vehicle_make,vehicle_model,vehicle_year\n"
                   "+919000000000,MH12AB1234,VIN00000000000001,Ather,450X,2023\n"
                   "+919000000001,MH12AB1235,VIN00000000000002,Ola,S1,twenty\n"
                   "+919999999999,MH12AB1236,VIN00000000000003,Ola,S1,2022\n")
    out = dms_json("import", "vehicles", veh, db=db, check=3)
    assert (out["imported"], out["rejected"]) == (1, 2)
    assert {r["field"] for r in out["rejects"]} == {"vehicleYear", "customerPhone"}
    again = dms_json("import", "vehicles", veh, db=db, check=3)
    assert (again["imported"], again["existing"]) == (0, 1)
    parts = tmp_path / "p.csv"
    parts.write_text("part_number,part_name,hsn_code,gst_rate,unit_price,is_active\n"
                     "BRK-001,Brake Pad,87083000,18,2500,true\n"
                     "BRK-002,Brake Disc,87083000,18,4100.50,yes\n"
                     "BRK-003,Brake Shoe,87083000,eighteen,100,true\n")
    out = dms_json("import", "parts", parts, db=db, check=3)
    assert (out["imported"], out["rejected"]) == (2, 1)
    assert dms_json("import", "parts", parts, db=db, check=3)["existing"] == 2


def test_verify_then_tamper(db, tmp_path):
    src = tmp_path / "c.csv"
    write_customers(src, 50)
    dms_json("import", "customers", src, db=db)
    ok = dms_json("verify", db=db)
    assert ok["ok"] and ok["audit"]["rows"] >= 51
    con = sqlite3.connect(db)
    victim = con.execute("SELECT id FROM audit_logs ORDER BY seq LIMIT 1 OFFSET 10").fetchone()[0]
    con.execute("UPDATE audit_logs SET new_values = '{\"name\":\"Mallory\"}' WHERE id = ?",
                (victim,))
    con.commit()
    con.close()
    run = dms("verify", db=db, check=1)
    assert "audit chains: FAILED" in run.stdout and victim in run.stdout
    bad = dms_json("verify", db=db, check=1)
    assert not bad["ok"] and bad["audit"]["firstBadId"] == victim


def dump(path):
    con = sqlite3.connect(path)
    lines = list(con.iterdump())
    con.close()
    return lines


def test_backup_and_restore_round_trip(db, tmp_path):
    src = tmp_path / "c.csv"
    write_customers(src, 200)
    dms_json("import", "customers", src, db=db)
    before = dump(db)
    backup = tmp_path / "backup.db"
    out = dms_json("backup", backup, db=db)
    assert out["ok"] and dump(backup) == before
    # Change the database, then restore the backup over it.
    write_customers(tmp_path / "more.csv", 210)
    dms_json("import", "customers", tmp_path / "more.csv", db=db)
    assert dump(db) != before
    dms("restore", backup, db=db, check=2)  # --yes is required
    dms_json("restore", backup, "--yes", db=db)
    assert dump(db) == before
    assert dms_json("verify", db=db)["ok"]
    run = dms("backup", tmp_path / "x", db="postgresql://u@localhost/dms", check=1)
    assert "pg_dump" in run.stderr


def test_users_create_and_reset_password(db):
    out = dms_json("users", "create", "--email", "sm@dealer.in", "--phone", "+919800000011",
                   "--first-name", "Sam", "--last-name", "Manager", "--role", "admin", db=db)
    assert out["user"]["email"] == "sm@dealer.in" and out["temporaryPassword"]
    sent = dms_json("users", "create", "--email", "s2@dealer.in", "--phone", "+919800000012",
                    "--first-name", "S", "--last-name", "Two", "--role", "admin", "--send", db=db)
    assert sent["temporaryPassword"] is None
    con = sqlite3.connect(db)
    queued = con.execute("SELECT COUNT(*) FROM outbound_messages WHERE user_id = ? AND "
                         "sent_at IS NULL", (sent["user"]["id"],)).fetchone()[0]
    con.close()
    assert queued == 1
    code = dms_json("users", "reset-password", "sm@dealer.in", db=db)
    assert code["resetCode"]
    run = dms("--json", "users", "reset-password", "sm@dealer.in", "--password-stdin", db=db,
              stdin="A-new-Passw0rd!\n", check=0)
    assert json.loads(run.stdout)["ok"]
    assert dms("users", "reset-password", "nobody@dealer.in", db=db, check=1)


def test_export_customers_csv(db, tmp_path):
    src = tmp_path / "c.csv"
    write_customers(src, 230)
    dms_json("import", "customers", src, db=db)
    out_file = tmp_path / "out.csv"
    out = dms_json("export", "customers", "-o", out_file, "--fields", "id,name,phone,address", db=db)
    assert out["rows"] == 230
    with open(out_file, newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 230 and set(rows[0]) == {"id", "name", "phone", "address"}
    assert any(r["address"] == 'Flat 3, "Lake View"\nKothrud' for r in rows)
    run = dms("export", "customers", "-o", out_file, "--format", "xlsx", db=db, check=1)
    assert "reports" in run.stderr


def test_jobs_run_needs_the_scheduler(db):
    run = dms("jobs", "run", "--once", db=db)
    if "jobs.RunDue" in run.stderr:  # no scheduler in this build: a clear message, exit 1
        assert run.returncode == 1
    else:
        assert run.returncode == 0, run.stderr


def run_on_pty(argv):
    """Runs argv with stderr (and stdout) on a pseudo-terminal; returns everything written."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    return proc.returncode, b"".join(chunks).decode(errors="replace")


def test_progress_bar_on_a_terminal_and_lines_otherwise(db, tmp_path):
    src = tmp_path / "c.csv"
    write_customers(src, 3000)
    rc, out = run_on_pty([DMS, "--db", str(db), "import", "customers", str(src)])
    assert rc == 0, out
    assert "\r" in out and "[" + "#" * 30 + "]" in out and "3,000/3,000 100%" in out
    assert "rows/s" in out
    # Not a terminal: plain lines, no carriage returns.
    run = dms("import", "customers", src, db=db, check=0)
    assert "\r" not in run.stderr and "import customers: 3000/3000 rows (100%)" in run.stderr
    # --json: no progress at all.
    run = dms("--json", "import", "customers", src, db=db, check=0)
    assert run.stderr == ""


@pytest.fixture
def postgres_url():
    """A fresh schema on the server of DMS_TEST_PG_URL (scripts/test.sh starts one); FAILS
    without it."""
    import uuid

    server = os.environ.get("DMS_TEST_PG_URL")
    if not server:
        pytest.fail("DMS_TEST_PG_URL is not set: the PostgreSQL run cannot happen "
                    "(use scripts/test.sh, or source scripts/pg.sh and run dms_pg_start)")
    schema = "test_cli_" + uuid.uuid4().hex[:12]

    def psql(sql):
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", server, "-c", sql], check=True,
                       stdout=subprocess.DEVNULL)

    psql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in server else "?"
    yield f"{server}{separator}options=-csearch_path%3D{schema}"
    psql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def test_postgresql_init_import_verify(postgres_url, tmp_path):
    status = dms_json("migrate", "status", db=postgres_url)
    assert status["applied"] == 0 and status["pending"] > 0
    out = dms_json("init", "--email", "admin@dealer.in", "--phone", "+919800000001",
                   db=postgres_url)
    assert out["adminCreated"] and out["temporaryPassword"]
    src = tmp_path / "c.csv"
    write_customers(src, 1200, bad=(3, 600, 1199))
    first = dms_json("import", "customers", src, "--batch-size", "250", db=postgres_url, check=3)
    assert (first["imported"], first["existing"], first["rejected"]) == (1197, 0, 3)
    assert [r["line"] for r in first["rejects"]] == [data_line(src, i) for i in (3, 600, 1199)]
    again = dms_json("import", "customers", src, db=postgres_url, check=3)
    assert (again["imported"], again["existing"]) == (0, 1197)
    verified = dms_json("verify", db=postgres_url)
    assert verified["ok"] and verified["audit"]["rows"] >= 1198
    run = dms("backup", tmp_path / "x.db", db=postgres_url, check=1)
    assert "pg_dump" in run.stderr


def test_export_a_report_to_csv_xlsx_pdf(db, tmp_path):
    """With the reports and exports modules: a report in each format; without: a clear refusal."""
    run = dms("export", "--report", "financial.revenue_by_period", "--param", "groupBy=month",
              "--format", "csv", "-o", tmp_path / "r.csv", db=db)
    if "lacks" in run.stderr:  # this libdms has no report engine
        assert run.returncode == 1
        return
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "r.csv").read_bytes().split(b"\r\n")[0]  # a header row
    for fmt, magic in (("xlsx", b"PK"), ("pdf", b"%PDF")):
        out = dms_json("export", "--report", "financial.revenue_by_period", "--format", fmt,
                       "-o", tmp_path / f"r.{fmt}", db=db)
        assert out["format"] == fmt and out["title"]
        assert (tmp_path / f"r.{fmt}").read_bytes().startswith(magic)
    assert dms("export", "--report", "no.such_report", "-o", tmp_path / "x.csv", db=db).returncode == 1
