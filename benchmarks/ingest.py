"""IMAP ingest throughput: the fetch floor, the poller into the spool, the pipeline to cases.

Usage: python benchmarks/ingest.py [CORPUS_DIR] [--messages N] [--batch-size B] [--profile]
       [--postgres | --database-url URL] [--repeat R] [--skip-pipeline] [--statements]
       [--new-requests]

Loads N messages (default 5,000, cycled from the corpus, each with its own Message-ID so none
is a duplicate, and its own MIME boundaries, as real mail has: the parser's work for a boundary
it has not seen is part of what production pays) into a fresh Dovecot (tests/dovecot.py; needs root and dovecot-imapd), then
measures in one run:
  (a) a plain imapclient fetch of every body with BODY.PEEK[] in batches: the floor;
  (b) privbot's poller taking every message into the durable spool (fetch, commit, move),
      in a process of its own whose peak RSS is reported;
  (c) the pipeline from spool to cases with drafts.
On a fresh SQLite file by default; `--postgres` starts a throwaway PostgreSQL cluster
(benchmarks/pgcluster.py) and runs (b) and (c) on a fresh database in it. Prints messages per
second for each, the ratios of time per message (b)/(a) and (c)/(a) (the
machine-independent figures), and the load average. Aims on a 2-core machine: (b)/(a) ≤ 2,
(c) ≥ 500 msg/s and (c)/(a) ≤ 15, poller peak RSS < 200 MB. `--profile` profiles (c).
`--statements` counts (c)'s database statements: made while processing a message, per
disposition (opened, threaded, screened), and per batch (claim, kept-back rows, flush, finish).

Cycled through a corpus, most messages are follow-ups to the case their earlier copy opened
(on the dev corpus 4,026 of 5,000 thread, 164 open cases). `--new-requests` gives each message
a sender of its own and renames its thread headers, so that every human message opens a case
with a draft and a receipt, as a mailbox of new requests does.

(a) varies a lot on a shared machine: `--repeat R` measures (a) and (b) R times in turn (the
processed mail moved back to the inbox, and (b) on a fresh database, between rounds) and prints
the spread of each and of their ratio; (c) runs once, on the last round's spool, and is set
against the median (a).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import os
import pstats
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/dovecot.py
sys.path.insert(0, str(HERE))  # pgcluster.py

from imapclient import IMAPClient
from pgcluster import database, postgres_cluster  # noqa: E402
from sqlalchemy import event
from sqlalchemy.engine import Engine

from privbot import pipeline as pipeline_module
from privbot.config import ImapConfig, load_config
from privbot.db import make_engine
from privbot.mail.imap import Poller
from privbot.pipeline import Context, run
from tests.dovecot import Dovecot


def corpus_messages(corpus: Path, count: int, new_requests: bool = False) -> list[bytes]:
    raws = [p.read_bytes() for p in sorted(corpus.glob("*.eml"))]
    if not raws:
        sys.exit("no .eml files in %s" % corpus)
    # A Message-ID of its own first: the first Message-ID header is the one privbot reads.
    messages = [
        b"Message-ID: <bench-%d@privbot.invalid>\r\n" % i + own_boundaries(i, raws[i % len(raws)])
        for i in range(count)
    ]
    return [as_new_request(i, m) for i, m in enumerate(messages)] if new_requests else messages


_BOUNDARY = re.compile(rb'boundary\s*=\s*"?([^";\s]+)', re.IGNORECASE)


def own_boundaries(i: int, raw: bytes) -> bytes:
    """`raw` with each of its MIME boundaries made its own (`-b17` added wherever it occurs), so
    that copies of one corpus mail do not share boundaries as no two real mails do."""
    boundaries = sorted(set(_BOUNDARY.findall(raw)), key=len, reverse=True)
    if not boundaries:
        return raw
    every = re.compile(b"|".join(re.escape(b) for b in boundaries))
    return every.sub(lambda m: m[0] + b"-b%d" % i, raw)


_FROM_ADDRESS = re.compile(rb"(?im)^(from:[^\n]*?)([\w.+-]+)@")
_THREAD_HEADER = re.compile(rb"(?im)^(in-reply-to|references):")


def as_new_request(i: int, raw: bytes) -> bytes:
    """`raw` from a sender of its own (`anna+n17@…`), its thread headers renamed: a new case,
    as a mailbox of new requests gets them, rather than a follow-up to the message's earlier
    copy. The body is untouched (a reference in it still threads)."""
    end = raw.find(b"\r\n\r\n")
    end = raw.find(b"\n\n") if end < 0 else end
    head, body = (raw, b"") if end < 0 else (raw[:end], raw[end:])
    head = _FROM_ADDRESS.sub(lambda m: m[1] + m[2] + b"+n%d@" % i, head, count=1)
    return _THREAD_HEADER.sub(rb"X-Was-\1:", head) + body


def fetch_floor(server: Dovecot, batch: int) -> tuple[float, int, int]:
    """(seconds, messages, bytes) for a plain fetch of every body."""
    started = time.perf_counter()
    total = size = 0
    with IMAPClient("127.0.0.1", port=server.port, ssl=False) as client:
        client.login(server.user, server.password)
        client.select_folder("INBOX", readonly=True)
        uids = client.search("ALL")
        for start in range(0, len(uids), batch):
            for data in client.fetch(uids[start : start + batch], ["BODY.PEEK[]"]).values():
                total += 1
                size += len(data[b"BODY[]"])
    return time.perf_counter() - started, total, size


def poller_child(args: argparse.Namespace) -> None:
    """Stage (b) in a process of its own: prints JSON with its time and peak RSS."""
    config = load_config(
        env={
            "PRIVBOT_HOME": args.home,
            **({"PRIVBOT_DATABASE_URL": args.database_url} if args.database_url else {}),
        }
    )
    cfg = ImapConfig(
        host="127.0.0.1",
        port=args.port,
        tls="none",
        user=args.user,
        password=os.environ["BENCH_IMAP_PASSWORD"],
        batch_size=args.batch_size,
    )
    engine = make_engine(config.database_url)
    poller = Poller(engine, cfg, config.max_message_bytes)
    poller.connect()
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    report = poller.cycle()
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    poller.close()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "cpu": cpu,
                "new": report.new,
                "moved": report.processed + report.quarantined,
                "rss_mb": after.ru_maxrss / 1024,
            }
        )
    )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "corpus", nargs="?", default=str(HERE.parent.parent / "shared" / "corpus" / "dev")
    )
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument(
        "--database-url", default="", help="PostgreSQL instead of a fresh SQLite file"
    )
    parser.add_argument(
        "--postgres", action="store_true", help="a throwaway PostgreSQL cluster (pgcluster.py)"
    )
    parser.add_argument("--profile", action="store_true", help="profile the pipeline stage (c)")
    parser.add_argument(
        "--statements", action="store_true", help="count the statements of stage (c)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="rounds of (a) and (b)")
    parser.add_argument(
        "--new-requests",
        action="store_true",
        help="every message from a sender of its own, none a reply: a case for each request",
    )
    parser.add_argument("--skip-pipeline", action="store_true", help="measure (a) and (b) only")
    parser.add_argument("--poller-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--home", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--user", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.poller_child:
        poller_child(args)
        return
    if args.postgres and not args.database_url:
        with postgres_cluster() as base:
            bench(args, lambda number: database(base, "bench_ingest_%d" % number))
    elif args.database_url and args.repeat > 1:
        sys.exit("--repeat needs a fresh database per round: use --postgres or SQLite")
    else:
        bench(args, lambda number: contextlib.nullcontext(args.database_url))


def poller_round(args: argparse.Namespace, server: Dovecot, home: Path) -> dict[str, float]:
    """Stage (b) in a child process; what it printed."""
    child = subprocess.run(
        [
            sys.executable,
            __file__,
            "--poller-child",
            "--home",
            str(home),
            "--port",
            str(server.port),
            "--user",
            server.user,
            "--batch-size",
            str(args.batch_size),
            "--database-url",
            args.database_url,
        ],
        env={**os.environ, "BENCH_IMAP_PASSWORD": server.password},
        capture_output=True,
        text=True,
        check=False,
    )
    if child.returncode != 0:
        sys.exit("poller stage failed:\n%s" % child.stderr[-3000:])
    result: dict[str, float] = json.loads(child.stdout.strip().splitlines()[-1])
    return result


def restore_inbox(server: Dovecot) -> None:
    """The mail (b) moved, back into the inbox for the next round (new UIDs, same bytes)."""
    with server.client() as client:
        for folder in ("privbot/processed", "privbot/quarantine"):
            name = server.folder(folder)
            if (
                client.folder_exists(name)
                and client.folder_status(name, [b"MESSAGES"])[b"MESSAGES"]
            ):
                client.select_folder(name)
                client.move("1:*", "INBOX")
                client.unselect_folder()


def spread(values: list[float]) -> str:
    if len(values) == 1:
        return "%.2f" % values[0]
    return "median %.2f, %.2f–%.2f" % (statistics.median(values), min(values), max(values))


def bench(
    args: argparse.Namespace,
    fresh_database: Callable[[int], contextlib.AbstractContextManager[str]],
) -> None:
    print(
        "%s; load average %.2f %.2f %.2f"
        % ("PostgreSQL" if args.postgres or args.database_url else "SQLite", *os.getloadavg())
    )
    messages = corpus_messages(Path(args.corpus), args.messages, args.new_requests)
    server = Dovecot()
    server.start()
    try:
        started = time.perf_counter()
        server.append(messages)
        print(
            "loaded %d messages (%.1f MB) into Dovecot %s in %.1f s"
            % (
                len(messages),
                sum(map(len, messages)) / 1e6,
                Dovecot.version().split()[0],
                time.perf_counter() - started,
            )
        )
        del messages

        floors: list[float] = []
        polls: list[float] = []
        with contextlib.ExitStack() as databases:
            for number in range(args.repeat):
                if number:
                    restore_inbox(server)
                home = Path(tempfile.mkdtemp(prefix="privbot-bench-"))
                args.database_url = databases.enter_context(fresh_database(number))
                floor_s, floor_n, floor_bytes = fetch_floor(server, args.batch_size)
                floors.append(floor_s)
                print(
                    "(a) plain imapclient fetch      %6d msgs  %7.2f s  %8.0f msg/s  (%.1f MB)"
                    % (floor_n, floor_s, floor_n / floor_s, floor_bytes / 1e6)
                )
                polled = poller_round(args, server, home)
                polls.append(polled["seconds"])
                print(
                    "(b) poller into the spool       %6d msgs  %7.2f s  %8.0f msg/s  (fetch, commit, move; %d moved; %.2f s CPU)"
                    % (
                        polled["new"],
                        polled["seconds"],
                        polled["new"] / polled["seconds"],
                        polled["moved"],
                        polled["cpu"],
                    )
                )
                print(
                    "    ratio of times (b)/(a)      %.2f   (aim ≤ 2); load average %.2f"
                    % (polled["seconds"] / floor_s, os.getloadavg()[0])
                )
            print("    poller peak RSS             %.0f MB (aim < 200 MB)" % polled["rss_mb"])
            if args.repeat > 1:
                print(
                    "over %d rounds: (a) %s s; (b) %s s; (b)/(a) %s; ratio of medians %.2f"
                    % (
                        args.repeat,
                        spread(floors),
                        spread(polls),
                        spread([b / a for a, b in zip(floors, polls, strict=True)]),
                        statistics.median(polls) / statistics.median(floors),
                    )
                )
            if not args.skip_pipeline:
                # (a) swings from round to round: (c) is set against its median
                pipeline(args, home, statistics.median(floors) / floor_n)
    finally:
        server.cleanup()


def pipeline(args: argparse.Namespace, home: Path, per_message_a: float) -> None:
    """Stage (c) on the spool the last round of (b) filled."""
    env = {
        "PRIVBOT_HOME": str(home),
        **({"PRIVBOT_DATABASE_URL": args.database_url} if args.database_url else {}),
    }
    config = load_config(env=env)
    engine = make_engine(config.database_url)
    ctx = Context.load(config)
    ctx.warm()  # as `privbot worker` does at start-up, before its first message
    profiler = cProfile.Profile() if args.profile else None
    statements = count_statements(engine) if args.statements else None
    started, cpu_started = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    counts = run(engine, ctx, limit=10**9)
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started  # this process only, not the database server's
    processed = sum(counts.values())
    print(
        "(c) pipeline spool → cases      %6d msgs  %7.2f s  %8.0f msg/s  (aim ≥ 500)  %s"
        % (
            processed,
            elapsed,
            processed / elapsed,
            ", ".join("%s %d" % kv for kv in sorted(counts.items())),
        )
    )
    print(
        "    ratio of times (c)/(a)      %.1f   (aim ≤ 15), per message; load average %.2f %.2f %.2f"
        % ((elapsed / processed) / per_message_a, *os.getloadavg())
    )
    print(
        "    privbot's own CPU            %7.2f s  %8.0f msg/s of CPU (the figure that load on a "
        "shared machine disturbs least)" % (cpu, processed / cpu)
    )
    if statements is not None:
        report_statements(statements, processed)
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)


def count_statements(engine: Engine) -> dict[str, int]:
    """Count the statements sent on `engine` from now on: those made while `process` handles a
    message under its disposition ("<disposition>" and "<disposition> messages"), the rest
    under "batch"."""
    counts: dict[str, int] = {}
    current = ["batch"]

    @event.listens_for(engine, "before_cursor_execute")
    def counted(*_: object) -> None:
        counts[current[0]] = counts.get(current[0], 0) + 1

    process = pipeline_module.process

    def counting(
        session: Any, entry: Any, ctx: Any, parsed: Any = None, reading: Any = None
    ) -> Any:
        current[0] = "message"
        try:
            outcome = process(session, entry, ctx, parsed, reading)
        finally:
            made, current[0] = counts.pop("message", 0), "batch"
        key = outcome.disposition.value
        counts[key] = counts.get(key, 0) + made
        counts[key + " messages"] = counts.get(key + " messages", 0) + 1
        return outcome

    pipeline_module.process = counting
    return counts


def report_statements(counts: dict[str, int], processed: int) -> None:
    total = sum(v for k, v in counts.items() if not k.endswith(" messages"))
    print(
        "    statements %d in all, %.2f per message; per batch %d"
        % (total, total / processed, counts.get("batch", 0))
    )
    for key in sorted(k for k in counts if k.endswith(" messages")):
        kind, messages = key.split()[0], counts[key]
        print(
            "    statements while processing: %-10s %6d for %5d messages, %.2f each"
            % (kind, counts.get(kind, 0), messages, counts.get(kind, 0) / messages)
        )


if __name__ == "__main__":
    main(sys.argv[1:])
