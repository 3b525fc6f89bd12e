"""Route tests over the real app and a real SQLite database: sign-in, roles, CSRF, masking,
and every case action through its form."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from privbot.config import Config
from privbot.db import session_scope
from privbot.mail.send import outbox_files
from privbot.models import AuditEvent, Case, Draft, DraftStatus, Outcome, Status, User
from privbot.pnr import mask
from privbot.web.app import create_app
from privbot.web.deps import CSRF
from tests.helpers import DATA
from tests.web.helpers import PASSWORD, Browser, erasure_mail

Client = Callable[..., Browser]
Ingest = Callable[[bytes], Case]
FULL_PNR = "19811218-9876"
MASKED = mask("811218-9876")  # as lists show it


def test_pages_need_sign_in(client: Client) -> None:
    anonymous = client()
    for path in (
        "/inbox",
        "/queues",
        "/cases/DS-2026-0001",
        "/figures",
        "/audit",
        "/export/register.csv",
    ):
        response = anonymous.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith(
            "/login?next="
        )
    assert anonymous.get("/api/cases").status_code == 401


def test_session_cookie_is_httponly_and_samesite(client: Client) -> None:
    browser = client()
    browser.csrf = re.search(r'name="csrf" value="([^"]+)"', browser.get("/login").text).group(1)  # type: ignore[union-attr]
    response = browser.post(
        "/login",
        data={"name": "anna", "password": PASSWORD, "csrf": browser.csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    page = browser.get("/inbox")
    assert (
        "default-src 'self'" in page.headers["content-security-policy"]
        and page.headers["cache-control"] == "no-store"
    )


def test_wrong_password_then_throttled(client: Client, engine: Engine) -> None:
    browser = client()
    for _ in range(5):
        assert browser.sign_in("anna", "wrong password!").status_code == 401
    # Even the right password is refused while throttled.
    assert browser.sign_in("anna").status_code == 429
    with Session(engine) as session:
        failures = session.exec(select(AuditEvent).where(AuditEvent.action == "login_failed")).all()
        assert len(failures) == 5


def test_post_without_or_with_wrong_csrf_is_refused(
    client: Client, ingest: Ingest, engine: Engine
) -> None:
    case = ingest(erasure_mail())
    browser = client("anna")
    path = "/cases/%s/note" % case.reference
    assert browser.post(path, data={"text": "no token"}).status_code == 403
    assert browser.post(path, data={"text": "bad token", "csrf": "x" * 43}).status_code == 403
    cross = browser.post(
        path,
        data={"text": "cross", "csrf": browser.csrf},
        headers={"Origin": "https://evil.example"},
    )
    assert cross.status_code == 403
    assert browser.submit(path, text="a real note").status_code == 303
    with Session(engine) as session:
        notes = session.exec(select(AuditEvent).where(AuditEvent.action == "note")).all()
        assert [n.detail["text"] for n in notes] == ["a real note"]


def api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    """Every APIRoute, also inside included routers (newer FastAPI keeps them nested)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif getattr(route, "original_router", None) is not None:
            yield from api_routes(route.original_router.routes)


def test_every_post_route_checks_csrf_and_no_route_changes_state_on_get(app: FastAPI) -> None:
    routes = list(api_routes(app.routes))
    # The data subjects' chat (/chat, /api/chat) is public JSON with its own session token and no
    # sign-in cookie to ride on; every staff route is a form guarded by the CSRF token.
    # The identity link (/verify/{token}) is the same: the unguessable token is the credential.
    posts = [
        r
        for r in routes
        if "POST" in r.methods and not r.path.startswith(("/chat", "/api/chat", "/verify/"))
    ]
    assert len(posts) >= 12
    for route in posts:
        assert any(d.dependency is CSRF.dependency for d in route.dependencies), route.path
    assert not [r.path for r in routes if r.methods & {"PUT", "PATCH", "DELETE"}]


