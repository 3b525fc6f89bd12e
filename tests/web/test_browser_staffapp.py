"""The staff app's daily tools in headless Chromium (Debian's /usr/bin/chromium) against uvicorn
on loopback, in Swedish as the company runs it: search, every page free of raw codes, and a
user disabled by a supervisor being refused on their next request."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine

from privbot.cases import actions
from privbot.classify.result import Intent
from privbot.db import session_scope
from privbot.models import Case, Channel, Outcome, Role, Status
from tests.web.helpers import PASSWORD, erasure_mail

Ingest = Callable[[bytes], Case]
RAW = sorted({e.value for enum in (Status, Intent, Outcome, Channel, Role) for e in enum}, key=len)
RAW_WORD = re.compile(r"(?<![\w.@/-])(%s)(?![\w.@/-])" % "|".join(map(re.escape, RAW)))


def sign_in(page: Any, base: str, name: str) -> None:
    page.goto(base + "/inbox")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url(base + "/inbox")


def visible_codes(page: Any) -> list[str]:
    """Raw status, intent, outcome, channel or role codes in what the page shows (the mail
    itself, as the requester wrote it, is left out)."""
    shown = page.evaluate(
        """() => {
            const copy = document.body.cloneNode(true);
            copy.querySelectorAll('pre.text, textarea, iframe').forEach(e => e.remove());
            document.body.appendChild(copy); copy.style.display = 'block';
            const text = copy.innerText; copy.remove(); return text;
        }"""
    )
    return sorted(set(RAW_WORD.findall(shown)))


def close(engine: Engine, case: Case) -> None:
    with session_scope(engine) as session:
        row = session.get(Case, case.id)
        assert row is not None
        actions.close(session, row, "sara", Outcome.fulfilled)


def test_search_finds_a_closed_case_by_address_and_by_an_inflected_word(
    sv_live_server: str, browser_page: Any, users: dict[str, str], ingest: Ingest, engine: Engine
) -> None:
    case = ingest(erasure_mail())  # "Radera mina uppgifter", from greta.holm@example.se
    other = ingest(
        erasure_mail("<web-other-1@example.se>")
        .replace(b"greta.holm@example.se", b"olle.berg@example.se")
        .replace(b"Radera mina uppgifter", b"Fraga om cookies")
        .replace(b"raderar alla", b"visar alla")
    )
    close(engine, case)
    page = browser_page
    sign_in(page, sv_live_server, "anna")
    page.fill("header form.search input[name=q]", "greta.holm@example.se")
    page.press("header form.search input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    results = page.locator("ol.results li.result")
    assert results.count() == 1
    first = results.first
    assert case.reference in first.inner_text() and "Stängt" in first.inner_text()
    assert first.locator("mark").first.inner_text() == "greta.holm@example.se"

    page.fill("form.search-page input[name=q]", "raderingen")
    page.click("form.search-page button")
    assert page.locator("ol.results li.result").count() == 1
    hit = page.locator("ol.results li.result").first
    assert other.reference not in hit.inner_text()
    marked = [m.lower() for m in hit.locator(".snippet mark").all_inner_texts()]
    assert "radera" in marked and "raderar" in marked
    assert "9876" not in hit.inner_text()  # the personnummer in the mail stays masked
    hit.locator("a", has_text=case.reference).click()
    page.wait_for_url(sv_live_server + "/cases/" + case.reference)


def test_swedish_pages_show_no_raw_codes(
    sv_live_server: str, browser_page: Any, users: dict[str, str], ingest: Ingest, engine: Engine
) -> None:
    case = ingest(erasure_mail())
    closed = ingest(
        erasure_mail("<web-sv-2@example.se>").replace(b"Radera mina uppgifter", b"Avregistrera mig")
    )
    close(engine, closed)
    page = browser_page
    sign_in(page, sv_live_server, "sara")
    for path in (
        "/inbox",
        "/cases/" + case.reference,
        "/cases/" + closed.reference,
        "/queues",
        "/queues?view=all",
        "/figures",
        "/cases",
        "/search?q=radera",
        "/users",
    ):  # (the audit log shows each event's detail as recorded, codes and all)
        page.goto(sv_live_server + path)
        assert page.locator("html").get_attribute("lang") == "sv"
        assert visible_codes(page) == [], path
    page.goto(sv_live_server + "/cases/" + case.reference)
    assert "Väntar på identitet" in page.locator("h1 .status").inner_text()
    page.goto(sv_live_server + "/cases")
    assert "Stängt · Genomfört" in page.locator("table.cases").inner_text()


def test_a_user_disabled_by_a_supervisor_is_refused_on_the_next_request(
    sv_live_server: str, chromium: Any, users: dict[str, str], ingest: Ingest
) -> None:
    case = ingest(erasure_mail())
    anna_context = chromium.new_context()
    sara_context = chromium.new_context()
    try:
        anna, sara = anna_context.new_page(), sara_context.new_page()
        sign_in(anna, sv_live_server, "anna")
        anna.goto(sv_live_server + "/cases/" + case.reference)
        sign_in(sara, sv_live_server, "sara")
        sara.click("header nav a:has-text('Användare')")
        row = sara.locator("table.users tr[data-user=anna]")
        row.locator("button[value=disable]").click()
        assert "anna är avstängd" in sara.locator("p.flash.ok").inner_text()
        assert "avstängd" in sara.locator("table.users tr[data-user=anna]").inner_text()

        anna.reload()
        assert "/login" in anna.url  # refused: back to the sign-in page
        anna.fill("input[name=name]", "anna")
        anna.fill("input[name=password]", PASSWORD)
        anna.click("form.login button[type=submit]")
        assert "/login" in anna.url or anna.locator("p.flash.error").count() == 1

        sara.locator("table.users tr[data-user=anna] button[value=enable]").click()
        sign_in(anna, sv_live_server, "anna")
    finally:
        anna_context.close()
        sara_context.close()
