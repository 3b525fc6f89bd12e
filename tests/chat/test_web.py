"""The chat over HTTP on a real uvicorn: the page, the JSON API, the confirmation link from the
mail the test relay caught (GET shows a button, POST confirms), escaping and limits."""

from __future__ import annotations

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from privbot.cases import outbox
from privbot.config import Config
from privbot.models import Case, ChatRequest
from privbot.pipeline import Context, run
from tests.chat.helpers import confirmation_link, say
from tests.helpers import Catcher


def test_the_page_is_swedish_labelled_and_locked_down(web: str) -> None:
    page = httpx.get(web + "/chat")
    assert page.status_code == 200
    assert '<html lang="sv">' in page.text
    assert '<label for="chat-input"' in page.text and 'role="log"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "no-referrer"
    assert (
        httpx.get(web + "/chat/static/chat.js")
        .headers["content-type"]
        .startswith("text/javascript")
    )
    assert httpx.get(web + "/chat/static/../app.py").status_code == 404


def test_api_answers_with_citations(web: str) -> None:
    reply = httpx.post(
        web + "/api/chat", json={"session_id": None, "message": "How long do you keep my data?"}
    )
    data = reply.json()
    assert reply.status_code == 200
    assert set(data) == {"session_id", "reply", "citations", "intents", "next", "language"}
    assert data["citations"] == ["8.1"] and data["language"] == "en"
    follow = httpx.post(
        web + "/api/chat",
        json={"session_id": data["session_id"], "message": "Vem får mina uppgifter?"},
    ).json()
    assert (
        follow["session_id"] == data["session_id"]
        and follow["citations"] == ["9.1"]
        and follow["language"] == "sv"
    )


def test_api_limits(web: str) -> None:
    assert httpx.post(web + "/api/chat", json={"message": "x" * 1001}).status_code == 413
    assert httpx.post(web + "/api/chat", json={"message": "x" * 30_000}).status_code == 422
    assert (
        httpx.post(
            web + "/api/chat", content=b"not json", headers={"content-type": "application/json"}
        ).status_code
        == 422
    )


def test_request_confirmed_through_the_mailed_link_becomes_a_case(
    web: str, chat_engine: Engine, chat_config: Config, relay: tuple[Catcher, int]
) -> None:
    catcher, _ = relay
    session_id, data = say(
        web, "Jag vill att ni raderar mina uppgifter.", "Karin Holm", "karin.holm@example.se"
    )
    assert data["next"] == ["code"]
    [mail] = catcher.wait(1)  # the API delivered it after answering
    link = confirmation_link(mail)
    assert link.startswith(web + "/chat/confirm/")
    shown = httpx.get(link)
    assert shown.status_code == 200 and 'id="confirm-button"' in shown.text
    with Session(chat_engine) as session:
        assert session.exec(select(Case)).all() == []  # opening the link alone confirms nothing
    done = httpx.post(link)
    assert done.status_code == 200 and "bekräftad" in done.text
    with Session(chat_engine) as session:
        assert session.exec(select(Case)).all() == []  # the worker opens it, not the web request
    run(chat_engine, Context.load(chat_config))
    with Session(chat_engine) as session:
        [case] = session.exec(select(Case)).all()
        assert case.channel == "chat" and case.intents[0] == "erasure"
    assert httpx.post(link).status_code == 404  # one time only
    assert httpx.get(link).status_code == 404


def test_an_unknown_link_is_refused_and_not_reflected(web: str) -> None:
    bad = httpx.get(web + "/chat/confirm/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert bad.status_code == 404
    assert "<script>alert" not in bad.text


def test_markup_in_a_message_is_never_echoed(web: str, chat_engine: Engine) -> None:
    data = httpx.post(
        web + "/api/chat", json={"message": "<img src=x onerror=alert(1)> radera mina uppgifter"}
    ).json()
    assert data["intents"] == ["erasure"]
    assert "<img" not in data["reply"]  # the reply never echoes the message
    with Session(chat_engine) as session:
        assert session.exec(select(ChatRequest)).all() == []


def test_outbox_is_delivered_by_the_api(
    chat_engine: Engine, web: str, relay: tuple[Catcher, int], chat_config: Config
) -> None:
    say(web, "Please erase my data.", "John Smith", "john@example.com")
    catcher, _ = relay
    [mail] = catcher.wait(1)
    assert "Please confirm" in str(mail["Subject"])
    assert outbox.deliver(chat_engine, chat_config) == 0  # nothing left behind