def test_inbox_masks_personnummer_and_case_page_shows_it_with_audit(
    client: Client, ingest: Ingest, engine: Engine
) -> None:
    case = ingest(erasure_mail(pnr_in_name=True))
    browser = client("anna")
    inbox = browser.get("/inbox").text
    assert case.reference in inbox
    assert MASKED in inbox and "9876" not in inbox
    page = browser.get("/cases/%s" % case.reference).text
    assert FULL_PNR in page  # the full text is on the case page only
    with Session(engine) as session:
        viewed = session.exec(
            select(AuditEvent).where(
                AuditEvent.case_id == case.id, AuditEvent.action == "case_viewed"
            )
        ).all()
        assert [v.actor for v in viewed] == ["anna"]
    # No personal data in any link.
    for href in re.findall(r'(?:href|action)="([^"]*)"', inbox + page):
        assert "@" not in href and "9876" not in href and "greta" not in href.lower(), href


def test_staff_cannot_open_supervisor_pages(client: Client) -> None:
    staff, boss = client("anna"), client("sara")
    for path in ("/queues", "/figures", "/audit", "/export/register.csv", "/export/audit.csv"):
        assert staff.get(path).status_code == 403, path
        assert boss.get(path).status_code == 200, path


def test_approve_puts_the_edited_reply_in_the_outbox(
    client: Client, ingest: Ingest, engine: Engine, config: Config
) -> None:
    case = ingest(erasure_mail())
    browser = client("anna")
    # An erasure needs a verified requester before the reply may go out.
    assert browser.submit("/cases/%s/approve" % case.reference).status_code == 303
    assert "identity is not verified" in browser.get("/cases/%s" % case.reference).text
    browser.submit("/cases/%s/verify" % case.reference, how="reply from the address of record")
    with Session(engine) as session:
        draft = session.exec(
            select(Draft).where(Draft.case_id == case.id, Draft.status == DraftStatus.pending)
        ).one()
    edited = draft.body + "\nMed vänlig hälsning, Anna på dataskyddet\n"
    response = browser.submit(
        "/cases/%s/approve" % case.reference, subject=draft.subject, body=edited
    )
    assert response.status_code == 303
    files = [f.read_text(encoding="utf-8", errors="replace") for f in outbox_files(config)]
    assert any("Anna p=C3=A5 dataskyddet" in f or "Anna på dataskyddet" in f for f in files)
    with Session(engine) as session:
        assert session.get(Case, case.id).status == Status.sent  # type: ignore[union-attr]
        actions = [
            e.action
            for e in session.exec(select(AuditEvent).where(AuditEvent.case_id == case.id)).all()
        ]
        assert {"draft_edited", "draft_approved", "reply_sent"} <= set(actions)


def test_four_eyes_rule(
    config: Config, engine: Engine, users: dict[str, str], ingest: Ingest
) -> None:
    app = create_app(replace(config, four_eyes=True), engine, secret="s" * 48)
    case = ingest(erasure_mail())
    anna, bo = Browser(app), Browser(app)
    anna.sign_in("anna")
    bo.sign_in("bo")
    anna.submit(
        "/cases/%s/verify" % case.reference,
        how="identity document",
        detail="passport seen at the desk",
    )
    with Session(engine) as session:
        draft = session.exec(
            select(Draft).where(Draft.case_id == case.id, Draft.status == DraftStatus.pending)
        ).one()
    assert (
        anna.submit(
            "/cases/%s/draft" % case.reference, subject=draft.subject, body=draft.body + "\nP.S.\n"
        ).status_code
        == 303
    )
    anna.submit(
        "/cases/%s/approve" % case.reference, subject=draft.subject, body=draft.body + "\nP.S.\n"
    )
    assert "four-eyes" in anna.get("/cases/%s" % case.reference).text
    with Session(engine) as session:
        assert session.get(Case, case.id).status == Status.draft_ready  # type: ignore[union-attr]
    bo.submit(
        "/cases/%s/approve" % case.reference, subject=draft.subject, body=draft.body + "\nP.S.\n"
    )
    with Session(engine) as session:
        assert session.get(Case, case.id).status == Status.sent  # type: ignore[union-attr]
    anna.close()
    bo.close()


