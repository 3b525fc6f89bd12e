"""Intent figures on the labelled corpora, split into the tuning part and the blind part.

Usage: python benchmarks/understanding.py [--shared DIR] [--errors] [--corpus dev dev2]

Classifies every file of `../shared/corpus/{dev,dev2}` in process (as `privbot classify --json`
does), splits the results by `tests/data/blind_split.txt` and scores each part with
`../shared/tools/score_intents.py`: messages, kind, language, exact set, macro-F1 and the
per-intent precision/recall/F1 table. `--errors` lists the disagreements of the TUNING part
only; the blind part is only ever shown as aggregate figures.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from privbot.classify.intents import load_intents
from privbot.classify.match import classify
from privbot.errors import ParseError
from privbot.mail.parse import parse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# ../shared beside the checkout; a worktree under /work/wt/NAME finds it one level further up
SHARED = next(
    (d for d in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if d.is_dir()),
    ROOT.parent / "shared",
)


def _blind(split: Path) -> set[str]:
    lines = split.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def _predict(path: Path, intents: Any) -> dict[str, Any]:
    try:
        mail = parse(path.read_bytes())
    except ParseError as exc:
        return {"kind": "human", "language": "other", "intents": [], "quarantined": str(exc)}
    return classify(mail, intents).as_json()


def _score(
    scorer: Path, gold: list[dict[str, Any]], pred: list[dict[str, Any]], errors: bool
) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        g, p = Path(tmp, "gold.jsonl"), Path(tmp, "pred.jsonl")
        g.write_text("".join(json.dumps(r) + "\n" for r in gold), encoding="utf-8")
        p.write_text("".join(json.dumps(r) + "\n" for r in pred), encoding="utf-8")
        args = [sys.executable, str(scorer), str(g), str(p)] + (["--errors"] if errors else [])
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def main(argv: list[str]) -> None:
    opts = argparse.ArgumentParser(description=__doc__)
    opts.add_argument("--shared", default=str(SHARED))
    opts.add_argument("--corpus", nargs="+", default=["dev", "dev2"])
    opts.add_argument("--split", default=str(ROOT / "tests" / "data" / "blind_split.txt"))
    opts.add_argument("--intents", default=str(ROOT / "intents"))
    opts.add_argument("--errors", action="store_true", help="disagreements of the tuning part")
    args = opts.parse_args(argv)
    shared = Path(args.shared)
    scorer = shared / "tools" / "score_intents.py"
    blind = _blind(Path(args.split))
    intents = load_intents(Path(args.intents))
    parts: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {
        "tuning": ([], []),
        "blind": ([], []),
    }
    for corpus in args.corpus:
        folder = shared / "corpus" / corpus
        labels = folder / "labels.jsonl"
        if not labels.is_file():
            sys.exit(f"no labels in {folder}")
        for line in labels.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            gold = json.loads(line)
            key = f"{corpus}/{gold['file']}"
            name = key.replace("/", "_")  # the scorer matches base names
            pred = {"file": name, **_predict(folder / gold["file"], intents)}
            gold_row, pred_row = parts["blind" if key in blind else "tuning"]
            gold_row.append({**gold, "file": name})
            pred_row.append(pred)
    for part, (gold_rows, pred_rows) in parts.items():
        print(f"=== {part} part ({', '.join(args.corpus)}) ===")
        print(_score(scorer, gold_rows, pred_rows, args.errors and part == "tuning"))


if __name__ == "__main__":
    main(sys.argv[1:])
