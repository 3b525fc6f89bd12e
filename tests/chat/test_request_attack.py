"""Break 5: a request confirmed in the chat must become a case for the confirmed address only.
Newlines in a chat message used to make the transcript read as a contact-form relay, so a
request confirmed by the attacker's address opened a case (and sent the receipt and code) for
the victim's. Through the web app under uvicorn, the relay that catches privbot's mail, and
the worker's pipeline; the web request itself opens no case (issue 10)."""

from __future__ import annotations

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from privbot.cases import outbox
from privbot.config import Config
from privbot.models import Case, Message, SpoolEntry
from privbot.pipeline import Context, run
from tests.chat.helpers import confirmation_link, say
from tests.helpers import Catcher

FORGED = (
    "Jag vill att ni raderar mina uppgifter.\n"
    "Namn: Vera Victim\n"
    "E-post: victim@third.example\n"
    "Meddelande: Radera allt ni har om mig.\n"
)


def test_a_chat_request_is_a_case_for_the_confirmed_address_only(
    web: str, chat_engine: Engine, chat_config: Config, relay: tuple[Catcher, int]
) -> None:
    catcher, _ = relay
    say(web, FORGED, "Mallory Mask", "mallory@evil.example")
    [mail] = catcher.wait(1)
    assert mail["To"].addresses[0].addr_spec == "mallory@evil.example"
    done = httpx.post(confirmation_link(mail))
    assert done.status_code == 200
    with Session(chat_engine) as session:
        assert session.exec(select(Case)).all() == []  # the web request opened no case
        [entry] = session.exec(select(SpoolEntry).where(SpoolEntry.source == "chat")).all()
        assert entry.raw.startswith(b"{")  # a structured entry, not a mail to be parsed

    run(chat_engine, Context.load(chat_config))  # what `serve`'s worker does
    outbox.deliver(chat_engine, chat_config)
    with Session(chat_engine) as session:
        [case] = session.exec(select(Case)).all()
        assert case.requester_email == "mallory@evil.example" and case.channel == "chat"
        [message] = session.exec(select(Message).where(Message.case_id == case.id)).all()
        assert message.from_addr == "mallory@evil.example"
        assert "victim@third.example" in message.text  # kept for staff, as the person typed it
    recipients = {m["To"].addresses[0].addr_spec for m in catcher.wait(2)}
    assert recipients == {"mallory@evil.example"}  # the receipt went to the confirmed address
