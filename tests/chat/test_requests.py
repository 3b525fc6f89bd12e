"""Requests made in the chat: confirmation mail through a real SMTP relay, the case through the
pipeline, expiry of unconfirmed requests, rate and length limits, nothing personal in the logs."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from privbot.cases import outbox, store
from privbot.chat.bot import ChatBot
from privbot.chat.requests import due_for
from privbot.models import Case, ChatRequest, ChatSession, Message, SpoolEntry, utcnow
from tests.chat.helpers import confirmation_code, mail_text
from tests.helpers import Catcher

NAME, EMAIL = "Maja Lindqvist", "maja.lindqvist@example.se"


def start_erasure(bot: ChatBot) -> str:
    first = bot.handle(None, "Hur länge sparar ni mina uppgifter?", "10.0.0.1")
    request = bot.handle(
        first.session_id, "Jag vill att ni raderar alla mina uppgifter.", "10.0.0.1"
    )
    assert request.intents == ("erasure",) and request.next == ("name",)
    assert "11.3" in request.citations
    assert due_for(bot.config, utcnow()).year >= utcnow().year
    asked = bot.handle(first.session_id, NAME, "10.0.0.1")
    assert asked.next == ("email",)
    sent = bot.handle(first.session_id, EMAIL, "10.0.0.1")
    assert sent.next == ("code",) and sent.mail_queued
    return first.session_id


def test_a_request_confirmed_by_code_becomes_a_chat_case_with_the_transcript(
    bot: ChatBot, chat_engine: Engine, relay: tuple[Catcher, int]
) -> None:
    catcher, _ = relay
    token = start_erasure(bot)
    with Session(chat_engine) as session:
        assert session.exec(select(Case)).all() == []  # nothing before confirmation
    assert outbox.deliver(chat_engine, bot.config) == 1
    [verification] = catcher.wait(1)
    assert verification["To"].addresses[0].addr_spec == EMAIL
    assert verification["Auto-Submitted"] == "auto-replied"
    assert verification["Precedence"] is None  # it asks for a reply with the code
    wrong = bot.handle(
        token, "000000" if confirmation_code(verification) != "000000" else "111111", "10.0.0.1"
    )
    assert wrong.next == ("code",)
    done = bot.handle(token, confirmation_code(verification), "10.0.0.1")
    assert done.reference.startswith("DS-")
    with Session(chat_engine) as session:
        case = store.get_case(session, done.reference)
        assert case.channel == "chat"
        assert case.intents[0] == "erasure"
        assert case.requester_email == EMAIL and case.requester_name == NAME
        assert case.due == due_for(bot.config, case.received_at)
        assert case.due.strftime("%Y") in done.reply
        [message] = session.exec(
            select(Message).where(Message.case_id == case.id, Message.direction == "in")
        ).all()
        assert "Jag vill att ni raderar alla mina uppgifter." in message.text
        assert "> Chatten" in message.text  # the chat's side, quoted
        entry = session.exec(select(SpoolEntry).where(SpoolEntry.case_id == case.id)).one()
        assert entry.source == "chat"
        request = session.exec(select(ChatRequest)).one()
        assert request.state == "confirmed" and request.case_id == case.id
        assert request.email == "" and request.transcript == []  # the case holds the data now
    outbox.deliver(chat_engine, bot.config)
    receipt = catcher.wait(2)[1]
    assert done.reference in str(receipt["Subject"])
    again = bot.handle(token, confirmation_code(verification), "10.0.0.1")
    with Session(chat_engine) as session:
        assert len(session.exec(select(Case)).all()) == 1  # a second code opens nothing
    assert again.reference == ""


def test_an_unconfirmed_request_expires_and_never_becomes_a_case(
    bot: ChatBot, chat_engine: Engine, relay: tuple[Catcher, int]
) -> None:
    catcher, _ = relay
    token = start_erasure(bot)
    outbox.deliver(chat_engine, bot.config)
    [verification] = catcher.wait(1)
    with Session(chat_engine) as session:
        request = session.exec(select(ChatRequest)).one()
        request.expires_at = utcnow() - timedelta(minutes=1)
        session.add(request)
        session.commit()
    assert bot.expire() == (1, 0)
    late = bot.handle(token, confirmation_code(verification), "10.0.0.1")
    assert late.reference == "" and "gick ut" in late.reply
    assert bot.confirm_link(mail_text(verification).split("/chat/confirm/")[1].split()[0]) is None
    with Session(chat_engine) as session:
        assert session.exec(select(Case)).all() == []
        assert session.exec(select(SpoolEntry)).all() == []
        request = session.exec(select(ChatRequest)).one()
        assert (request.state, request.name, request.email, request.transcript) == (
            "expired",
            "",
            "",
            [],
        )


def test_idle_conversations_are_deleted(bot: ChatBot, chat_engine: Engine) -> None:
    reply = bot.handle(None, "Hej", "10.0.0.2")
    with Session(chat_engine) as session:
        chat = session.exec(select(ChatSession)).one()
        chat.last_seen = utcnow() - timedelta(hours=bot.settings.session_ttl_hours + 1)
        session.add(chat)
        session.commit()
    assert bot.expire() == (0, 1)
    fresh = bot.handle(reply.session_id, "Hej", "10.0.0.2")
    assert fresh.session_id != reply.session_id


def test_unanswerable_question_is_offered_to_staff_and_becomes_a_question_case(
    bot: ChatBot, chat_engine: Engine, relay: tuple[Catcher, int]
) -> None:
    catcher, _ = relay
    first = bot.handle(None, "Använder ni kakor på webbplatsen, och vilka i så fall?", "10.0.0.3")
    assert first.citations == () and first.next == ("yes_no",)
    token = first.session_id
    assert bot.handle(token, "ja", "10.0.0.3").next == ("name",)
    bot.handle(token, "Olle Berg", "10.0.0.3")
    bot.handle(token, "olle@example.se", "10.0.0.3")
    outbox.deliver(chat_engine, bot.config)
    done = bot.handle(token, confirmation_code(catcher.wait(1)[0]), "10.0.0.3")
    with Session(chat_engine) as session:
        case = store.get_case(session, done.reference)
        assert "question" in case.intents and case.channel == "chat"


def test_english_request_gets_english_prompts(bot: ChatBot) -> None:
    reply = bot.handle(None, "Please delete all my personal data.", "10.0.0.4")
    assert reply.language == "en" and reply.intents == ("erasure",)
    assert "What is your name?" in reply.reply


def test_bad_name_and_email_are_asked_again_and_cancel_works(
    bot: ChatBot, chat_engine: Engine
) -> None:
    token = bot.handle(None, "Radera mina uppgifter", "10.0.0.5").session_id
    assert bot.handle(token, "12345", "10.0.0.5").next == ("name",)
    assert bot.handle(token, "Eva Ek", "10.0.0.5").next == ("email",)
    assert bot.handle(token, "inte en adress", "10.0.0.5").next == ("email",)
    assert bot.handle(token, "dataskydd@it-team.se", "10.0.0.5").next == (
        "email",
    )  # never our own mailbox
    cancelled = bot.handle(token, "avbryt", "10.0.0.5")
    assert cancelled.next == () and not cancelled.mail_queued
    with Session(chat_engine) as session:
        assert session.exec(select(ChatRequest)).all() == []


def test_confirmation_mails_to_one_address_are_capped(bot: ChatBot) -> None:
    replies = []
    for n in range(bot.settings.mails_per_address_per_day + 1):
        token = bot.handle(None, "Radera mina uppgifter", "10.0.1.%d" % n).session_id
        bot.handle(token, "Eva Ek", "10.0.1.%d" % n)
        replies.append(bot.handle(token, "eva@example.se", "10.0.1.%d" % n))
    assert [r.mail_queued for r in replies] == [True] * bot.settings.mails_per_address_per_day + [
        False
    ]
    assert "eva@example.se" not in replies[-1].reply


def test_rate_limits_per_session_and_per_client(bot: ChatBot) -> None:
    token = bot.handle(None, "Hej", "10.0.2.1").session_id
    statuses = [
        bot.handle(token, "Hej", "10.0.2.1").status
        for _ in range(bot.settings.per_session_per_minute + 1)
    ]
    assert statuses[-1] == 429 and statuses[0] == 200
    clients = [
        bot.handle(None, "Hej", "10.0.2.2").status
        for _ in range(bot.settings.per_client_per_minute + 1)
    ]
    assert clients[-1] == 429 and clients.count(200) == bot.settings.per_client_per_minute


def test_overlong_messages_are_refused_without_storing_them(
    bot: ChatBot, chat_engine: Engine
) -> None:
    reply = bot.handle(None, "radera " * 500, "10.0.3.1")
    assert reply.status == 413 and str(bot.settings.max_chars) in reply.reply
    with Session(chat_engine) as session:
        assert session.exec(select(ChatSession)).all() == []


def test_no_personal_data_in_the_logs(
    bot: ChatBot, chat_engine: Engine, relay: tuple[Catcher, int], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    catcher, _ = relay
    token = start_erasure(bot)
    outbox.deliver(chat_engine, bot.config)
    bot.handle(token, confirmation_code(catcher.wait(1)[0]), "10.0.0.1")
    logged = "\n".join(
        r.getMessage() for r in caplog.records if r.name.startswith("privbot")
    )  # not the test relay's
    assert "chat request" in logged  # something was logged, by id
    for secret in (
        NAME,
        EMAIL,
        "raderar alla mina",
        "Hur länge sparar",
        confirmation_code(catcher.messages[0]),
    ):
        assert secret not in logged
