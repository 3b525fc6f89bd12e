"""Fixtures for the chat: a config whose outbox goes to the aiosmtpd relay, the bot, and the web
app served by uvicorn on a loopback port (for HTTP and the browser)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy.engine import Engine

from privbot.chat.bot import ChatBot
from privbot.config import Config, RelayConfig, load_config
from privbot.db import make_engine
from privbot.web.app import create_app
from tests.conftest import Catcher, free_port

_LINK = re.compile(r"https?://\S+/chat/confirm/[A-Za-z0-9_\-]+")
_CODE = re.compile(r"\b(\d{6})\b")


@pytest.fixture
def web_port() -> int:
    return free_port()


@pytest.fixture
def chat_config(home: Path, relay: tuple[Catcher, int], web_port: int) -> Config:
    """Mail goes to the test relay; confirmation links point at the test web server."""
    return load_config(
        env={"PRIVBOT_HOME": str(home)},
        relay=RelayConfig(host="127.0.0.1", port=relay[1]),
        web_port=web_port,
        extra={"chat": {"base_url": "http://127.0.0.1:%d/" % web_port}},
    )


@pytest.fixture
def chat_engine(chat_config: Config) -> Iterator[Engine]:
    engine = make_engine(chat_config.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def bot(chat_config: Config, chat_engine: Engine) -> ChatBot:
    return ChatBot.load(chat_config, chat_engine)


@pytest.fixture
def web(chat_config: Config, chat_engine: Engine, web_port: int) -> Iterator[str]:
    """The whole web app under uvicorn in a thread; yields its base URL."""
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(chat_config, chat_engine),
            host="127.0.0.1",
            port=web_port,
            log_level="warning",
            ws="none",
            lifespan="off",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    yield "http://127.0.0.1:%d" % web_port
    server.should_exit = True
    thread.join(timeout=10)


def mail_text(msg: EmailMessage) -> str:
    body = msg.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def confirmation_link(msg: EmailMessage) -> str:
    found = _LINK.search(mail_text(msg))
    assert found, "no confirmation link in the mail"
    return found.group(0)


def confirmation_code(msg: EmailMessage) -> str:
    found = _CODE.search(mail_text(msg))
    assert found, "no confirmation code in the mail"
    return found.group(1)
