"""Figures for the chat.

    .venv/bin/python benchmarks/chat.py [--rounds 5]
        the question table of tests/chat/test_questions.py: how many cite the right section, and
        the response time (p50/p95) of POST /api/chat on loopback, against a real uvicorn
    .venv/bin/python benchmarks/chat.py --questions ../shared/chat/questions-dev.jsonl [--errors]
        labelled questions ({"q", "sections", "lang"}; sections [] = outside the policy), asked
        through the real ChatBot one conversation each: right = a cited section is one of the
        labelled ones, or nothing cited when the policy does not answer. The lines listed in
        tests/data/chat_blind_split.txt are the blind part, reported apart (--errors shows the
        tuning part's misses only); in any other file (the probes' chat.jsonl) the even lines.

Uses a throw-away data directory; mail goes to the outbox folder there.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import uvicorn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from privbot.chat.bot import ChatBot  # noqa: E402
from privbot.config import load_config  # noqa: E402
from privbot.db import make_engine  # noqa: E402
from privbot.web.app import create_app  # noqa: E402
from tests.chat.test_questions import QUESTIONS  # noqa: E402
from tests.helpers import free_port  # noqa: E402

BLIND = ROOT / "tests" / "data" / "chat_blind_split.txt"


def _config(home: Path, port: int = 0):  # type: ignore[no-untyped-def]
    # generous limits: this measures answering, not the rate limiter
    return load_config(
        env={"PRIVBOT_HOME": str(home)},
        web_port=port or free_port(),
        extra={"chat": {"per_client_per_minute": 10**6, "per_session_per_minute": 10**6}},
    )


def _why_declined(bot: ChatBot, question: str) -> str:
    """Which gate declined a question: an [outside] topic, the trade, no policy concept
    named, or a weak match (score or coverage)."""
    answerer = bot.answerer
    vocabulary = answerer.vocabulary
    if any("~outside" in forms for forms in vocabulary.outside.forms(question)):
        return "outside_topic"
    about = answerer.about_the_policy(question)
    return "trade" if about is None else "weak_match" if about else "no_policy_concept"


def labelled(path: Path, show_errors: bool) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    blind = set()
    if path.name == "questions-dev.jsonl":
        blind = {int(line) for line in BLIND.read_text().splitlines() if line.strip().isdigit()}
    else:  # benchmarks/data/probes/chat.jsonl: the even lines are blind (its README)
        blind = set(range(2, len(rows) + 1, 2))
    config = _config(Path(tempfile.mkdtemp(prefix="privbot-bench-")))
    started = time.perf_counter()
    bot = ChatBot.load(config, make_engine(config.database_url))
    load_ms = (time.perf_counter() - started) * 1000
    bot.handle(None, "hej", client="bench")  # first use: caches warm
    tally = {"tuning": Counter[str](), "blind": Counter[str]()}
    timings: list[float] = []
    for number, row in enumerate(rows, 1):
        part = "blind" if number in blind else "tuning"
        started = time.perf_counter()
        reply = bot.handle(None, row["q"], client="bench")
        timings.append(time.perf_counter() - started)
        gold, cited = set(row["sections"]), set(reply.citations)
        right = bool(cited & gold) if gold else not cited
        counts = tally[part]
        counts["n"] += 1
        counts["right"] += right
        counts["strict"] += right and (cited <= gold if gold else True)
        counts["outside"] += not gold
        counts["outside_declined"] += not gold and right
        if not right:  # failure classes: counts only, so the blind part's text stays unseen
            kind = "outside_cited" if not gold else "declined" if not cited else "wrong_section"
            if kind == "declined":
                kind += ":" + _why_declined(bot, row["q"])
            counts["fail:" + kind] += 1
        if show_errors and part == "tuning" and not right:
            print(
                "line %d [%s] wanted %s, cited %s: %s"
                % (number, row["lang"], sorted(gold) or "none", sorted(cited) or "none", row["q"])
            )
    for part, c in tally.items():
        if not c["n"]:
            continue
        print(
            "%-6s %3d/%3d right (%.1f %%), %3d cite only right sections; outside the policy: "
            "%d/%d declined"
            % (
                part,
                c["right"],
                c["n"],
                100.0 * c["right"] / c["n"],
                c["strict"],
                c["outside_declined"],
                c["outside"],
            )
        )
        fails = {k[5:]: v for k, v in sorted(c.items()) if k.startswith("fail:")}
        print("       misses: %s" % (", ".join("%s %d" % kv for kv in fails.items()) or "none"))
    total = tally["tuning"] + tally["blind"]
    print(
        "all    %3d/%3d right (%.1f %%)"
        % (total["right"], total["n"], 100.0 * total["right"] / total["n"])
    )
    if tally["tuning"]["n"] and tally["blind"]["n"]:
        gap = (
            tally["tuning"]["right"] / tally["tuning"]["n"]
            - tally["blind"]["right"] / tally["blind"]["n"]
        )
        print("gap tuning - blind: %.3f" % gap)
    timings.sort()
    print(
        "per question (ChatBot.handle, SQLite): n=%d  p50 %.1f ms  p99 %.1f ms  max %.1f ms; "
        "loading the bot %.0f ms"
        % (
            len(timings),
            statistics.median(timings) * 1000,
            timings[int(0.99 * (len(timings) - 1))] * 1000,
            timings[-1] * 1000,
            load_ms,
        )
    )


def table(rounds: int) -> None:
    home = Path(tempfile.mkdtemp(prefix="privbot-bench-"))
    port = free_port()
    config = _config(home, port)
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
        for round_no in range(rounds):
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5, help="passes over the question table")
    parser.add_argument("--questions", type=Path, help="a labelled questions .jsonl to score")
    parser.add_argument("--errors", action="store_true", help="list the tuning part's misses")
    args = parser.parse_args()
    if args.questions:
        labelled(args.questions, args.errors)
    else:
        table(args.rounds)


if __name__ == "__main__":
    main()
