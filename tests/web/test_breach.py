"""A personal data breach reported by a data subject, end to end: through the pipeline to a case
with the art. 33 clock, an alert to the supervisors through the real outbox and relay, first in
the staff app's lists, and counted in the figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from privbot.cases import outbox
from privbot.config import Config, RelayConfig, load_config
from privbot.models import AuditEvent, Case, Draft

REPORTER = "kim.lund@example.se"


def report(n: int, body: str, subject: str = "Alla adresser syns") -> bytes:
    return (
        "From: Kim Lund <%s>\r\nTo: dataskydd@it-team.se\r\nSubject: %s\r\n"
        "Message-ID: <breach-%d@example.se>\r\nDate: Mon, 30 Nov 2026 09:15:00 +0100\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n" % (REPORTER, subject, n, body)
    ).encode()


BREACH_SV = (
    "Hej!\n\nEert utskick i morse gick till hundratals kunder med alla mottagares adresser "
    "synliga i Till-fältet, så nu kan vem som helst se min e-postadress. Det här är väl en "
    "personuppgiftsincident?\n\nKim"
)
ACCESS_SV = "Hej! Jag vill ha ett registerutdrag med allt ni har om mig.\n\nKim"


@pytest.fixture
def config(home: Path, relay: tuple[Any, int]) -> Config:
    base = load_config(env={"PRIVBOT_HOME": str(home)})
    return replace(
        base,
        supervisors=("chef@it-team.se", "dpo@it-team.se"),
        relay=RelayConfig(host="127.0.0.1", port=relay[1]),
    )


def test_a_breach_report_starts_the_72_hour_clock_and_alerts_the_supervisors(
    engine: Engine, config: Config, relay: tuple[Any, int], ingest: Callable[[bytes], Case]
) -> None:
    catcher, _ = relay
    case = ingest(report(1, BREACH_SV))
    assert case.intents[0] == "breach"
    assert case.notify_by is not None
    received = case.received_at.replace(tzinfo=case.notify_by.tzinfo)
    assert case.notify_by - received == timedelta(hours=72)

    assert outbox.deliver(engine, config) >= 2
    alerts = [m for m in catcher.wait(3) if "Personuppgiftsincident" in str(m["Subject"])]
    assert sorted(str(m["To"]) for m in alerts) == ["chef@it-team.se", "dpo@it-team.se"]
    for alert in alerts:
        body = alert.get_content()
        assert case.reference in body and case.reference in str(alert["Subject"])
        assert REPORTER not in body and "Kim" not in body  # the alert names no requester
    with Session(engine) as session:
        actions = session.exec(select(AuditEvent.action).where(AuditEvent.case_id == case.id)).all()
        assert "breach_clock_started" in actions and "breach_alert_queued" in actions
        draft = session.exec(select(Draft).where(Draft.case_id == case.id)).first()
        assert draft is not None and "incident" in draft.body.lower()


def test_an_open_breach_heads_every_list_and_is_counted_in_the_figures(
    engine: Engine, client: Callable[[str | None], Any], ingest: Callable[[bytes], Case]
) -> None:
    older = ingest(report(2, ACCESS_SV, "Registerutdrag"))
    with Session(engine) as session:  # the access request is overdue: still below the breach
        stored = session.get(Case, older.id)
        assert stored is not None
        stored.due = stored.due - timedelta(days=60)
        session.add(stored)
        session.commit()
    breach = ingest(report(3, BREACH_SV))
    sara = client("sara")
    for page in ("/inbox", "/cases", "/queues"):
        text = sara.get(page).text
        assert breach.reference in text, page
        if older.reference in text:
            assert text.index(breach.reference) < text.index(older.reference), page
    figures = " ".join(sara.get("/figures").text.split())
    assert "1</span> personal data breaches reported, 1 open" in figures
    with Session(engine) as session:
        from privbot.web.pages.figures import compute

        counted = compute(session, breach.received_at.date())
        assert counted.breaches == 1 and counted.breaches_open == 1
