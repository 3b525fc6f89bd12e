"""Break 12: `privbot ingest` of a directory must not follow symbolic links (it stored /etc/passwd
in the quarantine), must skip what is not a regular file, and must apply
`[intake] max_message_bytes` instead of reading files of any size."""

from __future__ import annotations

import json
import os
from pathlib import Path

from sqlmodel import Session, select

from privbot.db import make_engine
from privbot.models import SpoolEntry
from tests.attacks.conftest import cli, message

SECRET = b"root:x:0:0:secret-marker-7d1f:/root:/bin/bash\n"


def test_ingest_follows_no_link_reads_no_fifo_and_applies_the_size_limit(tmp_path: Path) -> None:
    home = tmp_path / "home"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd").write_bytes(SECRET)
    (outside / "inner.eml").write_bytes(SECRET)
    drop = tmp_path / "drop"
    drop.mkdir()
    good = message(
        "Ola <ola@example.se>", "Radera mig", "Radera mitt konto.\n", "<ing-1@example.se>"
    )
    (drop / "good.eml").write_bytes(good.as_bytes())
    os.symlink(outside / "passwd", drop / "passwd.eml")  # a link to a file
    os.symlink(outside, drop / "linked")  # a link to a directory of .eml files
    os.mkfifo(drop / "pipe.eml")  # would block a reader forever
    big = message("Bo <bo@example.se>", "Stor", "x" * 5000 + "\n", "<ing-2@example.se>")
    (drop / "big.eml").write_bytes(big.as_bytes())
    config = tmp_path / "privbot.toml"
    config.write_text("[intake]\nmax_message_bytes = 4000\n")

    done = cli(home, "ingest", str(drop), PRIVBOT_CONFIG=str(config))
    assert "1 new" in done.stdout and "1 oversized" in done.stdout and "2 skipped" in done.stdout
    assert "passwd.eml: symbolic link" in done.stderr
    assert "pipe.eml: not a regular file" in done.stderr

    engine = make_engine("sqlite:///%s" % (home / "privbot.db"))
    with Session(engine) as session:
        entries = session.exec(select(SpoolEntry)).all()
        assert all(b"secret-marker" not in e.raw for e in entries)
        oversized = [e for e in entries if e.stage == "intake"]
        assert len(oversized) == 1 and oversized[0].raw == b"" and "exceeds" in oversized[0].reason
    engine.dispose()
    listed = json.loads(cli(home, "quarantine", "--json").stdout)
    assert [r["source_ref"] for r in listed] == ["big.eml"]  # visible, never silently dropped


def test_a_fifo_named_on_the_command_line_is_refused_clearly(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    done = cli(tmp_path / "home", "ingest", str(tmp_path / "pipe"))
    assert "pipe: not a regular file" in done.stderr and "Traceback" not in done.stderr
