"""Break 8: identity codes must not be guessable by mail. A reply holding thousands of
code-shaped strings is tried only for its first few; each wrong one is a failed attempt; after
five the codes and the link are void and staff are told, by mail, on the web verify page
(served by uvicorn) and on the command line."""

from __future__ import annotations

import re
import secrets
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import uvicorn
from sqlmodel import Session, select

from privbot.cases.identity import ALPHABET
from privbot.config import load_config
from privbot.models import AuditEvent, Case, IdentityToken, SpoolEntry, SpoolState
from privbot.service import Service
from privbot.web.app import create_app
from tests.attacks.conftest import cli, message, smtp_send, wait_db
from tests.helpers import free_port

ERASURE = "Hej,\n\njag vill att ni raderar alla personuppgifter ni har om mig.\n\nVera\n"


@pytest.fixture
def served(home: Path) -> Iterator[tuple[Service, str]]:
    """The service (SMTP intake and worker) and its web app under uvicorn on loopback."""
    web_port = free_port()
    url = "http://127.0.0.1:%d" % web_port
    config = load_config(env={"PRIVBOT_HOME": str(home)}, public_url=url)
    svc = Service(config, smtp_port=free_port(), interval=0.2)
    svc.start()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(config, svc.engine), host="127.0.0.1", port=web_port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield svc, url
    server.should_exit = True
    thread.join(timeout=10)
    svc.stop()


def processed(svc: Service, message_id: str) -> None:
    wait_db(
        svc.engine,
        lambda s: s.exec(
            select(SpoolEntry).where(
                SpoolEntry.message_id == message_id, SpoolEntry.state == SpoolState.done
            )
        ).first(),
    )


def guesses(count: int) -> str:
    return "\n".join(
        "".join(secrets.choice(ALPHABET) for _ in range(4))
        + "-"
        + "".join(secrets.choice(ALPHABET) for _ in range(4))
        for _ in range(count)
    )


def failed(svc: Service, case_id: int | None) -> list[int]:
    with Session(svc.engine) as session:
        return [
            t.failed_attempts
            for t in session.exec(select(IdentityToken).where(IdentityToken.case_id == case_id))
        ]


def post(url: str) -> int:
    request = urllib.request.Request(url, data=b"", method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_codes_guessed_by_mail_are_counted_and_voided(
    served: tuple[Service, str], home: Path
) -> None:
    svc, _ = served
    smtp_send(svc.intake.port, message("vera@example.se", "Radera mig", ERASURE, "<v1@example.se>"))
    receipt_file = wait_db(svc.engine, lambda s: sorted(svc.config.outbox_dir.glob("*.eml")))[0]
    receipt = message_from_bytes(receipt_file.read_bytes(), policy=policy.default)
    text = receipt.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    code = re.search(r"koden ([A-Z2-9]{4}-[A-Z2-9]{4})", text).group(1)  # type: ignore[union-attr]
    link = re.search(r"http://\S+/verify/\S+", text).group(0)  # type: ignore[union-attr]
    with Session(svc.engine) as session:
        case = session.exec(select(Case)).one()

    # Thousands of guesses in one reply: only the first three count.
    subject = "SV: [%s] Bekräfta" % case.reference
    smtp_send(
        svc.intake.port, message("vera@example.se", subject, guesses(3000), "<v2@example.se>")
    )
    processed(svc, "<v2@example.se>")
    assert failed(svc, case.id) == [3]
    # Two more wrong ones and the code is void, even when the right one follows in that mail.
    body = guesses(2) + "\n" + code
    smtp_send(svc.intake.port, message("vera@example.se", subject, body, "<v3@example.se>"))
    processed(svc, "<v3@example.se>")
    assert failed(svc, case.id) == [5]
    with Session(svc.engine) as session:
        after = session.get(Case, case.id)
        assert after is not None and not after.identity_verified and after.needs_review
        assert session.exec(
            select(AuditEvent).where(
                AuditEvent.case_id == case.id, AuditEvent.action == "identity_code_void"
            )
        ).first()

    # The right code no longer works by mail, on the web or on the command line.
    smtp_send(svc.intake.port, message("vera@example.se", subject, code, "<v4@example.se>"))
    processed(svc, "<v4@example.se>")
    assert post(link) == 404
    done = cli(home, "verify", case.reference, code, check=False)
    assert done.returncode == 1 and "does not match" in done.stderr
    with Session(svc.engine) as session:
        assert not session.get(Case, case.id).identity_verified  # type: ignore[union-attr]


def test_wrong_codes_on_the_command_line_void_the_code_too(
    served: tuple[Service, str], home: Path
) -> None:
    svc, _ = served
    smtp_send(svc.intake.port, message("ivar@example.se", "Radera mig", ERASURE, "<w1@example.se>"))
    receipt_file = wait_db(svc.engine, lambda s: sorted(svc.config.outbox_dir.glob("*.eml")))[0]
    text = (
        message_from_bytes(receipt_file.read_bytes(), policy=policy.default)
        .get_body(preferencelist=("plain",))
        .get_content()
    )  # type: ignore[union-attr]
    code = re.search(r"koden ([A-Z2-9]{4}-[A-Z2-9]{4})", text).group(1)  # type: ignore[union-attr]
    with Session(svc.engine) as session:
        reference = session.exec(select(Case.reference)).one()
    for wrong in guesses(5).splitlines():
        assert cli(home, "verify", reference, wrong, check=False).returncode == 1
    assert cli(home, "verify", reference, code, check=False).returncode == 1
    with Session(svc.engine) as session:
        case = session.exec(select(Case)).one()
        assert not case.identity_verified and case.needs_review
        assert [t.failed_attempts for t in session.exec(select(IdentityToken))] == [5]
