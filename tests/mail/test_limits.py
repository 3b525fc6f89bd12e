"""The caps on automatic mail, read from the database: on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy.engine import Engine

from privbot.config import Config
from privbot.db import migrate, session_scope
from privbot.mail.limits import refusal
from privbot.models import OutgoingMail, utcnow


def _sent(engine: Engine, *rows: tuple[str, float, bool]) -> None:
    """Outgoing mail to each address, that many hours ago, automatic or not."""
    now = utcnow()
    with session_scope(engine) as session:
        for n, (to, hours_ago, automatic) in enumerate(rows):
            session.add(
                OutgoingMail(
                    message_id="<m%d@test>" % n,
                    to_addr=to,
                    automatic=automatic,
                    raw=b"",
                    created_at=now - timedelta(hours=hours_ago),
                )
            )


def _refusal(engine: Engine, config: Config, to: str) -> str:
    with session_scope(engine) as session:
        return refusal(session, config, to)


def test_hourly_cap_counts_the_last_hour_of_automatic_mail(
    any_engine: tuple[Engine, Config],
) -> None:
    engine, config = any_engine
    migrate(engine)
    config = replace(config, automatic_hourly_cap=3)  # counted up to the cap, no further
    _sent(
        engine,
        ("a@one.example", 0.1, True),
        ("b@two.example", 0.5, True),
        ("c@three.example", 2.0, True),  # over an hour ago
        ("d@four.example", 0.2, False),  # sent by a person
    )
    assert _refusal(engine, config, "e@five.example") == ""
    _sent(engine, ("f@six.example", 0.9, True))
    assert _refusal(engine, config, "e@five.example") == "hourly_cap"
    _sent(engine, ("g@seven.example", 0.3, True))  # past the cap: still the cap
    assert _refusal(engine, config, "e@five.example") == "hourly_cap"


def test_daily_caps_per_address_and_domain(any_engine: tuple[Engine, Config]) -> None:
    engine, config = any_engine
    migrate(engine)
    config = replace(
        config, receipt_daily_cap=2, automatic_domain_daily_cap=3
    )  # counted up to the cap, no further
    _sent(engine, ("anna@x.example", 5, True), ("anna+1@x.example", 20, True))
    assert _refusal(engine, config, "Anna+2@X.example") == "daily_cap"
    assert _refusal(engine, config, "bo@x.example") == ""
    _sent(engine, ("cia@x.example", 30, True))  # yesterday's: no longer counted
    assert _refusal(engine, config, "bo@x.example") == ""
    _sent(engine, ("dan@x.example", 23, True))
    assert _refusal(engine, config, "bo@x.example") == "domain_cap"
    assert _refusal(engine, config, "bo@y.example") == ""


def test_a_domain_with_like_wildcards_counts_only_itself(any_engine: tuple[Engine, Config]) -> None:
    """`_` and `%` in a recipient's domain are letters, not patterns that match other domains."""
    engine, config = any_engine
    migrate(engine)
    config = replace(config, automatic_domain_daily_cap=2)
    _sent(engine, ("a@xab.example", 1, True), ("b@xcb.example", 1, True), ("c@x%.example", 1, True))
    assert _refusal(engine, config, "z@x_b.example") == ""
    assert _refusal(engine, config, "z@x%.example") == ""
    _sent(engine, ("d@x%.example", 1, True))
    assert _refusal(engine, config, "z@x%.example") == "domain_cap"


def test_mail_queued_in_the_same_transaction_counts_before_it_is_written(
    any_engine: tuple[Engine, Config],
) -> None:
    """A batch queues its receipts without writing them one by one: those count too."""
    engine, config = any_engine
    migrate(engine)
    config = replace(config, automatic_hourly_cap=3, receipt_daily_cap=1)
    _sent(engine, ("a@one.example", 0.1, True))
    with session_scope(engine) as session:
        for n, to in enumerate(("b@two.example", "Cia+x@Three.example")):
            session.add(
                OutgoingMail(
                    message_id="<q%d@test>" % n, to_addr=to.lower(), automatic=True, raw=b""
                )
            )
        session.add(OutgoingMail(message_id="<q9@test>", to_addr="d@four.example", raw=b""))
        assert refusal(session, config, "cia@three.example") == "hourly_cap"
        assert refusal(session, replace(config, automatic_hourly_cap=4), "cia@three.example") == (
            "daily_cap"
        )
        assert refusal(session, replace(config, automatic_hourly_cap=4), "d@four.example") == ""


def test_a_full_hour_is_known_in_its_transaction_until_its_oldest_mail_is_an_hour_old(
    any_engine: tuple[Engine, Config],
) -> None:
    """Once the written mail fills the hour, the transaction does not count it again until the
    oldest of it leaves the hour; a different cap, or a savepoint rolled back, counts again."""
    engine, config = any_engine
    migrate(engine)
    config = replace(config, automatic_hourly_cap=2)
    _sent(engine, ("a@one.example", 0.5, True), ("b@two.example", 0.9, True))  # b: 54 min ago
    now = utcnow()
    with session_scope(engine) as session:
        assert refusal(session, config, "c@three.example", now) == "hourly_cap"
        assert refusal(session, config, "c@three.example", now + timedelta(minutes=5)) == (
            "hourly_cap"
        )
        assert refusal(session, config, "c@three.example", now + timedelta(minutes=7)) == ""
        assert refusal(session, replace(config, automatic_hourly_cap=3), "c@three.example") == ""
    with session_scope(engine) as session:
        savepoint = session.begin_nested()
        session.add(OutgoingMail(message_id="<s@test>", to_addr="d@four.example", raw=b""))
        session.add(
            OutgoingMail(message_id="<t@test>", to_addr="e@five.example", automatic=True, raw=b"")
        )
        session.flush()
        three = replace(config, automatic_hourly_cap=3)
        assert refusal(session, three, "c@three.example") == "hourly_cap"
        savepoint.rollback()
        assert refusal(session, three, "c@three.example") == ""
