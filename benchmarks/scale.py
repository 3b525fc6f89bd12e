"""Scaling figures on PostgreSQL: pipeline workers, and the case lists at a million cases.

Usage: python benchmarks/scale.py [--messages N] [--workers 1,2] [--cases N] [--requests N]
       [--skip-pipeline] [--skip-lists] [--database-url URL]

Starts a throwaway PostgreSQL cluster (server binaries in /usr/lib/postgresql; or uses
--database-url, whose databases `bench_*` it creates and drops) and measures:

  pipeline: N messages (default 10,000, written here, no corpus needed) are spooled into a
  fresh database, then 1 and then 2 worker processes (`pipeline.run`, as `privbot worker`
  runs it) take them to cases with drafts; prints messages per second for each count and
  the ratio, and checks that every message became exactly one case or screening.

  lists: N cases (default 1,000,000) made in the database by `generate_series`, then the
  staff inbox (page 1 and random pages) and supervisor queues (overdue, open by intent,
  due within 7 days for one handler) as the web pages read them (`web/listing.paginate`),
  p50/p95 over R requests each.

The load average is printed with every figure: this is a shared machine, so compare the
figures of one run (the ratios) rather than runs.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pgcluster import database, postgres_cluster  # noqa: E402

FIRST = ["Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sara", "Nils", "Elin", "Omar"]
LAST = ["Berg", "Lind", "Holm", "Nyström", "Ek", "Sandberg", "Öberg", "Åkesson", "Haddad"]
# Requests written for this benchmark (Swedish and English), so it needs no corpus.
ASKS = [
    "Jag vill ha en kopia av de personuppgifter ni har om mig.",
    "Radera mitt konto och alla uppgifter om mig, tack.",
    "Ni har fel adress på mig i kundregistret, rätta den till Storgatan 4.",
    "Sluta skicka reklam till mig per post och e-post.",
    "Jag motsätter mig att ni använder mina uppgifter för marknadsföring.",
    "Please send me a copy of all personal data you store about me.",
    "I want my account and all data about me deleted.",
    "Could you tell me how long you keep my order history?",
]
MORE = [
    "Jag var kund hos er fram till förra våren.",
    "Mitt kundnummer är %d.",
    "Svara gärna per e-post.",
    "I used to have a subscription with you.",
    "",
]


def load() -> str:
    return "load average %.2f %.2f %.2f" % os.getloadavg()


def messages(count: int, seed: int = 11) -> list[bytes]:
    """`count` requests from different people; one in twenty an out-of-office reply."""
    rnd = random.Random(seed)
    out = []
    for n in range(count):
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        msg = EmailMessage()
        msg["From"] = "%s %s <%s.%s.%d@example.se>" % (first, last, first, last, n)
        msg["To"] = "dataskydd@it-team.se"
        msg["Date"] = format_datetime(datetime.now(UTC))
        msg["Message-ID"] = make_msgid("scale%d" % n, "example.se")
        if n % 20 == 7:
            msg["Subject"] = "Frånvaro: %s" % rnd.choice(["semester", "tjänstledig"])
            msg["Auto-Submitted"] = "auto-replied"
            msg.set_content("Jag är ledig till måndag och läser inte e-post.\n")
        else:
            msg["Subject"] = rnd.choice(["Mina uppgifter", "Begäran", "GDPR", "Fråga"])
            extra = rnd.choice(MORE)
            extra = extra % rnd.randint(10000, 99999) if "%d" in extra else extra
            msg.set_content(
                "Hej,\n\n%s %s\n\nMed vänlig hälsning\n%s %s\n"
                % (rnd.choice(ASKS), extra, first, last)
            )
        out.append(bytes(msg))
    return out


# --- pipeline ---------------------------------------------------------------------------------


def env_for(url: str, home: str) -> dict[str, str]:
    return {"PRIVBOT_HOME": home, "PRIVBOT_DATABASE_URL": url}


def spool_all(url: str, home: str, raws: list[bytes]) -> None:
    from privbot.config import load_config
    from privbot.db import make_engine, session_scope
    from privbot.mail.spool import spool_many

    engine = make_engine(load_config(env=env_for(url, home)).database_url)
    for start in range(0, len(raws), 500):
        with session_scope(engine) as session:
            spool_many(session, [(raw, "") for raw in raws[start : start + 500]], "file")
    engine.dispose()


def worker(url: str, home: str, ready: Any, go: Any, results: Any) -> None:
    """One worker process: load, wait for the start, run the pipeline until the spool is empty."""
    from privbot.config import load_config
    from privbot.db import make_engine
    from privbot.pipeline import Context, run

    config = load_config(env=env_for(url, home))
    engine = make_engine(config.database_url)
    ctx = Context.load(config)
    ctx.warm()  # as `privbot worker` does at start-up
    ready.release()
    go.wait()
    cpu = time.process_time()
    counts = run(engine, ctx, limit=10**9)
    results.put((os.getpid(), counts, time.monotonic(), time.process_time() - cpu))
    engine.dispose()


def pipeline_run(base_url: str, raws: list[bytes], workers: int) -> float:
    """Messages per second for `workers` processes over a freshly spooled database."""
    with database(base_url, "bench_w%d" % workers) as url:
        home = tempfile.mkdtemp(prefix="privbot-scale-")
        spool_all(url, home, raws)
        spawn = multiprocessing.get_context("spawn")
        ready, go, results = spawn.Semaphore(0), spawn.Event(), spawn.Queue()
        procs = [
            spawn.Process(target=worker, args=(url, home, ready, go, results))
            for _ in range(workers)
        ]
        for p in procs:
            p.start()
        for _ in procs:
            ready.acquire()
        before = load()
        started = time.monotonic()
        go.set()
        finished = [results.get(timeout=3600) for _ in procs]
        for p in procs:
            p.join()
        elapsed = max(f[2] for f in finished) - started
        total: dict[str, int] = {}
        for _pid, counts, _end, _cpu in finished:
            for k, v in counts.items():
                total[k] = total.get(k, 0) + v
        processed = sum(total.values())
        from sqlalchemy import create_engine

        check = create_engine(url)
        with check.connect() as conn:
            pending = conn.execute(
                text("SELECT count(*) FROM spoolentry WHERE state = 'pending'")
            ).scalar_one()
            cases = conn.execute(text('SELECT count(*) FROM "case"')).scalar_one()
            once = conn.execute(
                text(
                    "SELECT count(*) FROM (SELECT case_id FROM spoolentry WHERE case_id IS NOT "
                    "NULL GROUP BY case_id HAVING count(*) > 1) AS twice"
                )
            ).scalar_one()
        check.dispose()
        print(
            "%d worker(s): %6d msgs in %7.2f s  %6.0f msg/s  [%s]  per worker: %s; CPU %s s"
            % (
                workers,
                processed,
                elapsed,
                processed / elapsed,
                ", ".join("%s %d" % kv for kv in sorted(total.items())),
                " / ".join(str(sum(f[1].values())) for f in finished),
                " / ".join("%.1f" % f[3] for f in finished),
            )
        )
        print("    %s before, %s after" % (before, load()))
        if processed != len(raws) or pending or once:
            sys.exit(
                "lost or doubled: %d processed of %d, %d pending, %d cases with two entries"
                % (processed, len(raws), pending, once)
            )
        print("    %d cases; every message processed exactly once" % cases)
        shutil.rmtree(home, ignore_errors=True)
        return processed / elapsed


# --- lists at a million cases ----------------------------------------------------------------

STAFF = ["anna", "bo", "cecilia", "david", "eva", "fredrik", "greta", "hans"]
INTENTS = ["access", "erasure", "rectification", "marketing_optout", "objection", "question"]

# Statuses as web.py spreads them: 60 % closed, the rest open; open cases mostly recent.
GENERATE = """
INSERT INTO "case" (reference, status, outcome, outcome_reason, intents, language, channel,
    requester_email, requester_name, received_at, due, extended_due, extension_reason,
    identity_verified, verified_how, needs_review, confidence, assignee, closed_at, updated_at,
    third_party, allowed_senders, verified_pnr, delivery_problem, mailbox)
