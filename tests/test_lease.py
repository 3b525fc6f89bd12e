"""Leases on SQLite and PostgreSQL: one holder, renewal, expiry and release."""

from __future__ import annotations

import time

from sqlalchemy.engine import Engine

from privbot import lease
from privbot.config import Config


def test_one_holder_until_it_expires_or_lets_go(any_engine: tuple[Engine, Config]) -> None:
    engine, _ = any_engine
    a, b = lease.new_holder(), lease.new_holder()
    assert a != b
    assert lease.acquire(engine, "imap:x/INBOX", a, 60)
    assert not lease.acquire(engine, "imap:x/INBOX", b, 60)
    assert lease.acquire(engine, "imap:x/INBOX", a, 60)  # renewal
    assert lease.acquire(engine, "imap:y/INBOX", b, 60)  # another folder is another lease
    assert lease.holder_of(engine, "imap:x/INBOX") == a
    lease.release(engine, "imap:x/INBOX", b)  # not b's to give away
    assert lease.holder_of(engine, "imap:x/INBOX") == a
    lease.release(engine, "imap:x/INBOX", a)
    assert lease.holder_of(engine, "imap:x/INBOX") is None
    assert lease.acquire(engine, "imap:x/INBOX", b, 0.3)
    assert not lease.acquire(engine, "imap:x/INBOX", a, 60)
    time.sleep(0.5)  # b died without letting go: its lease expires
    assert lease.holder_of(engine, "imap:x/INBOX") is None
    assert lease.acquire(engine, "imap:x/INBOX", a, 60)
