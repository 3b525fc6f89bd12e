"""Threading order: subject reference, then In-Reply-To/References, then a body reference; prefixes ignored."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from privbot.cases.thread import ThreadMatch, find_case
from privbot.mail.parse import parse
from privbot.models import Case, Message, OutgoingMail


def make_case(
    session: Session, reference: str, requester: str = "lena@example.se", **fields: object
) -> Case:
    case = Case(reference=reference, requester_email=requester, due=date(2026, 12, 28), **fields)  # type: ignore[arg-type]
    session.add(case)
    session.flush()
    return case


def mail(
    subject: str = "Hej",
    body: str = "Tack för svaret.",
    sender: str = "lena@example.se",
    **headers: str,
) -> bytes:
    lines = [
        "From: %s" % sender,
        "To: dataskydd@it-team.se",
        "Subject: %s" % subject,
        "Message-ID: <new-1@example.se>",
    ]
    lines += ["%s: %s" % (k.replace("_", "-"), v) for k, v in headers.items()]
    return (
        "\r\n".join(lines) + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n"
    ).encode()


def found(session: Session, raw: bytes) -> Case | None:
    """The case a message joins as its requester's (None when it joins none)."""
    match = find_case(session, parse(raw))
    return match.case if match is not None and match.trusted else None


@pytest.fixture
def session(engine: Engine) -> Session:
    with Session(engine) as s:
        yield s


@pytest.mark.parametrize(
    "subject",
    [
        "SV: [DS-2026-0042] Vi har tagit emot ditt meddelande",
        "Re: SV: VB: AW: [DS-2026-0042] Radera mig",
        "Re[2]: [DS-2026-0042] Radera mig",
        "AW:[DS-2026-0042]",
        "Re[3]:DS-2026-0042 tack",
        "sv: [ds-2026-0042] gemener",
    ],
)
def test_subject_reference_through_any_prefixes(session: Session, subject: str) -> None:
    make_case(session, "DS-2026-0041")
    target = make_case(session, "DS-2026-0042")
    assert found(session, mail(subject)) == target


def test_subject_reference_of_an_unknown_case_does_not_thread(session: Session) -> None:
    make_case(session, "DS-2026-0042")
    assert found(session, mail("SV: [DS-2026-0099] Radera mig")) is None


def test_subject_reference_comes_before_headers(session: Session) -> None:
    by_subject = make_case(session, "DS-2026-0001")
    by_header = make_case(session, "DS-2026-0002")
    session.add(
        Message(case_id=by_header.id or 0, direction="out", message_id="<out-2@it-team.se>")
    )
    session.flush()
    joined = found(session, mail("SV: [DS-2026-0001]", In_Reply_To="<out-2@it-team.se>"))
    assert joined == by_subject


def test_in_reply_to_comes_before_older_references(session: Session) -> None:
    old = make_case(session, "DS-2026-0001")
    new = make_case(session, "DS-2026-0002")
    session.add(Message(case_id=old.id or 0, direction="in", message_id="<first@example.se>"))
    session.add(Message(case_id=new.id or 0, direction="out", message_id="<reply@it-team.se>"))
    session.flush()
    raw = mail(
        "Re: tack",
        In_Reply_To="<reply@it-team.se>",
        References="<first@example.se> <reply@it-team.se>",
    )
    assert found(session, raw) == new


def test_reply_to_a_receipt_threads_by_its_message_id(session: Session) -> None:
    # Receipts and identity requests are outgoing mail only, with no Message row.
    case = make_case(session, "DS-2026-0007")
    session.add(
        OutgoingMail(
            case_id=case.id,
            message_id="<receipt-7@it-team.se>",
            to_addr="lena@example.se",
            raw=b"x",
        )
    )
    session.flush()
    assert (
        found(session, mail("Re: Vi har tagit emot", In_Reply_To="<receipt-7@it-team.se>")) == case
    )


def test_body_reference_when_the_provider_rewrote_message_ids(session: Session) -> None:
    case = make_case(session, "DS-2026-0042")
    body = "Här kommer kopian.\n\n> Ert ärende DS-2026-0042 har tagits emot.\n"
    raw = mail(
        "Re: Vi har tagit emot ditt meddelande", body, In_Reply_To="<rewritten@mail.example>"
    )
    assert found(session, raw) == case


def test_body_reference_counts_only_from_the_requester(session: Session) -> None:
    make_case(session, "DS-2026-0042", requester="lena@example.se")
    raw = mail(
        "Fråga", "Gäller DS-2026-0042, men jag är någon annan.", sender="mallory@example.org"
    )
    assert found(session, raw) is None


def test_mail_for_a_merged_case_goes_to_the_case_it_was_merged_into(session: Session) -> None:
    target = make_case(session, "DS-2026-0001")
    merged = make_case(session, "DS-2026-0002")
    merged.duplicate_of = target.id
    session.add(merged)
    session.flush()
    assert found(session, mail("SV: [DS-2026-0002] tack")) == target


def test_reference_pattern_follows_the_configured_prefix() -> None:
    from privbot.cases.reference import find_references

    assert find_references("SV: [ärende dsk-2026-0042] tack") == ["DSK-2026-0042"]
    assert find_references("Re: [DS-2026-0007] och HD-88213") == ["DS-2026-0007"]


def test_a_stranger_with_the_reference_matches_but_is_not_trusted(session: Session) -> None:
    case = make_case(session, "DS-2026-0003", requester="lena@example.se")
    match = find_case(session, parse(mail("Re: [DS-2026-0003]", sender="mallory@evil.example")))
    assert match == ThreadMatch(case, False)


def test_an_address_staff_added_may_write_for_the_case(session: Session) -> None:
    case = make_case(
        session, "DS-2026-0004", requester="lena@example.se", allowed_senders=["lena@work.example"]
    )
    assert found(session, mail("Re: [DS-2026-0004]", sender="Lena <Lena@Work.example>")) == case


def test_the_reference_the_sender_may_write_to_wins(session: Session) -> None:
    make_case(session, "DS-2026-0003", requester="lena@example.se")
    own = make_case(session, "DS-2026-0010", requester="mallory@evil.example")
    subject = "SV: Re: [DS-2026-0003] Radera [DS-2026-0010]"
    assert found(session, mail(subject, sender="mallory@evil.example")) == own
