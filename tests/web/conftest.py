"""Web fixtures: the app with users, cases made from real ingested mail, uvicorn in a thread on
a loopback port, and headless Chromium driven by Playwright (Debian's /usr/bin/chromium)."""

from __future__ import annotations

import dataclasses
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from privbot.config import Config
from privbot.db import session_scope
from privbot.mail.spool import spool
from privbot.models import Case, SpoolEntry
from privbot.pipeline import Context, run
from privbot.users import add_user
from privbot.web.app import create_app
from tests.conftest import free_port

PASSWORD = "correct horse battery staple"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]

# Our own test mail (not from any corpus): a Swedish erasure request carrying a personnummer
# (a valid Luhn test number) and a small attachment.
ERASURE_BODY = """\
Hej!

Jag vill att ni raderar alla personuppgifter ni har om mig. Mitt personnummer
är 19811218-9876 om ni behöver hitta mig i kundregistret.

Vänliga hälsningar
Greta Holm
"""


def erasure_mail(
    message_id: str = "<web-erasure-1@example.se>", pnr_in_name: bool = False
) -> bytes:
    msg = EmailMessage()
    msg["From"] = (
        "Greta Holm <greta.holm@example.se>"
        if not pnr_in_name
        else "Greta 811218-9876 Holm <greta.holm@example.se>"
    )
    msg["To"] = "dataskydd@it-team.se"
    msg["Subject"] = "Radera mina uppgifter"
    msg["Message-ID"] = message_id
    msg["Date"] = "Thu, 26 Nov 2026 09:30:00 +0100"
    msg.set_content(ERASURE_BODY)
    msg.add_attachment(
        b"<html><script>alert('attachment')</script></html>",
        maintype="text",
        subtype="html",
        filename="kvitto.html",
    )
    return msg.as_bytes()


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


def csrf_of(html: str) -> str:
    marker = 'name="csrf" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


class Browser(TestClient):
    """A TestClient that signs in and posts forms with the page's CSRF token."""

    csrf = ""

    def sign_in(self, name: str, password: str = PASSWORD) -> Any:
        self.csrf = csrf_of(self.get("/login").text)
        response = self.post(
            "/login",
            data={"name": name, "password": password, "csrf": self.csrf},
            follow_redirects=False,
        )
        if response.status_code == 303:
            self.csrf = csrf_of(self.get("/inbox").text)
        return response

    def submit(self, path: str, **data: Any) -> Any:
        return self.post(path, data={"csrf": self.csrf, **data}, follow_redirects=False)


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


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """`app` served by uvicorn in a thread on a free loopback port."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    yield "http://127.0.0.1:%d" % port
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def live_server(app: FastAPI) -> Iterator[str]:
    """The app (in English) served on loopback."""
    with serving(app) as base:
        yield base


@pytest.fixture
def sv_live_server(sv_app: FastAPI) -> Iterator[str]:
    """The app as a Swedish company runs it, served on loopback."""
    with serving(sv_app) as base:
        yield base


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
