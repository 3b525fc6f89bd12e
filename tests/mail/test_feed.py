"""The private feed parser (`mail/feed.py`) reads mail as `email.message_from_bytes` does, and its
literal boundary matcher matches the lines the stdlib's boundary regex matches, with its groups,
and its line-end finder finds what the stdlib's `NLCRE_eol` finds."""

from __future__ import annotations

import email
import re
from email import policy
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from privbot.mail import feed
from privbot.mail.feed import Boundary, LineEnd, message_from_bytes
from privbot.mail.parse import _Message, normalise_line_endings

DATA = Path(__file__).parents[1] / "data"


def _stdlib_regex(separator: str) -> re.Pattern[str]:
    """What `email.feedparser` compiles for a boundary."""
    return re.compile(
        "(?P<sep>" + re.escape(separator) + r")(?P<end>--)?(?P<ws>[ \t]*)(?P<linesep>\r\n|\r|\n)?$"
    )


_GROUPS = ("sep", "end", "ws", "linesep")
_LINE = st.text(alphabet="-ab \t\r\n.=_+()?*\\", max_size=12)


@given(separator=st.text(alphabet="-ab.=_+()?*\\ \t", min_size=1, max_size=6), suffix=_LINE)
@example(separator="--b", suffix="--  \r\n\n")
@example(separator="--b", suffix="\n\n")
@example(separator="--b", suffix="- \n")
@example(separator="--b", suffix="---\r\n")
def test_boundary_matches_as_the_regex(separator: str, suffix: str) -> None:
    separator = "--" + separator
    for line in (separator + suffix, suffix, separator[:-1] + suffix):
        expected = _stdlib_regex(separator).match(line)
        found = Boundary(separator).match(line)
        assert (found is None) == (expected is None), repr(line)
        if expected is not None and found is not None:
            assert [found.group(g) for g in _GROUPS] == [expected.group(g) for g in _GROUPS]


@given(text=st.text(alphabet="a \t\r\n\x85\u2028", max_size=8))
@example(text="a\r\n")
@example(text="\n\r")
@example(text="\r\r")
@example(text="\n\n")
def test_the_line_end_is_found_as_the_regex_finds_it(text: str) -> None:
    expected = re.compile(r"(\r\n|\r|\n)\Z").search(text)
    found = LineEnd().search(text)
    assert (found is None) == (expected is None)
    if expected is not None and found is not None:
        assert (found.group(0), found.group(1)) == (expected.group(0), expected.group(1))


def test_the_feed_parser_finds_line_ends_with_line_end() -> None:
    assert isinstance(feed._feedparser.NLCRE_eol, LineEnd)


def _tree(msg: Message) -> list[Any]:
    payload = msg.get_payload()
    return [
        type(msg).__name__,
        msg._headers,  # type: ignore[attr-defined]
        msg.preamble,
        msg.epilogue,
        [(type(d).__name__, str(d)) for d in msg.defects],
        msg.get_default_type(),
        [_tree(p) for p in payload] if isinstance(payload, list) else payload,
    ]


def test_mail_parses_into_the_stdlib_parsers_tree() -> None:
    files = sorted(DATA.rglob("*.eml"))
    assert len(files) > 500
    for path in files:
        raw = path.read_bytes()
        for data in (raw, normalise_line_endings(raw)):
            ours = message_from_bytes(data, _Message)
            stdlib = email.message_from_bytes(data, _class=_Message, policy=policy.compat32)
            assert _tree(ours) == _tree(stdlib), path


def test_a_multipart_boundary_is_matched_literally(monkeypatch: pytest.MonkeyPatch) -> None:
    """The feed parser still compiles its boundary pattern as `feed` expects (else every
    boundary would be compiled again, as before, and nothing else would say so)."""
    made: list[object] = []
    real = feed._feedparser.re

    class Recording:  # the parser's `re`, each pattern it compiles noted
        def compile(self, pattern: str, flags: int = 0) -> Any:
            made.append(real.compile(pattern, flags))
            return made[-1]

        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

    # its module's `re`, not an attribute of it: `feed` may be compiled (its classes closed)
    monkeypatch.setitem(feed._feedparser.__dict__, "re", Recording())
    mail = (DATA / "sisimai-set-of-emails" / "rfc3464-01.eml").read_bytes()
    message_from_bytes(normalise_line_endings(mail), _Message)
    assert made and all(isinstance(m, Boundary) for m in made)
