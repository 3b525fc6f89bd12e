"""Web fixtures: the app with users, cases made from real ingested mail, the app under uvicorn
on a loopback port, and a Chromium page (the browser is the root conftest's `chromium`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session

from privbot.config import Config
from privbot.db import session_scope
from privbot.mail.spool import spool
from privbot.models import Case, SpoolEntry
from privbot.pipeline import Context, run
from privbot.users import add_user
from privbot.web.app import create_app
from tests.helpers import serving
from tests.web.helpers import PASSWORD, Browser


@pytest.fixture
def app(config: Config, engine: Engine) -> FastAPI:
    """The app in English (tests read its English wording); `sv_app` is the company default."""
    english = dataclasses.replace(config, web_language="en")
    return create_app(english, engine, secret="test-secret-" + "x" * 40)


@pytest.fixture
def sv_app(config: Config, engine: Engine) -> FastAPI:
    """The app as a Swedish company runs it: Swedish unless a user chooses English."""
    assert config.web_language == "sv"
    return create_app(config, engine, secret="test-secret-" + "x" * 40)


@pytest.fixture
def users(engine: Engine) -> dict[str, str]:
    people = {"anna": "staff", "bo": "staff", "sara": "supervisor"}
    with session_scope(engine) as session:
        for name, role in people.items():
            add_user(session, name, role, PASSWORD)
    return people


@pytest.fixture
def ingest(engine: Engine, ctx: Context) -> Callable[[bytes], Case]:
    """Take raw mail through spool and the whole pipeline; return the case it opened or joined."""

    def take(raw: bytes) -> Case:
        with session_scope(engine) as session:
            entry, _ = spool(session, raw, "file", "test")
            entry_id = entry.id
        run(engine, ctx)
        with Session(engine) as session:
            entry = session.get(SpoolEntry, entry_id)
            assert entry is not None and entry.case_id is not None, (
                "mail opened no case (%s: %s)" % (entry and entry.state, entry and entry.reason)
            )
            case = session.get(Case, entry.case_id)
            assert case is not None
            return case

    return take


@pytest.fixture
def client(app: FastAPI, users: dict[str, str]) -> Callable[[str | None], Browser]:
    made: list[Browser] = []

    def make(name: str | None = None) -> Browser:
        browser = Browser(app)
        made.append(browser)
        if name:
            assert browser.sign_in(name).status_code == 303
        return browser

    yield make  # type: ignore[misc]
    for browser in made:
        browser.close()


@pytest.fixture
def live_server(app: FastAPI) -> Iterator[str]:
    """The app (in English) served by uvicorn in a thread on a free loopback port."""
    with serving(app) as url:
        yield url


@pytest.fixture
def sv_live_server(sv_app: FastAPI) -> Iterator[str]:
    """The app as a Swedish company runs it, served on loopback."""
    with serving(sv_app) as url:
        yield url


@pytest.fixture
def browser_page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
