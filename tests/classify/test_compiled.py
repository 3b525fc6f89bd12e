"""The classifier as installed (compiled by mypyc where a C compiler was at hand) and as source
read the same: both run over the same mail and texts and must give the same classifications."""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import privbot.classify.match
from privbot.classify.intents import load_intents
from privbot.classify.match import classify, classify_text
from privbot.errors import ParseError
from privbot.mail.parse import parse
from tests.classify.test_breadth import NEGATIVE, POSITIVE

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "privbot"
DATA = ROOT / "tests" / "data"

# run in a process of its own on a copy of the package without compiled modules
_DUMP = """
import json, sys
from pathlib import Path
import privbot.classify.match
from tests.classify.test_compiled import classify_all
assert privbot.classify.match.__file__.endswith(".py"), privbot.classify.match.__file__
texts, mails = json.loads(sys.stdin.read())
print(json.dumps(classify_all(texts, mails)))
"""


def classify_all(texts: list[str], mails: list[str]) -> list[object]:
    """Each text's and mail's classification as JSON, or the reason a mail is unreadable."""
    rules = load_intents(ROOT / "intents")
    out: list[object] = [classify_text("", t, rules).as_json() for t in texts]
    for path in mails:
        try:
            out.append(classify(parse(Path(path).read_bytes()), rules).as_json())
        except ParseError as error:
            out.append(str(error))
    return out


def _compiled(directory: Path) -> list[Path]:
    return [p for p in directory.iterdir() if p.name.endswith(tuple(EXTENSION_SUFFIXES))]


def test_source_and_installed_classifier_agree(tmp_path: Path) -> None:
    texts = [p.values[0] for p in POSITIVE + NEGATIVE]
    mails = sorted(str(p) for p in (DATA / "malformed").glob("*.eml"))
    mails += sorted(str(p) for p in (DATA / "sisimai-set-of-emails").rglob("*.eml"))[:150]
    here = classify_all(texts, mails)

    source = tmp_path / "src"
    shutil.copytree(PACKAGE, source / "privbot", ignore=shutil.ignore_patterns("*.so", "*.pyd"))
    assert not _compiled(source / "privbot" / "classify")
    run = subprocess.run(
        [sys.executable, "-c", _DUMP],
        input=json.dumps([texts, mails]),
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(source), str(ROOT)])},
        check=True,
    )
    there = json.loads(run.stdout)
    assert len(there) == len(here) == len(texts) + len(mails) > 1000
    differing = [k for k, (a, b) in enumerate(zip(here, there, strict=True)) if a != b]
    assert not differing, (privbot.classify.match.__file__, differing[:5])


def test_compiled_module_older_than_its_source_is_refused(tmp_path: Path) -> None:
    """After an edit, a compiled module left from the last install would run the old rules."""
    copy = tmp_path / "privbot"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("*.so", "*.pyd"))
    built = copy / "classify" / f"match{EXTENSION_SUFFIXES[0]}"
    built.write_bytes(b"not a real extension module")
    os.utime(built, (1_000_000_000, 1_000_000_000))  # compiled long before the source
    run = subprocess.run(
        [sys.executable, "-c", "import privbot.classify.match"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert run.returncode == 1
    assert "match.py changed after it was compiled" in run.stderr
    assert "pip install" in run.stderr


def test_classifying_leaves_nothing_for_the_garbage_collector() -> None:
    """Compiled, closures and the frame they share keep each other alive: a message's tokens
    would then wait for the garbage collector, and the collector would run ever more often."""
    rules = load_intents(ROOT / "intents")
    texts = [p.values[0] for p in POSITIVE[:200] + NEGATIVE[:50]]
    mails = []
    for path in sorted((DATA / "malformed").glob("*.eml")):
        try:
            mails.append(parse(path.read_bytes()))
        except ParseError:
            continue
    assert len(mails) > 20
    gc.collect()
    gc.disable()
    try:
        for text in texts:
            classify_text("Begäran", text, rules)
        for mail in mails:
            classify(mail, rules)
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert unreachable == 0
