"""Identity verification on SQLite and PostgreSQL: the code notice, confirming by code, link and
reply, the approval gate, one reminder, closing unverified; fast tracks and third parties."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from privbot.cases import identity, store
from privbot.config import Config
from privbot.db import session_scope
from privbot.errors import StateError
from privbot.mail.spool import spool
from privbot.models import (
    AuditEvent,
    Case,
    CasePause,
    IdentityToken,
    Outcome,
    OutgoingMail,
    Status,
    utcnow,
)
from privbot.pipeline import Context, run


def raw(sender: str, subject: str, body: str, mid: str, extra: str = "") -> bytes:
    return (
        "From: %s\r\nTo: dataskydd@it-team.se\r\nSubject: %s\r\nMessage-ID: <%s>\r\n%s"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n"
        % (sender, subject, mid, extra, body)
    ).encode()


ACCESS = raw(
    "Anna Berg <anna@example.se>",
    "Mina uppgifter",
    "Hej! Jag vill ha ett registerutdrag med allt ni har om mig.",
    "id-1@example.se",
)
OPTOUT = raw(
    "Bo <bo@example.se>",
    "Sluta skicka reklam",
    "Hej, jag vill inte längre få era nyhetsbrev och reklamutskick.",
    "id-2@example.se",
)
PARENT = raw(
    "Cia <cia@example.se>",
    "Min sons uppgifter",
    "Hej, jag vill ha ett registerutdrag med de uppgifter ni har om min son, som är 12 år.",
    "id-3@example.se",
)


def ingest(engine: Engine, config: Config, *messages: bytes) -> None:
    with session_scope(engine) as session:
        for message in messages:
            spool(session, message, "file")
    run(engine, Context.load(config))


def only_case(session: Session, email: str = "anna@example.se") -> Case:
    return session.exec(select(Case).where(Case.requester_email == email)).one()


def code_in(session: Session, case: Case) -> str:
    token = session.exec(
        select(IdentityToken)
        .where(IdentityToken.case_id == case.id)
        .order_by(col(IdentityToken.id).desc())
    ).first()
    out = session.get(OutgoingMail, token.outgoing_id)
    body = message_from_bytes(out.raw, policy=policy.default).get_body(("plain",)).get_content()
    return re.search(r"\b([A-Z2-9]{4}-[A-Z2-9]{4})\b", body).group(1)


def test_access_waits_for_identity_and_the_code_verifies(any_engine: tuple[Engine, Config]) -> None:
    engine, config = any_engine
    ingest(engine, config, ACCESS)
    replies = Context.load(config).replies
    with session_scope(engine) as session:
        case = only_case(session)
        assert case.status == Status.awaiting_identity and not case.identity_verified
        token = session.exec(select(IdentityToken).where(IdentityToken.case_id == case.id)).one()
        code = code_in(session, case)
        assert (
            code.replace("-", "") not in token.code_hash and len(token.code_hash) == 64
        )  # only a hash is kept
        notice = session.get(OutgoingMail, token.outgoing_id)
        assert notice.automatic and notice.to_addr == "anna@example.se"
        assert (
            session.exec(select(CasePause).where(CasePause.case_id == case.id)).one().ended_at
            is None
        )

        # Verification is required before an access reply can be approved.
        with pytest.raises(StateError, match="not verified"):
            store.approve(session, config, case, "staff")
        assert not identity.confirm_code(session, config, replies, case, "AAAA-BBBB")
        assert identity.confirm_code(session, config, replies, case, code.lower().replace("-", " "))
        assert case.identity_verified and case.status == Status.draft_ready
        draft = store.current_draft(session, case)
        assert draft.notes and "OBS till" not in draft.body  # the fulfilling version
        assert (
            session.exec(select(CasePause).where(CasePause.case_id == case.id)).one().ended_at
            is not None
        )
        store.approve(session, config, case, "staff")
        assert not identity.confirm_code(session, config, replies, case, code)  # used up


def test_link_confirms_and_wrong_codes_run_out(any_engine: tuple[Engine, Config]) -> None:
    engine, config = any_engine
    config = replace(config, public_url="https://privbot.example.se")
    ingest(engine, config, ACCESS)
    replies = Context.load(config).replies
    with session_scope(engine) as session:
        case = only_case(session)
        out = session.get(OutgoingMail, session.exec(select(IdentityToken)).one().outgoing_id)
        link = (
            re.search(rb"https://privbot\.example\.se/verify/([\w-]+)", out.raw).group(1).decode()
        )
        assert identity.confirm_link(session, config, replies, "not-a-token") is None
        for _ in range(identity.MAX_FAILED):
            identity.confirm_code(session, config, replies, case, "ZZZZ-ZZZZ")
        assert (
            identity.confirm_link(session, config, replies, link) is None
        )  # too many wrong codes: dead
        token = identity.send_code(session, config, replies, case)
        assert token is not None
        new_out = session.get(OutgoingMail, token.outgoing_id)
        link = re.search(rb"/verify/([\w-]+)", new_out.raw).group(1).decode()
        assert identity.confirm_link(session, config, replies, link) == case
        assert case.identity_verified and "link" in case.verified_how


def test_one_reminder_then_closing_unverified(any_engine: tuple[Engine, Config]) -> None:
    engine, config = any_engine
    ingest(engine, config, ACCESS)
    replies = Context.load(config).replies
    now = utcnow()
    with session_scope(engine) as session:
        case = only_case(session)
        assert identity.sweep(session, config, replies, now + timedelta(hours=2)) == {
            "reminded": 0,
            "closed": 0,
        }
        assert identity.sweep(session, config, replies, now + timedelta(hours=25)) == {
            "reminded": 1,
            "closed": 0,
        }
        assert identity.sweep(session, config, replies, now + timedelta(days=3)) == {
            "reminded": 0,
            "closed": 0,
        }
        assert identity.sweep(session, config, replies, now + timedelta(days=14, hours=1)) == {
            "reminded": 0,
            "closed": 1,
        }
        assert (
            case.status == Status.closed
            and case.outcome == Outcome.denied
            and case.outcome_reason == "identity_not_verified"
        )
        kinds = [
            t.kind
            for t in session.exec(
                select(IdentityToken).where(IdentityToken.case_id == case.id)
            ).all()
        ]
        assert kinds == ["request", "reminder"]
        subjects = [
            message_from_bytes(o.raw or b"Subject: (blanked)\r\n\r\n", policy=policy.default)[
                "Subject"
            ]
            for o in session.exec(
                select(OutgoingMail)
                .where(OutgoingMail.case_id == case.id)
                .order_by(col(OutgoingMail.id))
            ).all()
        ]
        assert len(subjects) == 3  # receipt with the code, reminder, closing notice
        assert "avslutat" in subjects[-1]


def test_marketing_optout_is_fast_tracked(any_engine: tuple[Engine, Config]) -> None:
    engine, config = any_engine
    ingest(engine, config, OPTOUT)
    with session_scope(engine) as session:
        case = only_case(session, "bo@example.se")
        assert case.intents[0] == "marketing_optout" and case.status == Status.draft_ready
        assert session.exec(select(IdentityToken)).all() == []
        store.approve(session, config, case, "staff")


def test_a_parent_writing_for_a_child_is_flagged_and_asked_for_the_mandate(
    engine: Engine, config: Config
) -> None:
    ingest(engine, config, PARENT)
    with Session(engine) as session:
        case = only_case(session, "cia@example.se")
        assert case.third_party
        assert "vårdnadshavare" in store.current_draft(session, case).body
        assert session.exec(
            select(AuditEvent).where(AuditEvent.action == "third_party_flagged")
        ).one()


def test_uncertain_reading_sends_no_code_until_staff_do(engine: Engine, config: Config) -> None:
    ingest(engine, config, ACCESS)
    replies = Context.load(config).replies
    with session_scope(engine) as session:
        case = only_case(session)
        case.needs_review = True
        for token in session.exec(select(IdentityToken)).all():
            session.delete(token)
        session.flush()
        assert identity.sweep(session, config, replies, utcnow() + timedelta(days=20)) == {
            "reminded": 0,
            "closed": 0,
        }
        identity.mark_verified(session, config, replies, case, "staff", "in person, passport")
        assert case.verified_how == "in person, passport"
        with pytest.raises(StateError):
            identity.send_code(session, config, replies, case)


def test_codes_in_replies_count_three_a_message_and_run_out(engine: Engine, config: Config) -> None:
    """A reply with no code-shaped string costs nothing; one with four counts three wrong tries;
    the next two run the codes out, and then the right code in a reply verifies nothing."""
    ingest(engine, config, ACCESS)
    with Session(engine) as session:
        case = only_case(session)
        code, subject = code_in(session, case), "Re: [%s] Mina uppgifter" % case.reference

    def reply(mid: str, body: str) -> bytes:
        return raw("Anna Berg <anna@example.se>", subject, body, mid)

    def failed(session: Session) -> list[int]:
        return [t.failed_attempts for t in session.exec(select(IdentityToken)).all()]

    ingest(engine, config, reply("r1@example.se", "Tack, jag väntar på svaret."))
    with Session(engine) as session:
        assert failed(session) == [0]
    ingest(engine, config, reply("r2@example.se", "Koder: AAAA-2222 BBBB-3333 CCCC-4444 DDDD-5555"))
    with Session(engine) as session:
        assert failed(session) == [3]
    ingest(engine, config, reply("r3@example.se", "EEEE-6666 FFFF-7777"))
    with Session(engine) as session:
        assert failed(session) == [5]
        actions = [e.action for e in session.exec(select(AuditEvent)).all()]
        assert actions.count("identity_code_failed") == 2 and "identity_code_void" in actions
    ingest(engine, config, reply("r4@example.se", "Här är koden: %s" % code))
    with Session(engine) as session:
        case = only_case(session)
        assert not case.identity_verified and case.needs_review


def test_codes_in_replies_of_one_batch_count_against_its_new_and_changed_tokens(
    any_engine: tuple[Engine, Config],
) -> None:
    """Replies in the batch that opens the case find its code not yet written, and each sees
    the wrong tries of the one before (the lookup flushes the case's token changes first)."""
    engine, config = any_engine

    def reply(mid: str, body: str) -> bytes:
        return raw(
            "Anna Berg <anna@example.se>",
            "Re: Mina uppgifter",
            body,
            mid,
            "In-Reply-To: <id-1@example.se>\r\n",
        )

    ingest(
        engine,
        config,
        ACCESS,
        reply("b1@example.se", "AAAA-2222 BBBB-3333"),
        reply("b2@example.se", "CCCC-4444 DDDD-5555"),
        reply("b3@example.se", "EEEE-6666 FFFF-7777"),
    )
    with Session(engine) as session:
        tokens = session.exec(select(IdentityToken)).all()
        assert [t.failed_attempts for t in tokens] == [5]
        actions = [e.action for e in session.exec(select(AuditEvent)).all()]
        assert actions.count("identity_code_failed") == 3 and "identity_code_void" in actions
        assert only_case(session).needs_review


@pytest.mark.parametrize(
    "text, found",
    [
        ("Koden är BW5L-GJWJ, tack", ["BW5LGJWJ"]),
        # a code inside a link or an address is the link's or the address's, not the requester's
        ("https://it-team.se/v/BW5L-GJWJ och kim.BW5LGJWJ@example.se", []),
        ("se https://x.se/a?c=AB23-CD45 sedan AB23 CD45", ["AB23CD45"]),
        ("@ABCD2345 ://EFGH2345 a@ b:// XY23ZW45", ["ABCD2345", "EFGH2345", "XY23ZW45"]),
        ("personal self-help WXYZ-2345", ["WXYZ2345"]),
    ],
)
def test_code_candidates_leave_links_and_addresses_out(text: str, found: list[str]) -> None:
    assert identity.candidates(text) == found
