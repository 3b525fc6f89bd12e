"""Break 9: personal data must not be world-readable. The data directory is 0700 and its files
(database with -wal/-shm, outbox/*.eml with live identity codes, the web secret) 0600, whatever
the umask, also for a data directory an older version left readable."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from tests.attacks.conftest import Served, cli, message, smtp_send, wait_for

ERASURE = "Hej,\n\nradera alla uppgifter ni har om mig.\n\nHälsningar\nMaja Berg\n"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_served_data_directory_is_private_whatever_the_umask(
    serve: Callable[..., Served], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    os.chmod(home, 0o755)  # as an older version or a careless `mkdir` left it
    (home / "outbox").mkdir(mode=0o755)
    os.chmod(home / "outbox", 0o755)
    (home / "outbox" / "000000.eml").write_bytes(b"old")
    os.chmod(home / "outbox" / "000000.eml", 0o644)
    served = serve(home=home, umask=0o022)
    smtp_send(
        served.smtp_port,
        message("Maja Berg <maja@example.se>", "Radera mig", ERASURE, "<perm-1@example.se>"),
    )
    mails = wait_for(lambda: [p for p in (home / "outbox").glob("0*.eml") if p.stat().st_size > 3])
    assert mails  # the receipt with a live identity code
    assert mode(home) == 0o700
    assert mode(home / "outbox") == 0o700
    for path in [*home.iterdir(), *(home / "outbox").iterdir()]:
        if path.is_file():
            assert mode(path) == 0o600, "%s is %o" % (path.name, mode(path))
    names = {p.name for p in home.iterdir()}
    assert {"privbot.db", "privbot.db-wal", "privbot.db-shm", "web-secret.key"} <= names


def test_cli_ingest_creates_a_private_data_directory(tmp_path: Path) -> None:
    home = tmp_path / "fresh" / "home"
    mail = tmp_path / "one.eml"
    mail.write_bytes(
        message(
            "Maja Berg <maja@example.se>", "Radera mig", ERASURE, "<perm-2@example.se>"
        ).as_bytes()
    )
    os.umask(old := os.umask(0o022))
    try:
        cli(home, "ingest", str(mail))
    finally:
        os.umask(old)
    assert mode(home) == 0o700 and mode(home / "outbox") == 0o700
    files = [p for p in [*home.iterdir(), *(home / "outbox").iterdir()] if p.is_file()]
    assert files and all(mode(p) == 0o600 for p in files), {p.name: oct(mode(p)) for p in files}
