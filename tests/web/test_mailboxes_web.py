"""Staff limited to one mailbox, through the web app over real HTTP: another mailbox's case
pages, actions, lists, exports, search and API rows are refused or left out."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from privbot.config import Config
from privbot.db import make_engine, session_scope
from privbot.mail.spool import spool
from privbot.models import AuditEvent, Case, utcnow
from privbot.pipeline import Context, run
from privbot.users import add_user, find_user, set_mailboxes
from privbot.web.app import create_app
from privbot.web.pages.figures import compute
from tests.helpers import serving
from tests.test_mailboxes import complaint, load, two_mailboxes
from tests.web.helpers import PASSWORD, csrf_of
from tests.web.test_browser import sign_in


@dataclass
class Site:
    url: str
    config: Config
    engine: Engine
    itteam: str  # the reference of the case in each mailbox
    nordvik: str


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    config = dataclasses.replace(load(tmp_path, two_mailboxes(tmp_path)), web_language="en")
    engine = make_engine(config.database_url)
    with session_scope(engine) as session:
        spool(session, complaint(1, "dataskydd@it-team.se", "anna.ek@example.se"), "file")
        spool(session, complaint(2, "integritet@nordvik.example", "bo.ek@example.se"), "file")
        known = [box.key for box in config.mailboxes]
        for name, role, boxes in (
            ("itstaff", "staff", ["itteam"]),
            ("nvsuper", "supervisor", ["nordvik"]),
            ("groupsuper", "supervisor", []),
        ):
            add_user(session, name, role, PASSWORD)
            set_mailboxes(session, find_user(session, name), boxes, known, actor="test")
    run(engine, Context.load(config))
    with Session(engine) as session:
        refs = {c.mailbox: c.reference for c in session.exec(select(Case)).all()}
    with serving(create_app(config, engine, secret="test-secret-" + "x" * 40)) as url:
        yield Site(url, config, engine, refs["itteam"], refs["nordvik"])
    engine.dispose()


class Staff(httpx.Client):
    csrf = ""


@contextmanager
def signed_in(site: Site, name: str) -> Iterator[Staff]:
    """An HTTP client signed in as `name`, with the CSRF token of its session."""
    with Staff(base_url=site.url, timeout=30) as client:
        csrf = csrf_of(client.get("/login").text)
        answer = client.post("/login", data={"name": name, "password": PASSWORD, "csrf": csrf})
        assert answer.status_code == 303
        client.csrf = csrf_of(client.get("/inbox").text)
        yield client


def test_a_user_of_one_mailbox_is_refused_the_other_mailboxs_case(site: Site) -> None:
    with signed_in(site, "itstaff") as it:
        assert it.get("/cases/%s" % site.itteam).status_code == 200
        refused = it.get("/cases/%s" % site.nordvik)
        assert refused.status_code == 404 and "bo.ek" not in refused.text
        csrf = it.csrf
        note = it.post("/cases/%s/note" % site.nordvik, data={"csrf": csrf, "text": "x"})
        assert note.status_code == 404
        assign = it.post("/cases/%s/assign" % site.nordvik, data={"csrf": csrf, "assignee": ""})
        assert assign.status_code == 404
        # merging into the other mailbox's case is refused as if it did not exist
        merged = it.post(
            "/cases/%s/merge" % site.itteam, data={"csrf": csrf, "target": site.nordvik}
        )
        assert merged.status_code == 303
        assert "no case with that reference" in it.get(merged.headers["location"]).text
    with Session(site.engine) as session:
        cases = {c.reference: c for c in session.exec(select(Case)).all()}
        assert cases[site.itteam].duplicate_of is None
        assert cases[site.itteam].status.value != "closed"


def test_lists_exports_search_and_api_show_only_the_users_mailbox(site: Site) -> None:
    with signed_in(site, "itstaff") as it:
        for path in ("/inbox", "/cases", "/search?q=klagom%C3%A5l"):
            page = it.get(path)
            assert page.status_code == 200
            assert site.itteam in page.text and site.nordvik not in page.text, path
        exported = list(csv.reader(io.StringIO(it.get("/cases/export.csv").text)))
        assert [row[0] for row in exported[1:]] == [site.itteam]
        rows = it.get("/api/cases").json()
        assert [(r["reference"], r["mailbox"]) for r in rows] == [(site.itteam, "itteam")]
        # asking for the other mailbox by name is refused, not answered with its cases
        for path in (
            "/cases?mailbox=nordvik",
            "/api/cases?mailbox=nordvik",
            "/inbox?mailbox=nordvik",
        ):
            assert it.get(path).status_code == 403, path
        assert it.get("/cases?mailbox=nowhere").status_code == 400


def test_a_supervisor_of_one_mailbox_sees_only_its_queues_register_and_audit(site: Site) -> None:
    with signed_in(site, "nvsuper") as nv:
        for path in ("/queues?view=all", "/audit"):
            page = nv.get(path)
            assert page.status_code == 200
            assert site.nordvik in page.text and site.itteam not in page.text, path
        register = list(csv.reader(io.StringIO(nv.get("/export/register.csv").text)))
        assert [row[0] for row in register[1:]] == [site.nordvik]
        audit_rows = list(csv.reader(io.StringIO(nv.get("/export/audit.csv").text)))
        assert {row[4] for row in audit_rows[1:]} == {site.nordvik}
        assert nv.get("/figures").status_code == 200
        assert nv.get("/export/register.csv?mailbox=itteam").status_code == 403


def test_a_user_of_every_mailbox_sees_both_and_can_narrow_to_one(site: Site) -> None:
    with signed_in(site, "groupsuper") as group:
        both = group.get("/cases").text
        assert site.itteam in both and site.nordvik in both
        for path in (
            "/cases?mailbox=nordvik",
            "/inbox?mailbox=nordvik",
            "/queues?view=all&mailbox=nordvik",
            "/audit?mailbox=nordvik",
            "/search?q=klagom%C3%A5l&mailbox=nordvik",
        ):
            one = group.get(path)
            assert one.status_code == 200
            assert site.nordvik in one.text and site.itteam not in one.text, path
        assert group.get("/figures?mailbox=itteam").status_code == 200
        assert [r["reference"] for r in group.get("/api/cases?mailbox=itteam").json()] == [
            site.itteam
        ]
        register = list(csv.reader(io.StringIO(group.get("/export/register.csv").text)))
        assert sorted(row[0] for row in register[1:]) == sorted([site.itteam, site.nordvik])
        assert group.get("/cases/%s" % site.nordvik).status_code == 200


def test_in_the_browser_a_group_supervisor_narrows_cases_to_one_mailbox(
    site: Site, browser_page: Any
) -> None:
    page = browser_page
    sign_in(page, site.url, "groupsuper")
    page.goto(site.url + "/cases")
    rows = page.locator("table.cases tbody tr")
    assert rows.count() == 2
    assert page.locator("span.tag.mailbox").all_inner_texts() == [
        "Nordvik Konsult AB",
        "IT-team Stockholm AB",
    ]
    page.select_option("select[name=mailbox]", label="Nordvik Konsult AB")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**mailbox=nordvik**")
    assert rows.count() == 1 and site.nordvik in rows.first.inner_text()
    rows.first.locator("a").first.click()
    page.wait_for_url("**/cases/%s" % site.nordvik)
    assert page.locator("dd.mailbox").inner_text() == "Nordvik Konsult AB"


def test_in_the_browser_a_user_of_one_mailbox_has_no_mailbox_chooser(
    site: Site, browser_page: Any
) -> None:
    page = browser_page
    sign_in(page, site.url, "itstaff")
    page.goto(site.url + "/cases")
    assert page.locator("select[name=mailbox]").count() == 0
    assert page.locator("table.cases tbody tr").count() == 1
    page.goto(site.url + "/cases/" + site.nordvik)
    assert "bo.ek" not in page.content() and page.locator("dd.mailbox").count() == 0


def test_figures_count_only_the_chosen_mailboxes(site: Site) -> None:
    today = utcnow().date()
    with Session(site.engine) as session:
        counted = {
            scope: sum(sum(c.values()) for c in compute(session, today, scope).per_month.values())
            for scope in (None, ("nordvik",), ("itteam",), ())
        }
    assert counted == {None: 2, ("nordvik",): 1, ("itteam",): 1, (): 0}


def test_a_supervisor_of_one_mailbox_manages_only_that_mailboxs_users(site: Site) -> None:
    """A new password for another mailbox's user would open that mailbox: refused; and a user
    such a supervisor adds is limited to the same mailbox."""
    with signed_in(site, "nvsuper") as nv:
        listed = nv.get("/users").text
        assert "itstaff" not in listed and "groupsuper" not in listed
        for name in ("itstaff", "groupsuper"):
            for change in ("password", "disable"):
                answer = nv.post("/users/%s/%s" % (name, change), data={"csrf": nv.csrf})
                assert answer.status_code == 403, (name, change)
        added = nv.post("/users", data={"csrf": nv.csrf, "name": "nvnew", "role": "staff"})
        assert added.status_code == 200 and "nvnew" in added.text
    with Session(site.engine) as session:
        assert find_user(session, "nvnew").mailboxes == ["nordvik"]
        assert find_user(session, "itstaff").active
    with signed_in(site, "groupsuper") as group:
        listed = group.get("/users").text
        assert "itstaff" in listed and "nvnew" in listed


def test_a_supervisor_sets_a_users_mailboxes_on_the_users_page(site: Site) -> None:
    with signed_in(site, "groupsuper") as group:
        page = group.get("/users").text
        assert 'action="/users/itstaff/mailboxes"' in page
        answer = group.post(
            "/users/itstaff/mailboxes",
            data={"csrf": group.csrf, "mailbox": ["itteam", "nordvik"]},
        )
        assert answer.status_code == 303
    with Session(site.engine) as session:
        assert sorted(find_user(session, "itstaff").mailboxes) == ["itteam", "nordvik"]
        changes = session.exec(
            select(AuditEvent).where(AuditEvent.action == "mailboxes_changed")
        ).all()
        assert any(e.actor == "groupsuper" for e in changes)
    with signed_in(site, "itstaff") as staff:  # from the next request on
        assert staff.get("/cases/%s" % site.nordvik).status_code == 200
    with session_scope(site.engine) as session:
        add_user(session, "nvstaff", "staff", PASSWORD)
        set_mailboxes(
            session, find_user(session, "nvstaff"), ["nordvik"], ["itteam", "nordvik"], "test"
        )
    with signed_in(site, "nvsuper") as limited:
        # a supervisor of one mailbox grants only that one, and never every mailbox
        for boxes in (["itteam", "nordvik"], []):
            answer = limited.post(
                "/users/nvstaff/mailboxes", data={"csrf": limited.csrf, "mailbox": boxes}
            )
            assert answer.status_code == 403, boxes
        assert (
            limited.post(  # nor touches a user of another mailbox
                "/users/itstaff/mailboxes", data={"csrf": limited.csrf, "mailbox": ["nordvik"]}
            ).status_code
            == 403
        )
        assert 'value="itteam"' not in limited.get("/users").text
    with Session(site.engine) as session:
        assert find_user(session, "nvstaff").mailboxes == ["nordvik"]
