"""The web app in headless Chromium (Playwright, Debian's /usr/bin/chromium) against uvicorn on
loopback, with cases made from real mail taken through spool and the pipeline."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import date, timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine
from sqlmodel import Session

from privbot.config import Config
from privbot.db import session_scope
from privbot.mail.send import outbox_files
from privbot.models import Case, Status
from privbot.pnr import mask
from tests.helpers import DATA
from tests.web.helpers import PASSWORD, erasure_mail

Ingest = Callable[[bytes], Case]


def wait_for_replies(config: Config, timeout: float = 10.0) -> list[bytes]:
    """Ordinary (not automatic) messages in the outbox, once there is at least one."""
    deadline = time.monotonic() + timeout
    while True:
        replies = [
            raw
            for raw in (f.read_bytes() for f in outbox_files(config))
            if b"Auto-Submitted" not in raw
        ]
        if replies or time.monotonic() > deadline:
            return replies
        time.sleep(0.05)


def sign_in(page: Any, base: str, name: str) -> None:
    page.goto(base + "/inbox")
    assert "/login" in page.url
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/inbox")


def test_staff_edits_and_approves_a_draft(
    live_server: str,
    browser_page: Any,
    users: dict[str, str],
    ingest: Ingest,
    engine: Engine,
    config: Config,
) -> None:
    case = ingest(erasure_mail())
    page = browser_page
    sign_in(page, live_server, "anna")
    row = page.locator("table.cases tbody tr", has_text=case.reference)
    assert "9876" not in row.inner_text()  # the body is never listed
    assert "Erasure" in row.inner_text()
    row.locator("a", has_text=case.reference).click()
    page.wait_for_url(live_server + "/cases/" + case.reference)
    assert "19811218-9876" in page.locator("article.message pre.text").first.inner_text()

    # An erasure waits for a verified requester: staff record how they checked.
    assert "identity is not verified" in page.content()
    page.select_option("select[name=how]", "identity document")
    page.fill("input[name=detail]", "passport seen at the desk")
    page.click("button:has-text('Mark verified')")
    assert "verified" in page.locator("p.flash.ok").inner_text()

    body = page.locator("textarea[name=body]")
    body.fill(body.input_value() + "\nVi har nu raderat uppgifterna i kundregistret.\n")
    page.click("button:has-text('Save draft')")
    assert "Draft saved" in page.locator("p.flash.ok").inner_text()
    assert "last edited by anna" in page.content()
    page.click("button:has-text('Approve and send')")
    assert "Approved" in page.locator("p.flash.ok").inner_text()

    replies = wait_for_replies(config)  # the sender runs right after the response
    assert len(replies) == 1 and case.reference.encode() in replies[0]
    assert "raderat uppgifterna" in replies[0].decode(
        "utf-8", "replace"
    ) or b"raderat uppgifterna" in replies[0].replace(b"=\r\n", b"")
    deadline = time.monotonic() + 10
    while True:
        with Session(engine) as session:
            status = session.get(Case, case.id).status  # type: ignore[union-attr]
        if status == Status.sent or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert status == Status.sent
    page.reload()
    assert page.locator("article.message.out").count() == 1


def test_supervisor_sees_overdue_case_and_exports_csv(
    live_server: str,
    browser_page: Any,
    users: dict[str, str],
    ingest: Ingest,
    engine: Engine,
    tmp_path: Any,
) -> None:
    late = ingest(erasure_mail(pnr_in_name=True))
    ontime = ingest(
        erasure_mail("<web-erasure-4@example.se>").replace(b"Radera mina uppgifter", b"Ta bort mig")
    )
    with session_scope(engine) as session:
        row = session.get(Case, late.id)
        assert row is not None
        row.due = date.today() - timedelta(days=2)
        session.add(row)
    page = browser_page
    sign_in(page, live_server, "sara")
    page.click("header nav a:has-text('Queues')")
    page.click("nav.views a:has-text('Overdue')")
    assert urlsplit(page.url).query == "view=overdue"  # the view is bookmarkable
    table = page.locator("table.cases tbody")
    assert late.reference in table.inner_text() and ontime.reference not in table.inner_text()
    late_row = table.locator("tr.overdue", has_text=late.reference)
    assert late_row.locator("td.days.late").inner_text() == "-2"
    color = late_row.locator("td.days").evaluate("el => getComputedStyle(el).color")
    assert color == "rgb(179, 38, 30)"  # red
    assert mask("811218-9876") in late_row.inner_text() and "9876" not in late_row.inner_text()

    page.select_option("select[name=intent]", "erasure")
    page.select_option("select[name=order]", "desc")
    page.click("form.filters button")
    assert "intent=erasure" in page.url and "order=desc" in page.url

    with page.expect_download() as info:
        page.click("header nav a:has-text('Register (CSV)')")
    saved = tmp_path / "register.csv"
    info.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert (
        late.reference in text
        and ontime.reference in text
        and "19811218-9876" not in text
        and "811218-9876" not in text
    )


def hostile_mail() -> bytes:
    """Our own payload mail: script tags, handlers, javascript: and SVG, remote images and CSS."""
    msg = EmailMessage()
    msg["From"] = "Mallory <mallory@example.net>"
    msg["To"] = "dataskydd@it-team.se"
    msg["Subject"] = "Radera mina uppgifter <script>alert('subject')</script>"
    msg["Message-ID"] = "<xss-own-1@example.net>"
    msg.set_content(
        "Hej, jag vill att ni raderar mina personuppgifter. <img src=x onerror=alert('text')>"
    )
    msg.add_alternative(
        """<html><head><script>alert('head')</script><link rel=stylesheet href="http://127.0.0.2:9/x.css">
