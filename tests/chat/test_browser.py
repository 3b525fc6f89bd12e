"""A person on the chat page in headless Chromium: two questions, then an erasure request made,
confirmed through the link in the mail the test relay caught, and the case it became."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from privbot.config import Config
from privbot.models import Case
from privbot.pipeline import Context, run
from tests.chat.helpers import confirmation_link
from tests.helpers import Catcher

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def page(chromium: Any) -> Iterator[sync_api.Page]:
    context = chromium.new_context(viewport={"width": 390, "height": 844})  # a phone
    yield context.new_page()
    context.close()


def ask(page: sync_api.Page, text: str) -> sync_api.Locator:
    answers = page.locator("#chat-log li.msg.bot")
    before = answers.count()
    page.get_by_label(page.locator("#chat-label").inner_text()).fill(text)
    page.keyboard.press("Enter")  # keyboard only
    sync_api.expect(answers).to_have_count(before + 1)
    return answers.nth(before)


def test_two_questions_and_an_erasure_request(
    page: sync_api.Page,
    web: str,
    chat_engine: Engine,
    chat_config: Config,
    relay: tuple[Catcher, int],
) -> None:
    catcher, _ = relay
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(web + "/chat")
    sync_api.expect(page.get_by_role("heading", level=1)).to_have_text(
        "Frågor om dina personuppgifter"
    )

    first = ask(page, "Hur länge sparar ni mina uppgifter?")
    sync_api.expect(first).to_have_attribute("data-citations", "8.1")
    sync_api.expect(first).to_contain_text("avsnitt 8.1")

    second = ask(page, "Do you send my data outside the EU?")
    sync_api.expect(second).to_have_attribute("data-citations", "9.3")
    sync_api.expect(page.locator("html")).to_have_attribute(
        "lang", "en"
    )  # the page follows the person
    sync_api.expect(page.get_by_role("button", name="Send")).to_be_visible()

    request = ask(page, "Please delete all my personal data. <b>now</b>")
    sync_api.expect(request).to_contain_text("erase")
    assert page.locator("#chat-log b").count() == 0  # what the person typed stays text
    ask(page, "Sara Nyberg")
    sent = ask(page, "sara.nyberg@example.com")
    sync_api.expect(sent).to_contain_text("sara.nyberg@example.com")

    [mail] = catcher.wait(1)
    page.goto(confirmation_link(mail))
    page.get_by_role("button", name="Confirm").click()
    sync_api.expect(page.locator("#confirm-result")).to_contain_text("confirmed")
    run(chat_engine, Context.load(chat_config))  # what `serve`'s worker does next
    with Session(chat_engine) as session:
        [case] = session.exec(select(Case)).all()
        assert (case.channel, case.intents[0], case.language) == ("chat", "erasure", "en")
    assert errors == []