def test_case_actions_through_forms(client: Client, ingest: Ingest, engine: Engine) -> None:
    case = ingest(erasure_mail())
    other = ingest(
        erasure_mail("<web-erasure-2@example.se>").replace(
            b"Radera mina uppgifter", b"Radera mig igen"
        )
    )
    browser = client("anna")
    ref = case.reference
    assert browser.submit("/cases/%s/reject" % ref, reason="wrong tone").status_code == 303
    assert (
        browser.submit("/cases/%s/reclassify" % ref, intents=["erasure", "access"]).status_code
        == 303
    )
    browser.submit("/cases/%s/verify" % ref, how="reply from the address of record")
    browser.submit("/cases/%s/clarify" % ref, question="Vilket kundnummer hade du?")
    browser.submit("/cases/%s/extend" % ref, months="2", reason="Många system att gå igenom.")
    browser.submit("/cases/%s/assign" % ref, assignee="bo")
    browser.submit("/cases/%s/note" % ref, text="Ringde kunden.")
    # A denial without a reason is refused with a message, not an error page.
    browser.submit("/cases/%s/close" % ref, outcome="denied")
    assert "a denial needs one of" in browser.get("/cases/%s" % ref).text
    browser.submit("/cases/%s/merge" % other.reference, target=ref)
    with Session(engine) as session:
        fresh = session.get(Case, case.id)
        assert fresh is not None
        assert (
            fresh.intents == ["erasure", "access"]
            and fresh.identity_verified
            and fresh.assignee == "bo"
        )
        assert (
            fresh.extended_due is not None
            and fresh.extended_due > fresh.due
            and fresh.status != Status.closed
        )
        merged = session.get(Case, other.id)
        assert (
            merged is not None
            and merged.outcome == Outcome.duplicate
            and merged.duplicate_of == case.id
        )
        actions = [
            e.action
            for e in session.exec(
                select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(col(AuditEvent.id))
            ).all()
        ]
        for expected in (
            "draft_rejected",
            "intents_corrected",
            "identity_verified",
            "clarification_drafted",
            "deadline_extended",
            "assigned",
            "note",
            "case_merged",
        ):
            assert expected in actions, expected
        draft = session.exec(
            select(Draft).where(Draft.case_id == case.id, Draft.status == DraftStatus.pending)
        ).one()
        assert draft.template == "extension_notice"
    # A second extension is refused.
    browser.submit("/cases/%s/extend" % ref, months="1", reason="igen")
    assert "already extended" in browser.get("/cases/%s" % ref).text
    browser.submit("/cases/%s/close" % ref, outcome="denied", reason="no_match")
    with Session(engine) as session:
        closed = session.get(Case, case.id)
        assert (
            closed is not None
            and closed.status == Status.closed
            and closed.outcome_reason == "no_match"
        )


def test_unknown_case_and_bad_reference(client: Client) -> None:
    browser = client("anna")
    assert browser.get("/cases/DS-1999-0001").status_code == 404
    assert browser.get("/cases/not-a-reference").status_code == 422
    assert "Traceback" not in browser.get("/cases/DS-1999-0001").text


