"""Fixtures of the Python binding's tests.

scripts/suites/python.sh runs them with PYTHONPATH=bindings/python:build/<preset>/python.
`engine_url` gives each test a fresh, empty database: a temporary SQLite file, or (for tests
parametrized over `engine`) a fresh schema on the PostgreSQL server of DMS_TEST_PG_URL, which
scripts/test.sh starts. Without that variable the PostgreSQL runs FAIL rather than skip.
"""

import os
import pathlib
import subprocess
import uuid

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture
def sqlite_url(tmp_path):
    return str(tmp_path / "dms-test.db")


def _psql(server, sql):
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", server, "-c", sql], check=True,
                   stdout=subprocess.DEVNULL)


@pytest.fixture
def postgres_url():
    server = os.environ.get("DMS_TEST_PG_URL")
    if not server:
        pytest.fail("DMS_TEST_PG_URL is not set: the PostgreSQL runs cannot happen "
                    "(use scripts/test.sh, or source scripts/pg.sh and run dms_pg_start)")
    schema = "test_py_" + uuid.uuid4().hex[:12]
    _psql(server, f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in server else "?"
    yield f"{server}{separator}options=-csearch_path%3D{schema}"
    _psql(server, f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_url(request):
    """A fresh database URL, once per storage engine."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")


@pytest.fixture
def db(sqlite_url):
    import dms

    database = dms.open(sqlite_url, sqlite_synchronous="NORMAL")
    yield database
    database.close()
