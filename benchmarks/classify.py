"""Throughput and tail latency of the classifier over a mail corpus, repeated in one process.

Usage: python benchmarks/classify.py [CORPUS_DIR] [--messages N]
Measures (1) raw bytes → parse → prepare → classify and (2) classification alone on already
prepared text, and prints messages/s and the 99th-percentile time per message for each, and
whether the classifier ran compiled (mypyc) or as source.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from privbot.classify import match
from privbot.classify.intents import load_intents
from privbot.classify.match import classify_prepared, classify_text
from privbot.errors import ParseError
from privbot.mail.parse import parse
from privbot.mail.prepare import prepare

HERE = Path(__file__).resolve().parent


def _report(label: str, times: list[float]) -> None:
    total = sum(times)
    p99 = statistics.quantiles(times, n=100)[98] * 1000
    print(
        f"{label:32} {len(times):6d} msgs  {len(times) / total:8.0f} msg/s  p99 {p99:6.2f} ms  max {max(times) * 1000:6.2f} ms"
    )


def main(argv: list[str]) -> None:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument(
        "corpus", nargs="?", default=str(HERE.parent.parent / "shared" / "corpus" / "dev")
    )
    args.add_argument("--messages", type=int, default=10_000)
    args.add_argument("--intents", default=str(HERE.parent / "intents"))
    opts = args.parse_args(argv)
    raws = [p.read_bytes() for p in sorted(Path(opts.corpus).glob("*.eml"))]
    if not raws:
        sys.exit(f"no .eml files in {opts.corpus}")
    intents = load_intents(Path(opts.intents))
    rounds = -(-opts.messages // len(raws))

    raw_times: list[float] = []
    prepared = []
    for _ in range(rounds):
        for raw in raws:
            start = time.perf_counter()
            try:
                mail = parse(raw)
            except ParseError:
                raw_times.append(time.perf_counter() - start)
                continue
            ready = prepare(mail)
            classify_prepared(mail, ready, intents)
            raw_times.append(time.perf_counter() - start)
            if len(prepared) < len(raws):
                prepared.append((mail.subject, ready.new_text))

    text_times: list[float] = []
    for _ in range(-(-opts.messages // len(prepared))):
        for subject, text in prepared:
            start = time.perf_counter()
            classify_text(subject, text, intents)
            text_times.append(time.perf_counter() - start)

    build = (
        "compiled (mypyc)" if match.__file__ and not match.__file__.endswith(".py") else "source"
    )
    print(f"corpus {opts.corpus}: {len(raws)} files, {rounds} rounds; classifier {build}")
    _report("raw bytes (parse+prepare+classify)", raw_times)
    _report("classification of prepared text", text_times)


if __name__ == "__main__":
    main(sys.argv[1:])
