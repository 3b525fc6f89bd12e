"""`privbot draft approve` as staff run it: a real `privbot` process on a real database.

The approver must be an active user, the four-eyes rule holds, and a text that still holds a
note for staff or a placeholder is refused with the line named; nothing reaches the outbox.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from privbot.config import load_config
from privbot.db import make_engine
from privbot.models import AuditEvent, OutgoingMail

EXE = [sys.executable, "-m", "privbot"]


def question(path: Path) -> Path:
    msg = EmailMessage()
    msg["From"] = "Olle Berg <olle.berg@example.se>"
    msg["To"] = "dataskydd@it-team.se"
    msg["Subject"] = "Fråga om lagringstid"
    msg["Message-ID"] = "<cli-question-1@example.se>"
    # a question the privacy policy does not answer, so the draft keeps the placeholder
    msg.set_content("Hej, en fråga om personuppgifter: har ni kontor i Göteborg?\n")
    path.write_bytes(msg.as_bytes())
    return path


@pytest.fixture
def cli(tmp_path: Path, home: Path) -> dict[str, str]:
    config_file = tmp_path / "privbot.toml"
    config_file.write_text("[review]\nfour_eyes = true\n", encoding="utf-8")
    env = {
        **os.environ,
        "PRIVBOT_HOME": str(home),
        "PRIVBOT_CONFIG": str(config_file),
    }
    password = tmp_path / "pw"
    password.write_text("a long enough password\n", encoding="utf-8")
    for name in ("anna", "bo", "cecilia"):
        run(env, "users", "add", name, "--password-file", str(password))
    return env


def run(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([*EXE, *args], env=env, capture_output=True, text=True, timeout=120)
    if ok:
        assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done


def replies(env: dict[str, str]) -> list[OutgoingMail]:
    engine: Engine = make_engine(load_config(env=env).database_url)
    try:
        with Session(engine) as session:
            return list(
                session.exec(select(OutgoingMail).where(OutgoingMail.automatic == False)).all()  # noqa: E712
            )
    finally:
        engine.dispose()


def test_cli_approval_names_the_line_checks_the_user_and_keeps_four_eyes(
    cli: dict[str, str], tmp_path: Path
) -> None:
    run(cli, "ingest", str(question(tmp_path / "q.eml")))
    [case] = json.loads(run(cli, "cases", "--json").stdout)
    reference = case["reference"]
    # Recording a verification is a staff decision: only in an active user's name.
    nobody = run(cli, "verify", reference, "--how", "phone call", "--as", "nobody", ok=False)
    assert nobody.returncode == 2 and "no active user" in nobody.stderr
    anonymous = run(cli, "verify", reference, "--how", "phone call", ok=False)
    assert anonymous.returncode == 2 and "no active user" in anonymous.stderr
    refusal = run(cli, "refuse", reference, "excessive", "--as", "nobody", ok=False)
    assert refusal.returncode == 2 and "no active user" in refusal.stderr
    run(cli, "verify", reference, "--how", "reply from the address of record", "--as", "anna")
    shown = json.loads(run(cli, "case", "show", reference, "--json").stdout)
    body, notes = shown["draft"]["text"], shown["draft"]["notes"]
    assert notes and not any("OBS till" in line for line in body.splitlines())
    placeholder_line = next(n for n, t in enumerate(body.splitlines(), 1) if "[[" in t)

    # An unknown or made-up approver is refused; nothing is sent, nothing audited in its name.
    refused = run(cli, "draft", "approve", reference, "--as", "nobody", ok=False)
    assert refused.returncode == 2 and "no active user" in refused.stderr
    # The placeholder is still there: refused, with the line named.
    refused = run(cli, "draft", "approve", reference, "--as", "anna", ok=False)
    assert refused.returncode == 2
    assert "line %d" % placeholder_line in refused.stderr and "placeholder" in refused.stderr

    # anna fills it in but leaves a note for staff in the text: refused, line named.
    answer = "Vi sparar kunduppgifter i sju år efter avtalets slut, enligt bokföringslagen."
    filled = re.sub(r"\[\[.*?\]\]", answer, body)
    noted = tmp_path / "noted.txt"
    noted.write_text(filled + "[NOTE TO STAFF: check with finance]\n", encoding="utf-8")
    run(cli, "draft", "edit", reference, "--as", "anna", "--text-file", str(noted))
    refused = run(cli, "draft", "approve", reference, "--as", "bo", ok=False)
    note_line = len(filled.splitlines()) + 1
    assert "line %d" % note_line in refused.stderr and "note for staff" in refused.stderr
    assert replies(cli) == []

    # anna saves the clean text; four eyes: anna may not approve her own edit, bo may.
    clean = tmp_path / "clean.txt"
    clean.write_text(filled, encoding="utf-8")
    run(cli, "draft", "edit", reference, "--as", "anna", "--text-file", str(clean))
    own = run(cli, "draft", "approve", reference, "--as", "anna", ok=False)
    assert own.returncode == 2 and "four-eyes" in own.stderr
    own_edit = run(
        cli, "draft", "approve", reference, "--as", "bo", "--text-file", str(noted), ok=False
    )
    assert own_edit.returncode == 2  # bo's own edit in the same step: four eyes again
    done = run(cli, "draft", "approve", reference, "--as", "bo")
    assert "1 message(s) sent" in done.stdout
    [reply] = replies(cli)
    assert answer.encode("utf-8") not in reply.raw  # quoted-printable on the wire
    assert b"OBS till" not in reply.raw and b"[[" not in reply.raw
    engine = make_engine(load_config(env=cli).database_url)
    with Session(engine) as session:
        approved = session.exec(
            select(AuditEvent).where(AuditEvent.action == "draft_approved")
        ).one()
        actors = {e.actor for e in session.exec(select(AuditEvent)).all()}
    engine.dispose()
    assert approved.actor == "bo" and "nobody" not in actors
