"""Figures for the SMTP intake while another process holds SQLite's write lock: the time to the
220 greeting and to the 451 answer for N parallel senders, then the time to 250 once the lock
is released.

    .venv/bin/python benchmarks/intake_locked.py [--senders 30] [--store-timeout 3]

Uses a throw-away data directory.
"""

from __future__ import annotations

import argparse
import smtplib
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from privbot.config import load_config  # noqa: E402
from privbot.db import make_engine  # noqa: E402
from privbot.mail.smtp import Intake  # noqa: E402
from tests.conftest import free_port  # noqa: E402

MESSAGE = (
    "From: a@example.se\r\nTo: dataskydd@it-team.se\r\nSubject: Radera\r\n"
    "Message-ID: <bench-%d@example.se>\r\n\r\nRadera mig.\r\n"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--senders", type=int, default=30)
    parser.add_argument("--store-timeout", type=float, default=3.0)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="privbot-bench-"))
    config = replace(
        load_config(env={"PRIVBOT_HOME": str(home)}), intake_store_timeout=args.store_timeout
    )
    engine = make_engine(config.database_url)
    intake = Intake(engine, config, port=free_port())
    intake.start()
    greeting: list[float] = []
    answered: list[tuple[float, int]] = []
    lock = threading.Lock()

    def sender(n: int) -> None:
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", intake.port, timeout=120) as smtp:
            greeted = time.perf_counter() - started
            try:
                smtp.sendmail("a@example.se", ["dataskydd@it-team.se"], MESSAGE % n)
                code = 250
            except smtplib.SMTPDataError as exc:
                code = exc.smtp_code
        with lock:
            greeting.append(greeted)
            answered.append((time.perf_counter() - started, code))

    locker = sqlite3.connect(str(home / "privbot.db"), isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")
    threads = [threading.Thread(target=sender, args=(n,)) for n in range(args.senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    locker.execute("ROLLBACK")
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", intake.port, timeout=120) as smtp:
        smtp.sendmail("a@example.se", ["dataskydd@it-team.se"], MESSAGE % 0)
    unlocked = time.perf_counter() - started
    intake.stop()
    engine.dispose()
    codes = [code for _, code in answered]
    times = sorted(t for t, _ in answered)
    print(
        "locked: %d senders; greeting max %.3f s; answers %s; answer p50 %.2f s, max %.2f s"
        % (
            args.senders,
            max(greeting),
            {c: codes.count(c) for c in sorted(set(codes))},
            statistics.median(times),
            times[-1],
        )
    )
    print("unlocked: one message accepted in %.3f s" % unlocked)


if __name__ == "__main__":
    main()
