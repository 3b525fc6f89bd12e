"""A reply that bounces is not an answer: the delivery report, sent to privbot's real SMTP
intake, marks that outgoing mail `bounced`, and the case is back in the inbox with a visible
"reply did not arrive" flag."""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from email.message import EmailMessage

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from privbot.cases import outbox, store
from privbot.config import Config
from privbot.db import session_scope
from privbot.mail.bounces import envelope_id
from privbot.mail.smtp import Intake
from privbot.models import AuditEvent, Case, OutgoingMail, OutStatus, SpoolEntry, Status
from privbot.pipeline import Context, run
from tests.helpers import free_port
from tests.web.helpers import Browser

Client = Callable[..., Browser]
Ingest = Callable[[bytes], Case]


def optout_mail() -> bytes:
    msg = EmailMessage()
    msg["From"] = "Fredrik Åström <fredrik.astrom@example.se>"
    msg["To"] = "dataskydd@it-team.se"
    msg["Subject"] = "Sluta skicka reklam"
    msg["Message-ID"] = "<bounce-optout-1@example.se>"
    msg.set_content("Hej, jag vill inte längre få era nyhetsbrev eller annan reklam.\n")
    return msg.as_bytes()


def delivery_report(
    original_headers: bytes, action: str = "failed", envid: str = "", returned: bool = True
) -> bytes:
    """A delivery status notification (RFC 3464) as a receiving MTA writes it."""
    boundary = "dsn-boundary-1"
    per_message = "Reporting-MTA: dns; mx1.example.se\r\n"
    if envid:
        per_message += "Original-Envelope-Id: %s\r\n" % envid
    status = "5.1.1" if action == "failed" else "4.4.1"
    per_recipient = (
        "Final-Recipient: rfc822; fredrik.astrom@example.se\r\nAction: %s\r\nStatus: %s\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <fredrik.astrom@example.se>: User unknown\r\n"
        % (action, status)
    )
    parts = [
        "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
        "This is the mail system at host mx1.example.se. Your message could not be delivered.\r\n",
        "Content-Type: message/delivery-status\r\n\r\n%s\r\n%s" % (per_message, per_recipient),
    ]
    if returned:
        parts.append(
            "Content-Type: text/rfc822-headers\r\n\r\n%s" % original_headers.decode("ascii")
        )
    body = "".join("--%s\r\n%s\r\n" % (boundary, part) for part in parts)
    return (
        "From: MAILER-DAEMON@mx1.example.se (Mail Delivery System)\r\n"
        "To: dataskydd@it-team.se\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <dsn-%s-%s@mx1.example.se>\r\nAuto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="%s"\r\n\r\n'
        "%s--%s--\r\n" % (action, bool(returned), boundary, body, boundary)
    ).encode("ascii")


def send_to_intake(engine: Engine, config: Config, raw: bytes) -> None:
    """Deliver the report to privbot's own SMTP intake, with the null sender DSNs use."""
    intake = Intake(engine, config, port=free_port())
    intake.start()
    try:
        with smtplib.SMTP("127.0.0.1", intake.port, timeout=60) as smtp:
            smtp.sendmail("<>", ["dataskydd@it-team.se"], raw)
    finally:
        intake.stop()


def approved_reply(engine: Engine, config: Config, case: Case) -> OutgoingMail:
    with session_scope(engine) as session:
        store.approve(session, config, session.get(Case, case.id), "anna")  # type: ignore[arg-type]
    outbox.deliver(engine, config)
    with Session(engine) as session:
        reply = session.exec(
            select(OutgoingMail).where(
                OutgoingMail.case_id == case.id,
                OutgoingMail.automatic == False,  # noqa: E712
            )
        ).one()
        assert reply.status == OutStatus.sent
        assert session.get(Case, case.id).status == Status.sent  # type: ignore[union-attr]
        return reply


