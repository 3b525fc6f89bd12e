"""The staff app in Swedish and English: Babel catalogs, labels for every code, locale dates."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from fastapi import FastAPI

from privbot.classify.result import Intent
from privbot.models import Case, Channel, Outcome, Role, Status
from privbot.web import i18n, labels
from tests.web.helpers import Browser, erasure_mail

WEB = Path(i18n.__file__).parent


def extracted() -> set[str | tuple[str, str]]:
    """Every message id in the web app's templates and code, as pybabel extracts them."""
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "translate": (2,)}
    found: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(WEB), method_map, options, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


def test_every_message_has_a_swedish_translation() -> None:
    with i18n.catalog_path("sv").open("rb") as fh:
        catalog = read_po(fh, locale="sv")
    translated = {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.string}
    untranslated = {
        m.id if isinstance(m.id, str) else tuple(m.id)
        for m in catalog
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    }
    missing = extracted() - translated
    assert not missing, "run the pybabel commands in web/i18n.py and translate: %s" % missing
    assert not untranslated
    assert i18n.catalog_path("en").exists()


def test_every_status_intent_outcome_and_role_has_a_label_in_both_languages() -> None:
    sv = i18n.translations("sv")
    for kind, codes in (
        ("status", list(Status)),
        ("intent", list(Intent)),
        ("outcome", list(Outcome)),
        ("role", list(Role)),
        ("channel", list(Channel)),
    ):
        for code in codes:
            english = labels.KINDS[kind].get(code.value if hasattr(code, "value") else code)
            assert english, "%s %s has no label" % (kind, code)
            assert "_" not in english
            assert sv.gettext(english) != english or english in ("Status", "Chat")
    assert sv.gettext(labels.STATUS[Status.awaiting_identity]) == "Väntar på identitet"
    assert sv.gettext(labels.STATUS[Status.draft_ready]) == "Utkast klart"
    assert (
        sv.gettext(labels.INTENT[Intent.marketing_optout]) == "Avregistrering från marknadsföring"
    )
    assert labels.message_id("action", "some_new_action") == "some new action"


def test_working_days_left_skip_weekends_and_holidays() -> None:
    friday = date(2026, 12, 18)
    assert i18n.working_days_left(date(2026, 12, 21), friday) == 1  # Monday
    # julafton, juldagen, annandag jul are not working days; the 28th is the next one
    assert i18n.working_days_left(date(2026, 12, 28), date(2026, 12, 23)) == 1
    assert i18n.working_days_left(friday, date(2026, 12, 21)) == -1


@pytest.fixture
def sv_client(sv_app: FastAPI, users: dict[str, str]) -> Iterator[Callable[[str], Browser]]:
    made: list[Browser] = []

    def make(name: str) -> Browser:
        browser = Browser(sv_app)
        made.append(browser)
        assert browser.sign_in(name).status_code == 303
        return browser

    yield make
    for browser in made:
        browser.close()


def test_swedish_by_default_and_each_user_may_choose_english(
    sv_client: Callable[[str], Browser], ingest: Callable[[bytes], Case]
) -> None:
    case = ingest(erasure_mail())
    anna = sv_client("anna")
    inbox = anna.get("/inbox").text
    assert '<html lang="sv">' in inbox and "Inkorg" in inbox and "Logga ut" in inbox
    assert "Väntar på identitet" in inbox and "awaiting_identity" not in inbox
    assert "Radering" in inbox
    page = anna.get("/cases/" + case.reference).text
    received = case.received_at.astimezone(i18n.TIME_ZONE)
    assert received.strftime("%Y-%m-%d %H:%M") in page  # Swedish short date and time
    assert "arbetsdagar" in page and "dagar kvar" in page

    response = anna.submit("/me/language", language="en", next="/inbox")
    assert response.status_code == 303 and response.headers["location"] == "/inbox"
    english = anna.get("/inbox").text
    assert '<html lang="en">' in english and "Awaiting identity" in english
    bo = sv_client("bo")  # another user still gets the company's default
    assert "Inkorg" in bo.get("/inbox").text
    assert anna.submit("/me/language", language="de").status_code == 303
    assert "Awaiting identity" in anna.get("/inbox").text  # an unknown language changes nothing
