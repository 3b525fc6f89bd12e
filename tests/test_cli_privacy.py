"""The privacy commands end to end: verify, refuse, remind, purge, register, deadline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.test_retention import REQUEST


def test_privacy_commands(tmp_path: Path, home: Path) -> None:
    cfg = tmp_path / "privbot.toml"
    cfg.write_text(
        '[reminders]\nsupervisors = ["chef@it-team.se"]\n[retention]\nmonths = 24\n',
        encoding="utf-8",
    )
    env = {**os.environ, "PRIVBOT_HOME": str(home), "PRIVBOT_CONFIG": str(cfg)}
    mail = tmp_path / "rut.eml"
    mail.write_bytes(
        REQUEST.replace(
            b"From: Rut Ek <rut.ek@example.se>", b"From: Rut Ek <8112289874@example.se>"
        )
    )

    def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "privbot", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert not check or done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        return done

    cli("ingest", str(mail))
    (row,) = json.loads(cli("cases", "--json").stdout)
    assert (
        row["status"] == "awaiting_identity" and row["requester"] == "******-****@example.se"
    )  # lists mask numbers
    ref = row["reference"]
    assert "8112289874" not in cli("cases").stdout
    wrong = cli("verify", ref, "AAAA-BBBB", check=False)
    assert wrong.returncode == 1 and "does not match" in wrong.stderr
    password = tmp_path / "pw"
    password.write_text("a long enough password\n", encoding="utf-8")
    cli("users", "add", "anna", "--password-file", str(password))
    unverified = cli("draft", "approve", ref, "--as", "anna", check=False)
    assert unverified.returncode == 2 and "not verified" in unverified.stderr
    assert "verified" in cli("verify", ref, "--how", "in person", "--as", "anna").stdout
    assert cli("refuse", ref, "nonsense", check=False).returncode == 2
    cli("refuse", ref, "manifestly_unfounded", "--as", "anna")
    out = cli("remind").stdout
    assert "digest: 0 overdue, 0 due soon, to 1 supervisor(s)" in out  # due in a month
    assert "already sent" in cli("remind").stdout
    assert json.loads(cli("purge", "--dry-run", "--json").stdout)["case_count"] == 0
    assert cli("deadline", "2026-11-24", "--extended").stdout.strip() == "2027-02-24"
    register = json.loads(cli("register", "--json").stdout)
    assert sum(year["cases"] for year in register.values()) == 1
