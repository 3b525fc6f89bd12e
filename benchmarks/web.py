"""Latency of the staff and supervisor pages with 100,000 cases, over HTTP on loopback.

Usage: python benchmarks/web.py [--cases N] [--requests N] [--postgres] [--keep DIR] [--only RE]
Bulk-inserts cases (with a message and a draft each, and audit events) into a fresh SQLite
database in a temporary data directory (or, with --postgres, a throwaway PostgreSQL cluster
started with the server binaries in /usr/lib/postgresql), builds the search index, serves the
app with uvicorn in a separate process, signs in as a supervisor and prints p50/p95 per page:
the inbox, supervisor queues, a case page, search and the all-cases list.

With `--keep DIR` the data (SQLite file or PostgreSQL cluster) lives in DIR and stays there; a
later run with the same DIR and --cases reuses it instead of inserting again (the app upgrades
its schema on start, as a deployment would). `--only RE` measures only the pages whose label
matches RE.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import insert

from privbot import search
from privbot.config import load_config
from privbot.db import make_engine, session_scope
from privbot.models import AuditEvent, Case, Draft, DraftStatus, Message, Outcome, Status
from privbot.users import add_user
from privbot.web.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pgcluster import postgres_cluster  # noqa: E402

INTENTS = [
    "access",
    "erasure",
    "rectification",
    "marketing_optout",
    "objection",
    "question",
    "complaint",
    "portability",
]
STAFF = ["anna", "bo", "cecilia", "david", "eva", "fredrik", "greta", "hans"]
STATUSES = [
    (Status.closed, 60),
    (Status.sent, 10),
    (Status.draft_ready, 15),
    (Status.new, 4),
    (Status.in_progress, 5),
    (Status.awaiting_identity, 3),
    (Status.awaiting_requester, 3),
]
PASSWORD = "benchmark password"
TEXT = (
    "Hej,\n\njag vill veta vilka personuppgifter ni behandlar om mig och varför. " * 6
) + "\n\nMvh\nTestperson\n"
# Sentences the message texts are drawn from, so words are as common as in a real mailbox:
# some in most mails, some in a few percent, a product name in one mail in a thousand or so.
SENTENCES = [
    "Jag vill veta vilka personuppgifter ni behandlar om mig och varför.",
    "Radera alla mina uppgifter ur kundregistret, tack.",
    "Jag begär raderingen av mitt konto och all historik.",
    "Sluta skicka reklam och nyhetsbrev till min adress.",
    "Kan ni skicka ett registerutdrag till mig?",
    "Min adress är fel i era system, den ska rättas.",
    "I would like a copy of the personal data you hold about me.",
    "Please delete my account and stop processing my data.",
    "Jag har flyttat och vill att ni uppdaterar adressen.",
    "Varför fick jag ett sms från er när jag aldrig har varit kund?",
    "Jag invänder mot att ni använder mina uppgifter för profilering.",
    "Mitt abonnemang sades upp förra året men ni skickar fortfarande fakturor.",
]
RARE = ["Lagerlöfsvägen", "solpanelsofferten", "Kiruna", "kattförsäkringen", "Ölandsbron"]


def message_text(rnd: random.Random) -> str:
    body = " ".join(rnd.sample(SENTENCES, rnd.randint(2, 5)))
    if rnd.random() < 0.01:
        body += " Det gäller %s." % rnd.choice(RARE)
    return "Hej,\n\n%s\n\nMvh\nTestperson\n" % body


def populate(url: str, count: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    engine = make_engine(url)
    now = datetime.now(UTC)
    statuses = [s for s, w in STATUSES for _ in range(w)]
    batch = 5000
    with engine.begin() as conn:
        for start in range(0, count, batch):
            cases, messages, drafts, events = [], [], [], []
            for n in range(start + 1, min(count, start + batch) + 1):
                received = now - timedelta(days=rnd.uniform(0, 730))
                status = rnd.choice(statuses)
                if status != Status.closed and rnd.random() < 0.8:
                    received = now - timedelta(days=rnd.uniform(0, 40))
                due = (received + timedelta(days=30)).date()
                closed = status == Status.closed
                cases.append(
                    dict(
                        id=n,
                        reference="DS-%d-%06d" % (received.year, n),
                        status=status,
                        intents=rnd.sample(INTENTS, rnd.choice((1, 1, 2))),
                        language=rnd.choice(("sv", "sv", "en")),
                        channel="email",
                        requester_email="person%d@example.se" % n,
                        requester_name="Person %d" % n,
                        received_at=received,
                        due=due,
                        extended_due=due + timedelta(days=60) if rnd.random() < 0.03 else None,
                        extension_reason="",
                        identity_verified=False,
                        verified_how="",
                        needs_review=rnd.random() < 0.05,
                        confidence=rnd.random(),
                        assignee=rnd.choice(STAFF + [""]),
                        outcome=Outcome.fulfilled if closed else None,
                        outcome_reason="",
                        closed_at=received + timedelta(days=rnd.uniform(1, 35)) if closed else None,
                        updated_at=received,
                    )
                )
                messages.append(
                    dict(
                        case_id=n,
                        direction="in",
                        message_id="<bench-%d@example.se>" % n,
                        subject="Begäran %d" % n,
                        from_addr="person%d@example.se" % n,
                        from_name="Person %d" % n,
                        to_addr="dataskydd@it-team.se",
                        at=received,
                        text=message_text(rnd),
                        html="",
                        attachments=[],
                        classification={},
                    )
                )
                drafts.append(
                    dict(
                        case_id=n,
                        template="reply",
                        language="sv",
                        subject="Svar [DS-%06d]" % n,
                        body=TEXT,
                        status=DraftStatus.pending
                        if status == Status.draft_ready
                        else DraftStatus.approved,
                        created_at=received,
                        edited_by="",
                        decided_by="",
                        reject_reason="",
                    )
                )
                events.append(
                    dict(case_id=n, at=received, actor="privbot", action="case_opened", detail={})
                )
                events.append(
                    dict(case_id=n, at=received, actor="privbot", action="draft_created", detail={})
                )
            conn.execute(insert(Case), cases)
            conn.execute(insert(Message), messages)
            conn.execute(insert(Draft), drafts)
            conn.execute(insert(AuditEvent), events)
    started = time.perf_counter()
    with engine.begin() as conn:
        search.rebuild(conn)  # rows written through Core
    print("search index built in %.1f s" % (time.perf_counter() - started))
    with session_scope(engine) as session:
        add_user(session, "sara", "supervisor", PASSWORD)
        for name in STAFF:
            add_user(session, name, "staff", PASSWORD)
    with engine.begin() as conn:  # committed: PostgreSQL's ANALYZE is undone by a rollback
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def serve(home: str, port: int, url: str) -> None:
    config = load_config(env={"PRIVBOT_HOME": home, "PRIVBOT_DATABASE_URL": url})
    app = create_app(config, make_engine(config.database_url))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


ONLY: re.Pattern[str] | None = None


def measure(client: httpx.Client, label: str, paths: list[str]) -> None:
    if ONLY is not None and not ONLY.search(label):
        return
    times = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            sys.exit("%s answered %d" % (path, response.status_code))
    q = statistics.quantiles(times, n=100)
    print(
        "%-40s %5d req  p50 %7.1f ms  p95 %7.1f ms  max %7.1f ms  [load %.2f %.2f %.2f]"
        % (label, len(times), q[49] * 1000, q[94] * 1000, max(times) * 1000, *os.getloadavg())
    )


def sign_in(client: httpx.Client) -> None:
    for _ in range(400):
        try:
            login = client.get("/login")
            break
        except httpx.ConnectError:
            time.sleep(0.05)
    csrf = re.search(r'name="csrf" value="([^"]+)"', login.text).group(1)  # type: ignore[union-attr]
    done = client.post("/login", data={"name": "sara", "password": PASSWORD, "csrf": csrf})
    if 'action="/logout"' not in done.text:
        sys.exit("could not sign in")


def run(url: str, home: str, opts: argparse.Namespace) -> None:
    marker = Path(opts.keep, "populated") if opts.keep else None
    if marker is not None and marker.exists() and marker.read_text().strip() == str(opts.cases):
        print("reusing %d cases in %s" % (opts.cases, opts.keep))
    else:
        started = time.perf_counter()
        populate(url, opts.cases)
        print("inserted %d cases in %.1f s" % (opts.cases, time.perf_counter() - started))
        if marker is not None:
            marker.write_text(str(opts.cases))
    if url.startswith("sqlite"):
        size = Path(url.removeprefix("sqlite:///")).stat().st_size
        print("database %.0f MB" % (size / 1e6))

    server = multiprocessing.get_context("spawn").Process(
        target=serve, args=(home, opts.port, url), daemon=True
    )
    server.start()
    base = "http://127.0.0.1:%d" % opts.port
    try:
        with httpx.Client(base_url=base, timeout=60, follow_redirects=True) as client:
            sign_in(client)
            n = opts.requests
            rnd = random.Random(1)
            inbox = client.get("/inbox").text
            refs = re.findall(r'href="/cases/([A-Z]+-\d{4}-\d+)"', inbox)
            for path in ("/inbox", "/queues?view=overdue", "/cases/%s" % refs[0], "/cases"):
                client.get(path)  # warm up
            if not opts.only_new:
                measure(client, "inbox, page 1", ["/inbox"] * n)
                measure(
                    client,
                    "inbox, random page 1-50",
                    ["/inbox?page=%d" % rnd.randint(1, 50) for _ in range(n)],
                )
                measure(client, "queue: overdue", ["/queues?view=overdue"] * n)
                measure(
                    client,
                    "queue: open, intent=erasure, by received",
                    ["/queues?view=open&intent=erasure&sort=received&order=desc"] * n,
                )
                measure(
                    client,
                    "queue: assignee=bo, due within 7 days",
                    ["/queues?view=due7&assignee=bo"] * n,
                )
                measure(
                    client,
                    "case page (inbox cases)",
                    ["/cases/%s" % rnd.choice(refs) for _ in range(n)],
                )
            count = opts.cases

            def some() -> int:
                return rnd.randint(1, count)

            measure(client, "all cases, page 1 (newest first)", ["/cases"] * n)
            measure(
                client,
                "all cases, random page 1-200",
                ["/cases?page=%d" % rnd.randint(1, 200) for _ in range(n)],
            )
            measure(
                client,
                "all cases: closed, erasure, by due",
                ["/cases?status=closed&intent=erasure&sort=due&order=asc"] * n,
            )
            measure(
                client,
                "all cases: overdue, assignee, 2 months",
                [
                    "/cases?overdue=1&assignee=%s&received_from=%s"
                    % (rnd.choice(STAFF), (datetime.now(UTC) - timedelta(days=60)).date())
                    for _ in range(n)
                ],
            )
            measure(
                client,
                "search: an address",
                ["/search?q=person%d@example.se" % some() for _ in range(n)],
            )
            measure(
                client,
                "search: a reference",
                ["/search?q=DS-%d-%06d" % (rnd.choice((2025, 2026)), some()) for _ in range(n)],
            )
            measure(client, "search: a name", ["/search?q=Person+%d" % some() for _ in range(n)])
            measure(
                client,
                "search: a rare word (~0.2%)",
                ["/search?q=%s" % rnd.choice(RARE) for _ in range(n)],
            )
            measure(
                client,
                "search: inflected, common (raderingen)",
                ["/search?q=raderingen"] * n,
            )
            measure(
                client,
                "search: two common words",
                ["/search?q=registerutdrag+adress"] * n,
            )
    finally:
        server.terminate()
        server.join(10)


def main(argv: list[str]) -> None:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--cases", type=int, default=100_000)
    args.add_argument("--requests", type=int, default=200)
    args.add_argument("--port", type=int, default=8765)
    args.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL cluster")
    args.add_argument("--only-new", action="store_true", help="only search and the all-cases list")
    args.add_argument("--keep", metavar="DIR", help="keep the data in DIR; reuse it if there")
    args.add_argument("--only", metavar="RE", help="measure only pages whose label matches RE")
    opts = args.parse_args(argv)
    global ONLY
    ONLY = re.compile(opts.only) if opts.only else None
    home = tempfile.mkdtemp(prefix="privbot-bench-")
    try:
        if opts.postgres:
            with postgres_cluster(
                keep=Path(opts.keep) if opts.keep else None, durable=False
            ) as url:
                run(url, home, opts)
        else:
            data = opts.keep or home
            if opts.keep:
                Path(data).mkdir(parents=True, exist_ok=True)
            run(load_config(env={"PRIVBOT_HOME": data}).database_url, home, opts)
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
