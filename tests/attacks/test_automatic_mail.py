"""Break 6: privbot must not be usable to mail third parties. Reply-To counts only for relays
from configured form senders; the caps count `victim+1@` as `victim@`, and there are caps per
recipient domain and per hour; one inbound request gets at most one automatic mail (the
receipt carries the identity code). All through the real SMTP intake and the worker."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select

from privbot.config import load_config
from privbot.models import AuditEvent, Case, OutgoingMail, SpoolEntry, SpoolState
from privbot.service import Service
from tests.attacks.conftest import message, smtp_send, wait_db
from tests.helpers import free_port

ERASURE = "Hej,\n\njag vill att ni raderar alla personuppgifter ni har om mig.\n\nHälsningar\n"


@pytest.fixture
def start(home: Path) -> Iterator[Callable[..., Service]]:
    services: list[Service] = []

    def make(**overrides: Any) -> Service:
        config = load_config(env={"PRIVBOT_HOME": str(home)}, **overrides)
        svc = Service(config, smtp_port=free_port(), interval=0.2)
        svc.start()
        services.append(svc)
        return svc

    yield make
    for svc in services:
        svc.stop()


def send_all(svc: Service, mails: list[EmailMessage]) -> None:
    for msg in mails:
        smtp_send(svc.intake.port, msg)
    ids = [str(m["Message-ID"]) for m in mails]
    wait_db(
        svc.engine,
        lambda s: (
            len(
                s.exec(
                    select(SpoolEntry).where(
                        col(SpoolEntry.message_id).in_(ids), SpoolEntry.state == SpoolState.done
                    )
                ).all()
            )
            == len(ids)
        ),
    )


def automatic_to(svc: Service) -> list[str]:
    with Session(svc.engine) as session:
        return [
            o.to_addr
            for o in session.exec(select(OutgoingMail).where(col(OutgoingMail.automatic))).all()
        ]


def test_reply_to_is_not_the_address_of_record_for_ordinary_mail(
    start: Callable[..., Service],
) -> None:
    svc = start(form_senders=("formular@it-team.se",))
    attack = message(
        "Mallory <mallory@evil.example>",
        "Radera mig",
        ERASURE,
        "<rt1@evil.example>",
        Reply_To="victim@third.example",
    )
    relay = message(
        "Webbformulär <formular@it-team.se>",
        "Nytt meddelande",
        "Namn: Lo Larsson\nE-post: lo@hemma.example\nMeddelande: Radera allt ni har om mig.\n",
        "<rt2@it-team.se>",
        Reply_To="lo@hemma.example",
    )
    send_all(svc, [attack, relay])
    with Session(svc.engine) as session:
        requesters = sorted(c.requester_email for c in session.exec(select(Case)).all())
    assert requesters == ["lo@hemma.example", "mallory@evil.example"]
    assert "victim@third.example" not in automatic_to(svc)


def test_plus_tags_and_case_do_not_multiply_the_daily_cap(start: Callable[..., Service]) -> None:
    svc = start()
    mails = [
        message(
            "Victim+%d@Third.example" % n if n % 2 else "victim+%d@third.example" % n,
            "Radera mig %d" % n,
            ERASURE + "Nr %d\n" % n,
            "<plus%d@evil.example>" % n,
        )
        for n in range(1, 7)
    ]
    send_all(svc, mails)
    assert len(automatic_to(svc)) == 3  # [receipt] daily_cap_per_sender
    with Session(svc.engine) as session:
        skipped = session.exec(
            select(AuditEvent).where(AuditEvent.action == "receipt_skipped")
        ).all()
        assert [e.detail["reason"] for e in skipped] == ["daily_cap"] * 3


def test_one_domain_and_the_whole_hour_are_capped(start: Callable[..., Service]) -> None:
    svc = start(automatic_domain_daily_cap=2, automatic_hourly_cap=4)
    same_domain = [
        message("person%d@target.example" % n, "Radera", ERASURE, "<dom%d@x.example>" % n)
        for n in range(4)
    ]
    send_all(svc, same_domain)
    assert len(automatic_to(svc)) == 2
    others = [
        message("someone@d%d.example" % n, "Radera", ERASURE, "<hour%d@x.example>" % n)
        for n in range(4)
    ]
    send_all(svc, others)
    sent = automatic_to(svc)
    assert len(sent) == 4
    with Session(svc.engine) as session:
        reasons = [
            e.detail["reason"]
            for e in session.exec(
                select(AuditEvent).where(AuditEvent.action == "receipt_skipped")
            ).all()
        ]
    assert reasons == ["domain_cap", "domain_cap", "hourly_cap", "hourly_cap"]


def test_one_request_gets_one_automatic_mail_with_the_code(start: Callable[..., Service]) -> None:
    svc = start()
    send_all(svc, [message("Vera <vera@example.se>", "Radera mig", ERASURE, "<one@example.se>")])
    files = wait_db(svc.engine, lambda s: sorted((svc.config.outbox_dir).glob("*.eml")) or None)
    assert len(automatic_to(svc)) == 1 and len(files) == 1
    receipt = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    text = receipt.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    with Session(svc.engine) as session:
        case = session.exec(select(Case)).one()
    assert case.reference in str(receipt["Subject"])
    code = re.search(r"koden ([A-Z2-9]{4}-[A-Z2-9]{4})", text)
    assert code, text
    assert "den e-postadress som ditt meddelande kom från" in text
    assert "registrerad hos oss" not in text
    # Replying with the code verifies the requester.
    answer = message(
        "vera@example.se",
        "SV: " + str(receipt["Subject"]),
        "Det är jag: %s" % code.group(1),
        "<one-b@example.se>",
        In_Reply_To=str(receipt["Message-ID"]),
    )
    send_all(svc, [answer])
    with Session(svc.engine) as session:
        verified = session.get(Case, case.id)
        assert verified is not None and verified.identity_verified
