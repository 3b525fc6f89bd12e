"""Figures for the chat: how many questions of the test table cite the right section, and the
response time (p50/p95) of POST /api/chat on loopback, measured against a real uvicorn.

    .venv/bin/python benchmarks/chat.py [--rounds 5]

Uses a throw-away data directory; mail goes to the outbox folder there.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from privbot.config import load_config  # noqa: E402
from privbot.db import make_engine  # noqa: E402
from privbot.web.app import create_app  # noqa: E402
from tests.chat.test_questions import QUESTIONS  # noqa: E402
from tests.helpers import free_port  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5, help="passes over the question table")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="privbot-bench-"))
    port = free_port()
    # generous limits: this measures answering, not the rate limiter
    config = load_config(
        env={"PRIVBOT_HOME": str(home)},
        web_port=port,
        extra={"chat": {"per_client_per_minute": 10**6, "per_session_per_minute": 10**6}},
    )
    engine = make_engine(config.database_url)
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(config, engine),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            ws="none",
            lifespan="off",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    url = "http://127.0.0.1:%d/api/chat" % port
    right = 0
    timings: list[float] = []
    with httpx.Client() as client:
        for round_no in range(args.rounds):
            session_id = None
            for question, section in QUESTIONS:
                started = time.perf_counter()
                data = client.post(url, json={"session_id": session_id, "message": question}).json()
                timings.append(time.perf_counter() - started)
                session_id = (
                    data["session_id"] if round_no % 2 else None
                )  # half the passes in one conversation
                if round_no == 0:
                    right += section in data["citations"]
    server.should_exit = True
    thread.join(timeout=10)
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print("question table: %d/%d cite the right section" % (right, len(QUESTIONS)))
    print(
        "POST /api/chat on loopback: n=%d  p50 %.1f ms  p95 %.1f ms  max %.1f ms"
        % (len(timings), statistics.median(timings) * 1000, p95 * 1000, timings[-1] * 1000)
    )


if __name__ == "__main__":
    main()
