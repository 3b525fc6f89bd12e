"""The classifier and the mail reading modules as installed (compiled by mypyc where a C compiler
was at hand) and as source read the same: both run over the same mail and texts and must give
the same parse, prepare, screen and classification. Compiled, a value is checked against its
declared type, so mail with hostile headers (raw 8-bit bytes where compat32 answers a `Header`)
is among it."""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

import privbot.classify.match
from privbot.classify.intents import load_intents
from privbot.classify.match import classify, classify_text
from privbot.errors import ParseError
from privbot.mail.parse import parse
from privbot.mail.prepare import prepare
from privbot.mail.screen import screen
from tests.classify.test_breadth import NEGATIVE, POSITIVE

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "privbot"
DATA = ROOT / "tests" / "data"

# run in a process of its own on a copy of the package without compiled modules
_DUMP = """
import json, sys
from pathlib import Path
import privbot.classify.match, privbot.mail.parse
from tests.classify.test_compiled import classify_all
for module in (privbot.classify.match, privbot.mail.parse):
    assert module.__file__.endswith(".py"), module.__file__
texts, mails = json.loads(sys.stdin.read())
print(json.dumps(classify_all(texts, mails)))
"""


def classify_all(texts: list[str], mails: list[str]) -> list[object]:
    """Each text's classification as JSON; each mail (a path, or the hostile mail numbered so
    in `hostile_mails`) as parsed, prepared (as a form relay's too), screened and classified,
    or the reason it is unreadable."""
    rules = load_intents(ROOT / "intents")
    hostile = hostile_mails()
    out: list[object] = [classify_text("", t, rules).as_json() for t in texts]
    for name in mails:
        raw = hostile[int(name)] if name.isdigit() else Path(name).read_bytes()
        try:
            mail = parse(raw)
        except ParseError as error:
            out.append(str(error))
            continue
        prepared = prepare(mail)
        relayed = prepare(mail, (mail.from_addr,), (mail.from_addr.rpartition("@")[2],))
        screened = screen(mail, ("dataskydd@it-team.se",), rules.screening, prepared.new_text)
        out.append(
            [
                repr(mail),
                {n: mail.header(n) for n in mail.raw_headers},
                repr(prepared),
                repr(relayed),
                repr(screened),
            ]
            + [classify(mail, rules).as_json()]
        )
    return out


# Values no header should have, in every header parsing reads: raw 8-bit bytes (compat32
# answers them as a `Header`), broken and unknown encoded words, RFC 2231 parameters, NULs.
_HOSTILE_VALUES = (
    "Beg\xe4ran om radering \xc3\xa5tkomst".encode("latin-1"),
    b"=?utf-8?q?Beg=C3=A4ran?= =?x-unknown?b?AAAA?= =?utf-8?b?broken",
    b'text/plain; charset="utf-8\xff"; name*=utf-8\'\'%E5r.txt; name*0="a"',
    b'multipart/mixed; boundary="\xc3\xa5\xc3\xa4"',
    b"attachment; filename*=x-unknown''%FF%FE.pdf",
    b"<\xff\xfe@example.se> <a@b>",
    b"\x00\x01 Anna \xe5 <anna@example.se>, =?utf-8?q?=00?= <@>",
    b"Mon, 32 Foo 99999 25:61:61 +9999",
)
_HOSTILE_HEADERS = (
    "Subject",
    "From",
    "To",
    "Reply-To",
    "Return-Path",
    "Content-Type",
    "Content-Disposition",
    "Content-Transfer-Encoding",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Date",
    "Auto-Submitted",
)


def hostile_mails() -> list[bytes]:
    """A plain and a multipart mail with each hostile value in each header, and in a part's."""
    body = "Jag vill få en kopia av mina uppgifter.".encode()
    mails = []
    for header in _HOSTILE_HEADERS:
        for value in _HOSTILE_VALUES:
            line = header.encode() + b": " + value + b"\r\n"
            head = b"From: Anna <anna@example.se>\r\nSubject: Kopia\r\n"
            mails.append(line + head + b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + body)
            mails.append(
                head
                + b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b1\r\n\r\n"
                + b"--b1\r\n"
                + line
                + b"\r\n"
                + body
                + b"\r\n--b1--\r\n"
            )
    return mails


def _compiled(directory: Path) -> list[Path]:
    return [p for p in directory.iterdir() if p.name.endswith(tuple(EXTENSION_SUFFIXES))]


def test_source_and_installed_classifier_agree(tmp_path: Path) -> None:
    texts = [p.values[0] for p in POSITIVE + NEGATIVE]
    mails = sorted(str(p) for p in (DATA / "malformed").glob("*.eml"))
    mails += sorted(str(p) for p in (DATA / "sisimai-set-of-emails").rglob("*.eml"))[:150]
    mails += [str(n) for n in range(len(hostile_mails()))]
    here = classify_all(texts, mails)

    source = tmp_path / "src"
    shutil.copytree(PACKAGE, source / "privbot", ignore=shutil.ignore_patterns("*.so", "*.pyd"))
    assert not _compiled(source / "privbot" / "classify")
    assert not _compiled(source / "privbot" / "mail")
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


@pytest.mark.parametrize(("package", "module"), [("classify", "match"), ("mail", "parse")])
def test_compiled_module_older_than_its_source_is_refused(
    tmp_path: Path, package: str, module: str
) -> None:
    """After an edit, a compiled module left from the last install would run the old code."""
    copy = tmp_path / "privbot"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("*.so", "*.pyd"))
    built = copy / package / f"{module}{EXTENSION_SUFFIXES[0]}"
    built.write_bytes(b"not a real extension module")
    os.utime(built, (1_000_000_000, 1_000_000_000))  # compiled long before the source
    run = subprocess.run(
        [sys.executable, "-c", f"import privbot.{package}.{module}"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert run.returncode == 1
    assert f"privbot.{package}: {module}.py changed after it was compiled" in run.stderr
    assert "pip install" in run.stderr


def test_reading_leaves_nothing_for_the_garbage_collector() -> None:
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
        for raw in hostile_mails():
            try:
                mail = parse(raw)
            except ParseError:
                continue
            screen(mail, ("dataskydd@it-team.se",), rules.screening, prepare(mail).new_text)
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert unreachable == 0
