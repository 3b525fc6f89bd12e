"""Logs carry references and counts, never personal data: the malformed corpus and a request
with a personnummer go through the whole pipeline at DEBUG level, and no address or
personnummer of theirs reaches a log record, even without the masking filter."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.engine import Engine

from privbot import pnr
from privbot.cases import outbox
from privbot.config import Config
from privbot.db import session_scope
from privbot.mail.spool import spool
from privbot.pipeline import Context, run
from tests.helpers import DATA

ADDRESS = re.compile(rb"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
WITH_PNR = (
    "From: Rut Ek <rut.ek@example.se>\r\nTo: dataskydd@it-team.se\r\nSubject: Registerutdrag 811228-9874\r\n"
    "Message-ID: <log-1@example.se>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    "Hej, jag vill ha ett registerutdrag. Mitt personnummer är 811228-9874.\r\n"
).encode()


def test_no_address_or_personnummer_in_any_log_record(
    engine: Engine, ctx: Context, config: Config, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    corpus = [p.read_bytes() for p in sorted((DATA / "malformed").glob("*.eml"))] + [WITH_PNR]
    with session_scope(engine) as session:
        for raw in corpus:
            spool(session, raw, "file")
    run(engine, ctx)
    outbox.deliver(engine, config, limit=1000)
    own = {a.encode() for a in config.addresses} | {config.from_address.encode()}
    addresses = {a.lower() for raw in corpus for a in ADDRESS.findall(raw)} - own
    numbers = {f.text for raw in corpus for f in pnr.find(raw.decode("utf-8", "replace"))}
    assert addresses and "811228-9874" in numbers
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records).lower()
    assert [a for a in addresses if a.decode("utf-8", "replace") in logged] == []
    assert [n for n in numbers if n in logged] == []
    assert "ds-" in logged  # references are logged
