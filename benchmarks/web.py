"""Latency of the staff and supervisor pages with 100,000 cases in SQLite, over HTTP on loopback.

Usage: python benchmarks/web.py [--cases N] [--requests N]
Bulk-inserts cases (with a message and a draft each, and audit events) into a fresh SQLite
database in a temporary data directory, serves the app with uvicorn in a separate process,
signs in as a supervisor and prints p50/p95 per page: the inbox, supervisor queues and a case page.
"""

from __future__ import annotations

import argparse
import multiprocessing
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

from privbot.config import load_config
from privbot.db import make_engine, session_scope
from privbot.models import AuditEvent, Case, Draft, DraftStatus, Message, Outcome, Status
from privbot.users import add_user
from privbot.web.app import create_app

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
                        text=TEXT,
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
    with session_scope(engine) as session:
        add_user(session, "sara", "supervisor", PASSWORD)
        for name in STAFF:
            add_user(session, name, "staff", PASSWORD)
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def serve(home: str, port: int) -> None:
    config = load_config(env={"PRIVBOT_HOME": home})
    app = create_app(config, make_engine(config.database_url))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def measure(client: httpx.Client, label: str, paths: list[str]) -> None:
    times = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            sys.exit("%s answered %d" % (path, response.status_code))
    q = statistics.quantiles(times, n=100)
    print(
        "%-36s %5d req  p50 %7.1f ms  p95 %7.1f ms  max %7.1f ms"
        % (label, len(times), q[49] * 1000, q[94] * 1000, max(times) * 1000)
    )


def main(argv: list[str]) -> None:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--cases", type=int, default=100_000)
    args.add_argument("--requests", type=int, default=200)
    args.add_argument("--port", type=int, default=8765)
    opts = args.parse_args(argv)
    home = tempfile.mkdtemp(prefix="privbot-bench-")
    config = load_config(env={"PRIVBOT_HOME": home})
    started = time.perf_counter()
    populate(config.database_url, opts.cases)
    size = Path(config.database_url.removeprefix("sqlite:///")).stat().st_size
    print(
        "inserted %d cases in %.1f s (database %.0f MB)"
        % (opts.cases, time.perf_counter() - started, size / 1e6)
    )

    server = multiprocessing.get_context("spawn").Process(
        target=serve, args=(home, opts.port), daemon=True
    )
    server.start()
    base = "http://127.0.0.1:%d" % opts.port
    try:
        with httpx.Client(base_url=base, timeout=30, follow_redirects=True) as client:
            for _ in range(200):
                try:
                    login = client.get("/login")
                    break
                except httpx.ConnectError:
                    time.sleep(0.05)
            csrf = re.search(r'name="csrf" value="([^"]+)"', login.text).group(1)  # type: ignore[union-attr]
            done = client.post("/login", data={"name": "sara", "password": PASSWORD, "csrf": csrf})
            if "Sign out" not in done.text:
                sys.exit("could not sign in")
            n = opts.requests
            rnd = random.Random(1)
            for path in (
                "/inbox",
                "/queues?view=overdue",
                "/cases/DS-%d-%06d" % (datetime.now(UTC).year, 1),
            ):
                client.get(path)  # warm up
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
            inbox = client.get("/inbox").text
            refs = re.findall(r'href="/cases/([A-Z]+-\d{4}-\d+)"', inbox)
            measure(
                client,
                "case page (inbox cases)",
                ["/cases/%s" % rnd.choice(refs) for _ in range(n)],
            )
    finally:
        server.terminate()
        server.join(10)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