@pytest.mark.parametrize("how", ["returned headers", "envelope id"])
def test_a_bounced_reply_puts_the_case_back_in_the_inbox_with_a_flag(
    how: str, client: Client, ingest: Ingest, engine: Engine, config: Config
) -> None:
    case = ingest(optout_mail())
    reply = approved_reply(engine, config, case)
    headers = reply.raw.split(b"\r\n\r\n", 1)[0] + b"\r\n"
    report = (
        delivery_report(headers)
        if how == "returned headers"
        else delivery_report(b"", envid=envelope_id(reply.message_id), returned=False)
    )
    send_to_intake(engine, config, report)
    run(engine, Context.load(config))

    with Session(engine) as session:
        bounced = session.get(OutgoingMail, reply.id)
        reopened = session.get(Case, case.id)
        entry = session.exec(select(SpoolEntry).order_by(SpoolEntry.id.desc())).first()  # type: ignore[union-attr]
        actions = [
            e.action
            for e in session.exec(select(AuditEvent).where(AuditEvent.case_id == case.id)).all()
        ]
    assert bounced is not None and bounced.status == OutStatus.bounced
    assert "5.1.1" in bounced.last_error
    assert reopened is not None and reopened.status == Status.in_progress
    assert "did not arrive" in reopened.delivery_problem
    assert "User unknown" in reopened.delivery_problem
    assert "reply_bounced" in actions
    assert entry is not None and "bounce of outgoing %d" % reply.id in entry.reason

    anna = client("anna")
    inbox = anna.get("/inbox").text
    assert case.reference in inbox and "undelivered" in inbox
    page = anna.get("/cases/%s" % case.reference).text
    assert "reply did not arrive" in page and "User unknown" in page


def test_a_delay_report_or_a_stranger_s_bounce_changes_nothing(
    ingest: Ingest, engine: Engine, config: Config
) -> None:
    case = ingest(optout_mail())
    reply = approved_reply(engine, config, case)
    headers = reply.raw.split(b"\r\n\r\n", 1)[0] + b"\r\n"
    send_to_intake(engine, config, delivery_report(headers, action="delayed"))
    stranger = headers.replace(reply.message_id.encode(), b"<not-ours-1@elsewhere.example>")
    send_to_intake(engine, config, delivery_report(stranger))
    run(engine, Context.load(config))
    with Session(engine) as session:
        assert session.get(OutgoingMail, reply.id).status == OutStatus.sent  # type: ignore[union-attr]
        same = session.get(Case, case.id)
        assert same is not None and same.status == Status.sent and not same.delivery_problem
        reasons = [
            e.reason
            for e in session.exec(select(SpoolEntry).order_by(SpoolEntry.id)).all()
            if e.case_id is None
        ]
    assert any("not a failure" in r for r in reasons)  # the delay report was recognised
    assert any(r.startswith("bounce:") for r in reasons)  # the stranger's: screened as before


def test_two_bounces_of_one_reply_in_a_batch_record_it_once(
    ingest: Ingest, engine: Engine, config: Config
) -> None:
    """The batch's bounces are matched with one lookup; the second sees what the first did."""
    case = ingest(optout_mail())
    reply = approved_reply(engine, config, case)
    headers = reply.raw.split(b"\r\n\r\n", 1)[0] + b"\r\n"
    send_to_intake(engine, config, delivery_report(headers))
    by_envid = delivery_report(b"", envid=envelope_id(reply.message_id), returned=False)
    send_to_intake(engine, config, by_envid)
    run(engine, Context.load(config))
    with Session(engine) as session:
        assert session.get(OutgoingMail, reply.id).status == OutStatus.bounced  # type: ignore[union-attr]
        reasons = [
            e.reason
            for e in session.exec(select(SpoolEntry).order_by(SpoolEntry.id)).all()
            if e.case_id is None
        ]
    assert reasons[-2].startswith("bounce of outgoing %d (case " % reply.id)
    assert reasons[-1] == "bounce of outgoing %d (already recorded)" % reply.id
