"""A throwaway PostgreSQL cluster for the benchmarks, as the tests' `postgres_url` starts one.

Server binaries from /usr/lib/postgresql; removed when the block ends. Commits are durable, as
in a real deployment (fsync and synchronous_commit on, PostgreSQL's defaults): the pipeline and
the poller are measured with the commit that lets the poller move mail off the server.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def postgres_cluster(
    shared_buffers: str = "512MB", keep: Path | None = None, durable: bool = True
) -> Iterator[str]:
    """A cluster on a loopback port; yields the URL of its `postgres` database.

    `durable=False` turns fsync off, for a benchmark that only reads what it loaded.

    With `keep`, the cluster lives in that directory and stays after the block (stopped), and
    a cluster already there is started again instead of made afresh."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        sys.exit("PostgreSQL server binaries not found")
    bindir = Path(found[-1]).parent
    if keep is not None:
        root = keep.resolve()
        root.mkdir(parents=True, exist_ok=True)
    else:
        root = Path(tempfile.mkdtemp(prefix="privbot-bench-pg-"))
    os.chmod(root, 0o777)
    port = free_port()
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if not (root / "data" / "PG_VERSION").exists():
        subprocess.run(
            [*as_pg, str(bindir / "initdb"), "-D", str(root / "data"), "-A", "trust"]
            + ["-U", "postgres", "--no-sync"],
            check=True,
            capture_output=True,
        )
    options = "-p %d -k %s -c listen_addresses=127.0.0.1" % (port, root)
    if not durable:
        options += " -c fsync=off"
    options += " -c shared_buffers=%s -c work_mem=32MB -c max_wal_size=4GB" % shared_buffers
    subprocess.run(
        [*as_pg, str(bindir / "pg_ctl"), "-D", str(root / "data"), "-l", str(root / "log")]
        + ["-w", "-o", options, "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield "postgresql+psycopg://postgres@127.0.0.1:%d/postgres" % port
    finally:
        subprocess.run(
            [*as_pg, str(bindir / "pg_ctl"), "-D", str(root / "data")]
            + ["-m", "fast" if keep is not None else "immediate", "stop"],
            capture_output=True,
        )
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def database(base_url: str, name: str) -> Iterator[str]:
    """A fresh database `name` in the cluster of `base_url`, dropped afterwards."""
    import sqlalchemy

    admin = sqlalchemy.create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sqlalchemy.text("DROP DATABASE IF EXISTS %s WITH (FORCE)" % name))
        conn.execute(sqlalchemy.text("CREATE DATABASE %s" % name))
    try:
        yield base_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(sqlalchemy.text("DROP DATABASE IF EXISTS %s WITH (FORCE)" % name))
        admin.dispose()