def test_attachment_is_a_download_never_inline(
    client: Client, ingest: Ingest, engine: Engine
) -> None:
    case = ingest(erasure_mail())
    browser = client("anna")
    page = browser.get("/cases/%s" % case.reference).text
    link = re.search(r'href="(/cases/[^"]+/attachments/0)"', page)
    assert link and "kvitto.html" in page
    response = browser.get(link.group(1))
    assert response.status_code == 200
    assert (
        response.headers["content-disposition"].startswith("attachment;")
        and "kvitto.html" in response.headers["content-disposition"]
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-type"] == "application/octet-stream"
    assert b"<script>" in response.content
    assert (
        client().get(link.group(1), follow_redirects=False).status_code == 303
    )  # not without signing in
    assert browser.get(link.group(1).replace("/0", "/7")).status_code == 404


def test_hostile_html_is_inert_on_the_case_page(client: Client, ingest: Ingest) -> None:
    browser = client("anna")
    for name in ("m033.eml", "m034.eml"):
        case = ingest((DATA / "malformed" / name).read_bytes())
        page = browser.get("/cases/%s" % case.reference).text
        frame = re.search(r'<iframe sandbox="" [^>]*srcdoc="([^"]*)"', page)
        assert frame, name
        srcdoc = frame.group(1).lower()
        for bad in (
            "script",
            "onerror",
            "onload",
            "javascript",
            "tracker.example",
            "phish.example",
            "@import",
            "<base",
            "<meta",
            "<style",
            "<form",
            "<iframe",
            "<svg",
            "cid:",
            "data:text",
            "data:image/svg",
        ):
            assert bad not in srcdoc, (name, bad)
        assert "<script" not in page.split("<iframe", 1)[1].split("</iframe>", 1)[0].lower()


def test_supervisor_queues_filters_and_register_export(
    client: Client, ingest: Ingest, engine: Engine
) -> None:
    late = ingest(erasure_mail(pnr_in_name=True))
    fresh = ingest(
        erasure_mail("<web-erasure-3@example.se>").replace(b"Radera mina uppgifter", b"=Radera")
    )
    with session_scope(engine) as session:
        row = session.get(Case, late.id)
        assert row is not None
        row.due = date.today() - timedelta(days=3)
        row.needs_review = True
        session.add(row)
    boss = client("sara")
    overdue = boss.get("/queues?view=overdue").text
    assert (
        late.reference in overdue
        and fresh.reference not in overdue
        and 'class="overdue"' in overdue
    )
    assert MASKED in overdue and FULL_PNR not in overdue
    assert late.reference in boss.get("/queues?view=review").text
    assert (
        fresh.reference in boss.get("/queues?view=due7").text
        or fresh.reference in boss.get("/queues?view=open").text
    )
    assert boss.get("/queues?view=open&intent=erasure&sort=received&order=desc").status_code == 200
    assert boss.get("/queues?view=open&status=bogus").status_code == 422
    assert fresh.reference not in boss.get("/queues?view=open&assignee=bo").text

    export = boss.get("/export/register.csv")
    assert export.headers["content-disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert {r["reference"] for r in rows} == {late.reference, fresh.reference}
    assert FULL_PNR not in export.text and MASKED in export.text
    assert all(not r["requester_name"].startswith("=") for r in rows)


def test_figures_and_audit_log(client: Client, ingest: Ingest) -> None:
    case = ingest(erasure_mail())
    staff, boss = client("anna"), client("sara")
    staff.get("/cases/%s" % case.reference)
    staff.submit("/cases/%s/note" % case.reference, text="Kund ringde, pnr 811218-9876")
    figures = boss.get("/figures").text
    assert "<svg" in figures and "Erasure" in figures
    audit = boss.get("/audit?actor=anna&action=note").text
    assert case.reference in audit and MASKED in audit and "9876" not in audit
    rows = boss.get("/audit?actor=anna").text.split("<tbody>", 1)[1]
    assert "<td>anna</td><td>note</td>" in rows and "<td>privbot</td>" not in rows
    exported = boss.get("/export/audit.csv?case=%s" % case.reference).text
    assert "case_opened" in exported and "9876" not in exported


def test_users_command(tmp_path: Path, home: Path, engine: Engine) -> None:
    secret = tmp_path / "pw"
    secret.write_text("a long enough password\n")
    env = {"PRIVBOT_HOME": str(home), "PATH": "/usr/bin:/bin"}
    exe = [sys.executable, "-m", "privbot", "users"]
    done = subprocess.run(
        [*exe, "add", "greta", "--role", "supervisor", "--password-file", str(secret)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    bad = subprocess.run(
        [*exe, "add", "olle", "--role", "king", "--password-file", str(secret)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert (
        bad.returncode == 2
        and "role must be one of" in bad.stderr
        and "Traceback" not in bad.stderr
    )
    with Session(engine) as session:
        user = session.exec(select(User).where(User.name == "greta")).one()
        assert user.role == "supervisor" and user.password_hash.startswith("$argon2id$")


def test_figures_count_answered_cases_and_open_load(
    client: Client, ingest: Ingest, engine: Engine
) -> None:
    answered = ingest(erasure_mail())
    closed = ingest(
        erasure_mail("<web-erasure-5@example.se>").replace(
            b"Radera mina uppgifter", b"Ta bort allt"
        )
    )
    still_open = ingest(
        erasure_mail("<web-erasure-6@example.se>").replace(b"Radera mina uppgifter", b"Glom mig")
    )
    staff = client("anna")
    staff.submit(
        "/cases/%s/verify" % answered.reference, how="one-time code to the address of record"
    )
    with Session(engine) as session:
        draft = session.exec(
            select(Draft).where(Draft.case_id == answered.id, Draft.status == DraftStatus.pending)
        ).one()
    staff.submit("/cases/%s/approve" % answered.reference, subject=draft.subject, body=draft.body)
    staff.submit("/cases/%s/close" % closed.reference, outcome="withdrawn")
    staff.submit("/cases/%s/assign" % still_open.reference, assignee="bo")
    page = client("sara").get("/figures").text
    assert '<span class="n">2</span> answered' in page
    assert '<span class="n">100\xa0%</span> within the deadline' in page
    assert "<td>bo</td><td>1</td>" in page and "<td>unassigned</td><td>1</td>" in page


def test_lists_and_exports_on_sqlite_and_postgresql(any_engine: tuple[Engine, Config]) -> None:
    from privbot.mail.spool import spool
    from privbot.pipeline import Context, run
    from privbot.users import add_user

    engine, config = any_engine
    with session_scope(engine) as session:
        add_user(session, "sara", "supervisor", PASSWORD)
        spool(session, erasure_mail(pnr_in_name=True), "file", "t")
    run(engine, Context.load(config))
    with session_scope(engine) as session:
        case = session.exec(select(Case)).one()
        case.due = date.today() - timedelta(days=1)
        session.add(case)
        ref = case.reference
    boss = Browser(create_app(config, engine, secret="p" * 48))
    assert boss.sign_in("sara").status_code == 303
    assert ref in boss.get("/inbox").text
    assert ref in boss.get("/queues?view=overdue&intent=erasure").text
    assert ref not in boss.get("/queues?view=overdue&intent=access").text
    assert "<svg" in boss.get("/figures").text
    assert (
        ref in boss.get("/export/register.csv").text
        and MASKED in boss.get("/export/register.csv").text
    )
    assert ref in boss.get("/audit?case=%s" % ref.lower()).text
    boss.close()


def test_send_code_and_refusal_from_the_case_page(
    client: Client, ingest: Ingest, engine: Engine
) -> None:
    case = ingest(erasure_mail())
    browser = client("anna")
    ref = case.reference
    assert browser.submit("/cases/%s/send-code" % ref).status_code == 303
    browser.submit("/cases/%s/refuse" % ref, reason="bogus")
    assert "a refusal needs one of" in browser.get("/cases/%s" % ref).text
    browser.submit("/cases/%s/refuse" % ref, reason="manifestly_unfounded")
    browser.submit("/cases/%s/approve" % ref)
    assert "placeholder" in browser.get("/cases/%s" % ref).text  # staff write the reason first
    with Session(engine) as session:
        draft = session.exec(
            select(Draft).where(Draft.case_id == case.id, Draft.status == DraftStatus.pending)
        ).one()
    why = "Du har skickat samma begäran tjugo gånger i dag."
    filled = re.sub(r"\[\[.*?\]\]", why, draft.body)
    # a refusal may go out before verification
    browser.submit("/cases/%s/approve" % ref, subject=draft.subject, body=filled)
    with Session(engine) as session:
        closed = session.get(Case, case.id)
        assert (
            closed is not None
            and closed.status == Status.closed
            and closed.outcome == Outcome.denied
        )
        actions = [
            e.action
            for e in session.exec(select(AuditEvent).where(AuditEvent.case_id == case.id)).all()
        ]
        assert (
            actions.count("identity_code_sent") >= 2
            and "identity_code_requested" in actions
            and "refusal_drafted" in actions
        )
