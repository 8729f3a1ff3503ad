"""Exit 0 when the PostgreSQL server of the given SQLAlchemy URL answers (used by the Makefile)."""

import sys

import psycopg
from sqlalchemy.engine import make_url

url = make_url(sys.argv[1]).set(drivername="postgresql")
try:
    psycopg.connect(url.render_as_string(hide_password=False), connect_timeout=3).close()
except psycopg.OperationalError:
    sys.exit(1)