<style>body{background:url(http://127.0.0.2:9/bg.png)}</style></head>
<body onload="alert('onload')"><p>Hej, jag vill att ni raderar mina personuppgifter.</p>
<img src="http://127.0.0.2:9/pixel.gif" onerror="alert('onerror')">
<img src=x onerror="fetch('http://127.0.0.2:9/leak')">
<svg><script>alert('svg')</script><animate onbegin="alert('animate')" attributeName="x" dur="1s"/></svg>
<a href="javascript:alert('js')" id="jslink">klicka</a>
<iframe src="javascript:alert('iframe')"></iframe>
<object data="http://127.0.0.2:9/x.swf"></object>
<video poster="http://127.0.0.2:9/poster.png"></video>
<math><mtext><table><mglyph><style><img src=x onerror=alert('mxss')></style></mglyph></table></mtext></math>
<form action="http://127.0.0.2:9/collect"><input name=q autofocus onfocus="alert('focus')"></form>
</body></html>""",
        subtype="html",
    )
    return msg.as_bytes()


def test_hostile_mail_is_shown_inert(
    live_server: str, browser_page: Any, users: dict[str, str], ingest: Ingest
) -> None:
    cases = [
        ingest((DATA / "malformed" / name).read_bytes()) for name in ("m033.eml", "m034.eml")
    ] + [ingest(hostile_mail())]
    page = browser_page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_in(page, live_server, "anna")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    blocked: list[str] = []
    page.context.route(
        re.compile(r"^(?!" + re.escape(live_server) + r"/).*"),
        lambda route: (blocked.append(route.request.url), route.abort()),
    )

    for case in cases:
        page.goto(live_server + "/cases/" + case.reference)
        for details in page.locator("details.html").all():
            details.locator("summary").click()
        frames = page.locator("details.html iframe")
        assert frames.count() >= 1
        for i in range(frames.count()):
            frame = frames.nth(i).content_frame
            assert frame is not None
            frame.locator("body").wait_for(state="attached")
            assert (
                "raderar" in frame.locator("body").inner_text()
                or "kopia" in frame.locator("body").inner_text()
            )
            for link in frame.locator("a").all():  # a click goes nowhere
                assert link.get_attribute("href") in (None, "") or link.get_attribute(
                    "href", timeout=1000
                ).startswith(("http", "mailto"))
                link.click(timeout=2000)
        page.wait_for_timeout(300)

    assert dialogs == []
    assert blocked == []
    outside = [
        u for u in requests if not u.startswith(live_server + "/") and not u.startswith("about:")
    ]
    assert outside == []
    # Only the app's own pages and its stylesheet were fetched.
    assert {urlsplit(u).path.split("/")[1] for u in requests if u.startswith(live_server)} <= {
        "cases",
        "static",
        "inbox",
        "login",
    }
