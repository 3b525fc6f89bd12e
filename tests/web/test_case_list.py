"""`/cases`: every case, open and closed, filtered, sorted and paged from the query string, and
the CSV of exactly those rows (formula cells defused, personnummer masked)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from privbot.models import AuditEvent, Outcome, Status
from privbot.web import listing
from tests.web.cases_data import make_case
from tests.web.helpers import Browser

Client = Callable[..., Browser]


def refs(html: str) -> list[str]:
    return re.findall(r'<td><a href="/cases/(DS-2026-\d+)">', html)


def test_all_cases_lists_closed_ones_and_filters_by_everything(
    client: Client, engine: Engine
) -> None:
    today = date.today()
    make_case(engine, 1, status=Status.closed, intents=["erasure"])
    make_case(engine, 2, intents=["marketing_optout"], channel="chat", language="en")
    make_case(engine, 3, assignee="bo", needs_review=True)
    make_case(engine, 4, third_party=True, due=today - timedelta(days=2))
    make_case(
        engine,
        5,
        status=Status.closed,
        due=today - timedelta(days=9),
        received_at=datetime(2025, 3, 4, 10, tzinfo=UTC),
    )
    anna = client("anna")
    assert "DS-2026-0001" not in anna.get("/inbox").text  # the inbox has open cases only
    every = anna.get("/cases").text
    assert sorted(refs(every)) == ["DS-2026-%04d" % n for n in range(1, 6)]
    assert "Closed · Fulfilled" in every
    cases = {
        "status=closed": ["DS-2026-0001", "DS-2026-0005"],
        "intent=erasure": ["DS-2026-0001"],
        "channel=chat": ["DS-2026-0002"],
        "language=en": ["DS-2026-0002"],
        "assignee=bo": ["DS-2026-0003"],
        "assignee=-&status=in_progress": ["DS-2026-0002", "DS-2026-0004"],
        "needs_review=1": ["DS-2026-0003"],
        "third_party=1": ["DS-2026-0004"],
        "overdue=1": ["DS-2026-0004"],  # the closed case past its date is not overdue
        "received_to=2025-12-31": ["DS-2026-0005"],
        "received_from=2026-01-01&received_to=2026-10-03": ["DS-2026-0001", "DS-2026-0002"],
        "due_to=%s" % (today - timedelta(days=1)).isoformat(): ["DS-2026-0004", "DS-2026-0005"],
        "due_from=%s&status=closed" % today.isoformat(): ["DS-2026-0001"],
    }
    for query, expected in cases.items():
        assert sorted(refs(anna.get("/cases?" + query).text)) == expected, query


def test_all_cases_sort_and_page_keep_the_filters_in_links(client: Client, engine: Engine) -> None:
    for n in range(1, 56):
        make_case(engine, n, intents=["erasure"] if n % 2 else ["access"])
    anna = client("anna")
    first = anna.get("/cases?intent=erasure&sort=received&order=asc").text
    shown = refs(first)
    assert len(shown) == 28 and shown[0] == "DS-2026-0001" and shown[-1] == "DS-2026-0055"
    newest = refs(anna.get("/cases?intent=access").text)  # newest received first by default
    assert newest[0] == "DS-2026-0054"
    page1 = refs(anna.get("/cases").text)
    assert len(page1) == 50 and page1[0] == "DS-2026-0055"
    html = anna.get("/cases?sort=reference&order=asc").text
    assert 'href="?sort=reference&amp;order=asc&amp;page=2"' in html
    page2 = refs(anna.get("/cases?sort=reference&order=asc&page=2").text)
    assert page2 == ["DS-2026-%04d" % n for n in range(51, 56)]
    # a column heading sorts by that column and keeps the filters
    filtered = anna.get("/cases?intent=erasure").text
    assert 'href="?intent=erasure&amp;sort=due&amp;order=asc"' in filtered


def test_a_long_list_says_more_than_what_it_counted(
    client: Client, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(1, 56):
        make_case(engine, n)
    monkeypatch.setattr(listing, "COUNT_AHEAD", 50)  # counts 50 beyond a page's start
    anna = client("anna")
    first = anna.get("/cases?sort=reference&order=asc").text
    assert "more than 50 cases · page 1<" in first and "page 1 of" not in first
    assert 'href="?sort=reference&amp;order=asc&amp;page=2"' in first
    second = anna.get("/cases?sort=reference&order=asc&page=2").text
    assert "55 cases · page 2 of 2<" in second and "page=3" not in second
    assert refs(second) == ["DS-2026-%04d" % n for n in range(51, 56)]


def test_unknown_filters_are_a_clear_error(client: Client) -> None:
    anna = client("anna")
    for query, reason in (
        ("status=lost", "unknown status"),
        ("received_from=yesterday", "not a date"),
        ("sort=password", "unknown sort"),
        ("page=0", "page is a number"),
        ("status=new&status=sent", "give status once"),
    ):
        response = anna.get("/cases?" + query)
        assert response.status_code == 400 and reason in response.text, query


def test_csv_is_what_the_list_shows_with_formulas_defused(client: Client, engine: Engine) -> None:
    make_case(engine, 1, requester_name='=HYPERLINK("http://evil")', status=Status.closed)
    make_case(engine, 2, requester_name="Greta 811218-9876 Holm", intents=["erasure", "access"])
    make_case(engine, 3, requester_name="+46 Bo", assignee="bo", outcome=Outcome.denied)
    anna = client("anna")
    query = "sort=reference&order=asc&assignee=-"
    shown = refs(anna.get("/cases?" + query).text)
    response = anna.get("/cases/export.csv?" + query)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:3] == ["Reference", "Requester", "Intents"]
    assert [r[0] for r in rows[1:]] == shown == ["DS-2026-0001", "DS-2026-0002"]
    assert rows[1][1].startswith("'=HYPERLINK")
    assert "9876" not in response.text and "******-****" in rows[2][1]
    assert rows[2][2] == "Erasure, Access to personal data" and rows[1][5] == "Closed"
    with Session(engine) as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "cases_exported")).one()
    assert event.actor == "anna" and event.detail["filters"] == query.replace(
        "sort=reference&order=asc&assignee=-", "assignee=-&sort=reference&order=asc"
    )


def test_case_page_lists_the_requesters_other_cases_by_address_only(
    client: Client, engine: Engine
) -> None:
    pnr_text = "Mitt personnummer är 19811218-9876."
    make_case(engine, 1, pnr_text, requester_email="greta@example.se", status=Status.closed)
    make_case(engine, 2, "Hej igen", requester_email="greta@example.se", identity_verified=True)
    make_case(engine, 3, pnr_text, requester_email="someone.else@example.se")
    make_case(engine, 4, pnr_text, requester_email="greta@example.se")
    anna = client("anna")
    page = anna.get("/cases/DS-2026-0004").text
    section = page[page.index('class="requester-history"') : page.index('class="thread"')]
    assert re.findall(r'href="/cases/(DS-2026-\d+)"', section) == ["DS-2026-0002", "DS-2026-0001"]
    assert "Closed" in section and "Fulfilled" in section and "verified" in section
    # the same personnummer typed in another address's mail is not the same requester
    assert "DS-2026-0003" not in section
    alone = anna.get("/cases/DS-2026-0003").text
    assert "No other cases from this address." in alone
