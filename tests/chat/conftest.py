"""Fixtures for the chat: a config whose outbox goes to the aiosmtpd relay, the bot, and the web
app served by uvicorn on a loopback port (for HTTP and the browser)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from privbot.chat.bot import ChatBot
from privbot.config import Config, RelayConfig, load_config
from privbot.db import make_engine
from privbot.pipeline import run
from privbot.web.app import create_app
from tests.helpers import Catcher, free_port, serving


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
    """The bot as `privbot chat` runs it: a confirmed request is processed at once."""
    bot = ChatBot.load(chat_config, chat_engine)
    bot.on_spooled = lambda: run(chat_engine, bot.ctx)
    return bot


@pytest.fixture
def web(chat_config: Config, chat_engine: Engine, web_port: int) -> Iterator[str]:
    """The whole web app under uvicorn in a thread; yields its base URL."""
    with serving(create_app(chat_config, chat_engine), web_port) as url:
        yield url