SELECT 'DS-' || extract(year FROM received)::int || '-' || lpad(g::text, 7, '0'),
    st::status,
    CASE WHEN st = 'closed' THEN 'fulfilled'::outcome END,
    '',
    CASE WHEN r2 < 0.7 THEN json_build_array(i1) ELSE json_build_array(i1, i2) END,
    CASE WHEN r2 < 0.66 THEN 'sv' ELSE 'en' END,
    'email',
    'person' || g || '@example.se',
    'Person ' || g,
    received,
    (received + interval '30 days')::date,
    CASE WHEN r2 > 0.97 THEN (received + interval '90 days')::date END,
    '', false, '', r2 < 0.05, r2,
    (ARRAY[:staff])[1 + (g % 9)],
    CASE WHEN st = 'closed' THEN received + interval '20 days' END,
    received, false, '[]', '', '', 'default'
FROM (
    SELECT g, r2,
        CASE WHEN r1 < 0.60 THEN 'closed' WHEN r1 < 0.70 THEN 'sent'
             WHEN r1 < 0.85 THEN 'draft_ready' WHEN r1 < 0.89 THEN 'new'
             WHEN r1 < 0.94 THEN 'in_progress' WHEN r1 < 0.97 THEN 'awaiting_identity'
             ELSE 'awaiting_requester' END AS st,
        now() - CASE WHEN r1 >= 0.60 AND r2 < 0.8 THEN interval '40 days' * r3
                     ELSE interval '730 days' * r3 END AS received,
        (ARRAY[:intents])[1 + (g % 6)] AS i1,
        (ARRAY[:intents])[1 + ((g / 6) % 6)] AS i2
    FROM (SELECT g, random() AS r1, random() AS r2, random() AS r3
          FROM generate_series(CAST(:start AS integer), CAST(:stop AS integer)) AS g) AS draws
) AS rows
"""


def populate_cases(url: str, count: int) -> None:
    from privbot.db import make_engine

    engine = make_engine(url)
    staff = ", ".join("'%s'" % s for s in STAFF + [""])
    intents = ", ".join("'%s'" % i for i in INTENTS)
    sql = GENERATE.replace(":staff", staff).replace(":intents", intents)
    step = 200_000
    with engine.begin() as conn:
        for start in range(1, count + 1, step):
            conn.execute(text(sql), {"start": start, "stop": min(count, start + step - 1)})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # both tables the lists read, as autovacuum would after such an insert: a caseintent
        # without statistics is planned as 2,000 rows per intent, not 200,000 (a hash join of all)
        conn.execute(text('VACUUM ANALYZE "case", caseintent'))
    engine.dispose()


def timed(label: str, call: Callable[[], Any], n: int) -> None:
    call()  # warm
    times = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    q = statistics.quantiles(times, n=100)
    print(
        "%-44s %4d req  p50 %7.1f ms  p95 %7.1f ms  max %7.1f ms  [%s]"
        % (label, n, q[49] * 1000, q[94] * 1000, max(times) * 1000, load())
    )


def lists(base_url: str, count: int, n: int) -> None:
    from privbot.db import make_engine
    from privbot.models import NOT_CLOSED, Case
    from privbot.web.listing import EFFECTIVE_DUE, paginate
    from privbot.web.pages import queues
    from privbot.web.pages.inbox import WAITING_FOR_STAFF

    with database(base_url, "bench_lists") as url:
        started = time.perf_counter()
        populate_cases(url, count)
        print("generated %d cases in %.1f s [%s]" % (count, time.perf_counter() - started, load()))
        engine = make_engine(url)
        today = date.today()
        rnd = random.Random(3)
        inbox = select(Case).where(col(Case.status).in_(WAITING_FOR_STAFF), NOT_CLOSED)
        by_due = [EFFECTIVE_DUE, col(Case.id)]
        with Session(engine) as session:
            total = paginate(session, inbox, by_due, 1).total
            print("inbox holds %d cases" % total)
            timed("inbox, page 1", lambda: paginate(session, inbox, by_due, 1), n)
            timed(
                "inbox, random page 1-50",
                lambda: paginate(session, inbox, by_due, rnd.randint(1, 50)),
                n,
            )
            for label, view, intent, assignee, order in (
                ("queue: overdue", "overdue", "", "", by_due),
                ("queue: open, by due", "open", "", "", by_due),
                (
                    "queue: open, intent=erasure, by received",
                    "open",
                    "erasure",
                    "",
                    [col(Case.received_at).desc(), col(Case.id).desc()],
                ),
                ("queue: due within 7 days, assignee=bo", "due7", "", "bo", by_due),
            ):
                query = queues.filtered(view, "", intent, assignee, today)
                timed(label, lambda q=query, o=order: paginate(session, q, o, 1), n)
        engine.dispose()


def main(argv: list[str]) -> None:
    args = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    args.add_argument("--messages", type=int, default=10_000)
    args.add_argument("--workers", default="1,2", help="worker counts to compare, in order")
    args.add_argument("--cases", type=int, default=1_000_000)
    args.add_argument("--requests", type=int, default=100)
    args.add_argument("--skip-pipeline", action="store_true")
    args.add_argument("--skip-lists", action="store_true")
    args.add_argument("--database-url", default="", help="an existing PostgreSQL cluster")
    opts = args.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))  # the cluster is removed
    print("%d CPUs; %s" % (os.cpu_count() or 0, load()))
    if opts.database_url:
        run(opts.database_url, opts)
    else:
        with postgres_cluster() as url:
            run(url, opts)


def run(url: str, opts: argparse.Namespace) -> None:
    if not opts.skip_pipeline:
        raws = messages(opts.messages)
        rates = {w: pipeline_run(url, raws, w) for w in map(int, opts.workers.split(","))}
        if len(rates) > 1:
            first, *rest = rates
            for w in rest:
                print("%d workers / %d: %.2f× the throughput" % (w, first, rates[w] / rates[first]))
    if not opts.skip_lists:
        lists(url, opts.cases, opts.requests)


if __name__ == "__main__":
    main(sys.argv[1:])
