"""Break 2: an access reply must not list other people's cases. Typing someone's personnummer
and verifying one's own address used to put their cases in the draft. Now earlier cases come
only from the verified address of record or a personnummer staff verified. Through the real
SMTP intake and worker, with the draft read by `privbot case show` as a subprocess."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlmodel import Session, select

from privbot.config import Config
from privbot.models import Case, SpoolEntry, SpoolState
from privbot.service import Service
from tests.attacks.conftest import cli, message, smtp_send, staff_user, wait_db
from tests.helpers import free_port

NUMBER = "19811218-9876"  # a valid Luhn test number
ACCESS = "Hej,\n\njag vill ha ett registerutdrag med alla uppgifter ni har om mig. Mitt personnummer är %s.\n"


@pytest.fixture
def service(config: Config) -> Iterator[Service]:
    svc = Service(config, smtp_port=free_port(), interval=0.2)
    svc.start()
    yield svc
    svc.stop()


def request(svc: Service, sender: str, message_id: str) -> Case:
    """An access request (its own text, so it is no resend); returns its case once opened."""
    body = ACCESS % NUMBER + "\n(%s)\n" % message_id.strip("<>")
    smtp_send(svc.intake.port, message(sender, "Registerutdrag", body, message_id))
    entry = wait_db(
        svc.engine,
        lambda s: s.exec(
            select(SpoolEntry).where(
                SpoolEntry.message_id == message_id, SpoolEntry.state == SpoolState.done
            )
        ).first(),
    )
    with Session(svc.engine) as session:
        case = session.get(Case, entry.case_id)
        assert case is not None
        return case


def confirm_by_mail(svc: Service, case: Case, sender: str) -> None:
    """Reply to the receipt with its code, as the owner of `sender` can."""

    def receipt() -> bytes | None:
        for path in sorted(svc.config.outbox_dir.glob("*.eml")):
            raw = path.read_bytes()
            if case.reference.encode() in raw and b"koden" in raw:
                return raw
        return None

    mail = message_from_bytes(wait_db(svc.engine, lambda s: receipt()), policy=policy.default)
    text = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    code = re.search(r"koden ([A-Z2-9]{4}-[A-Z2-9]{4})", text).group(1)  # type: ignore[union-attr]
    reply_id = "<ok-%s@x>" % case.reference
    smtp_send(
        svc.intake.port,
        message(sender, "SV: " + str(mail["Subject"]), "Det är jag. " + code, reply_id),
    )
    wait_db(svc.engine, lambda s: s.get(Case, case.id).identity_verified)  # type: ignore[union-attr]


def draft_of(home: Path, reference: str) -> str:
    shown = json.loads(cli(home, "case", "show", reference, "--json").stdout)
    return str(shown["draft"]["text"])


def test_a_typed_personnummer_does_not_list_someone_elses_cases(
    service: Service, home: Path
) -> None:
    victim = request(service, "Vera <vera@example.se>", "<own-1@example.se>")
    attacker = request(service, "Mallory <mallory@evil.example>", "<own-2@evil.example>")
    confirm_by_mail(service, attacker, "mallory@evil.example")
    assert victim.reference not in draft_of(home, attacker.reference)

    # Her own earlier case is listed once her address is verified ...
    again = request(service, "vera@example.se", "<own-3@example.se>")
    assert victim.reference not in draft_of(home, again.reference)  # not yet verified
    confirm_by_mail(service, again, "vera@example.se")
    assert victim.reference in draft_of(home, again.reference)
    assert attacker.reference not in draft_of(home, again.reference)

    # ... and from another address only through a personnummer staff verified on both cases.
    staff_user(home, "anna")
    cli(
        home, "verify", again.reference, "--how", "BankID", "--personnummer", NUMBER, "--as", "anna"
    )
    elsewhere = request(service, "vera@home.example", "<own-4@home.example>")
    cli(
        home,
        "verify",
        elsewhere.reference,
        "--how",
        "BankID",
        "--personnummer",
        NUMBER,
        "--as",
        "anna",
    )
    listed = draft_of(home, elsewhere.reference)
    assert again.reference in listed
    assert attacker.reference not in listed and victim.reference not in listed
