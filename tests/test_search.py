"""Full-text search on SQLite (FTS5) and PostgreSQL (tsvector, swedish and english): closed
cases, addresses, inflected Swedish, personnummer in any form (shown masked), ranking."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from privbot import search
from privbot.config import Config
from privbot.db import session_scope
from privbot.models import Case, Message, Status, utcnow
from tests.web.cases_data import make_case

ERASURE = "Hej! Jag vill att ni raderar mina uppgifter, radera allt om mig. Mitt personnummer är 19811218-9876."
ACCESS = "Hello, please send me a copy of the personal data you process about me."


def found(engine: Engine, q: str) -> list[str]:
    with Session(engine) as session:
        return [h.reference for h in search.search(session, q).hits]


def test_search_finds_cases_by_every_field_on_both_databases(
    any_engine: tuple[Engine, Config],
) -> None:
    engine, _ = any_engine
    make_case(
        engine,
        1,
        ERASURE,
        "Radera mig",
        status=Status.closed,
        requester_email="greta.holm@example.se",
        requester_name="Greta Holm",
    )
    make_case(engine, 2, ACCESS, "Copy of my data", language="en", requester_name="John Smith")
    make_case(engine, 3, "Jag undrar hur ni behandlar uppgifter om kunder.", "Fråga")

    assert found(engine, "greta.holm@example.se") == ["DS-2026-0001"]  # closed, by address
    assert found(engine, "Holm") == ["DS-2026-0001"]
    assert found(engine, "raderingen") == ["DS-2026-0001"]  # inflected Swedish
    assert found(engine, "DS-2026-0002") == ["DS-2026-0002"]
    assert found(engine, "processing") == ["DS-2026-0002"]  # English stems
    assert found(engine, "behandlingen") == ["DS-2026-0003"]
    assert found(engine, "811218-9876") == ["DS-2026-0001"]  # another written form
    assert found(engine, "198112189876") == ["DS-2026-0001"]
    assert found(engine, "811218-9875") == []
    assert sorted(found(engine, "uppgifterna")) == ["DS-2026-0001", "DS-2026-0003"]
    assert found(engine, "uppgifter smith") == []  # every word must match
    assert found(engine, "   ") == [] and found(engine, "\"'*") == []


def test_results_are_masked_marked_and_ranked(any_engine: tuple[Engine, Config]) -> None:
    engine, _ = any_engine
    make_case(engine, 1, ERASURE, "Radera mig", requester_name="Greta Holm")
    make_case(engine, 2, "Greta på kontoret sa att jag skulle skriva hit.", "Fråga")
    with Session(engine) as session:
        results = search.search(session, "19811218-9876")
        (hit,) = results.hits
        assert "9876" not in hit.snippet and "\x01******-****\x02" in hit.snippet
        radera = search.search(session, "radera").hits[0]
        assert "\x01raderar\x02" in radera.snippet and "\x01radera\x02" in radera.snippet
        # the name in the requester field outranks the same word in a message
        greta = search.search(session, "greta")
        assert [h.reference for h in greta.hits] == ["DS-2026-0001", "DS-2026-0002"]
        assert greta.total == 2 and greta.hits[0].requester.startswith("\x01Greta\x02 Holm")


def test_the_index_follows_changes_and_can_be_rebuilt(any_engine: tuple[Engine, Config]) -> None:
    engine, _ = any_engine
    case = make_case(engine, 1, ERASURE, "Radera mig", requester_name="Greta Holm")
    assert found(engine, "personnummer") == ["DS-2026-0001"]
    with session_scope(engine) as session:  # as retention purges: the text goes, purged_at set
        message = session.exec(select(Message).where(Message.case_id == case.id)).one()
        message.text = "[removed by retention]"
        session.add(message)
        row = session.get(Case, case.id)
        assert row is not None
        row.purged_at = utcnow()
        session.add(row)
    assert found(engine, "radera") == ["DS-2026-0001"]  # still in the subject
    assert found(engine, "personnummer") == []
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM %s" % search.TABLE))
    with engine.begin() as conn:
        assert search.rebuild(conn) == 1
    assert found(engine, "greta") == ["DS-2026-0001"]


def test_forms_join_swedish_inflections() -> None:
    assert search.forms("raderingen") & search.forms("radera")
    assert search.forms("avregistreringen") & search.forms("avregistrera")
    assert search.forms("Uppgifterna") & search.forms("uppgift")
    assert not search.forms("radio") & search.forms("radera")


def test_a_long_query_is_cut_to_its_first_terms() -> None:
    query = search.parse("a@example.se " + " ".join("ord%d" % n for n in range(30)))
    assert len(query.terms) == search.MAX_TERMS
    assert len(query.words) == search.MAX_TERMS - 1  # the address is the first term


def test_search_keeps_to_the_mailboxes_asked_on_both_databases(
    any_engine: tuple[Engine, Config],
) -> None:
    engine, _ = any_engine
    make_case(engine, 1, ERASURE, "Radera mig", mailbox="default")
    make_case(engine, 2, ERASURE, "Radera mig", mailbox="nordvik")
    make_case(engine, 3, ERASURE, "Radera mig", mailbox="third")

    def within(keys: tuple[str, ...] | None) -> tuple[list[str], int]:
        with Session(engine) as session:
            results = search.search(session, "radera", mailboxes=keys)
        return sorted(h.reference for h in results.hits), results.total

    assert within(None) == (["DS-2026-0001", "DS-2026-0002", "DS-2026-0003"], 3)
    assert within(("nordvik",)) == (["DS-2026-0002"], 1)
    assert within(("default", "third")) == (["DS-2026-0001", "DS-2026-0003"], 2)
    assert within(()) == ([], 0)
