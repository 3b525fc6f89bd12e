"""The stdlib feed parser (`email.feedparser`, compat32), without a regex compiled per boundary.

For every multipart part the feed parser compiles a regex of its boundary
(`--BOUNDARY(--)?[ \\t]*(\\r\\n|\\r|\\n)?$`), and every mail has boundaries of its own, so the
regex cache never helps: the compiling was a third of parsing a multipart mail. `parse` uses a
private copy of the feed parser module (the stdlib's, executed again; `email.feedparser` itself
is untouched) whose `re.compile` answers that one pattern with `Boundary`, a matcher of the
literal boundary that matches the same lines and gives the same groups; every other pattern is
compiled by `re` as before. Its regex for the line end at the end of a text, `NLCRE_eol`, is
answered by `LineEnd` without trying every position of the text.
"""

from __future__ import annotations

import importlib.util
import re
from email import policy
from email.message import Message
from types import ModuleType
from typing import Any

# the pattern `email.feedparser` compiles for a multipart's boundary, around re.escape("--" + b)
_HEAD = "(?P<sep>"
_TAIL = r")(?P<end>--)?(?P<ws>[ \t]*)(?P<linesep>\r\n|\r|\n)?$"
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)

# What may follow the boundary, its "--" and its blanks in a line the regex matches, and the
# `linesep` group it gives: `$` matches at the end and before a final "\n".
_LINE_ENDS: dict[str, str | None] = {
    "": None,
    "\r\n": "\r\n",
    "\r": "\r",
    "\n": "\n",
    "\r\n\n": "\r\n",
    "\n\n": "\n",
}


class BoundaryMatch:
    """The groups of the boundary regex's match."""

    __slots__ = ("_groups",)

    def __init__(self, sep: str, end: str | None, ws: str, linesep: str | None) -> None:
        self._groups = {"sep": sep, "end": end, "ws": ws, "linesep": linesep}

    def group(self, name: str) -> str | None:
        return self._groups[name]


class Boundary:
    """`re.compile(_HEAD + re.escape(separator) + _TAIL)`'s `match`, on the literal separator."""

    __slots__ = ("separator", "_size")

    def __init__(self, separator: str) -> None:
        self.separator = separator
        self._size = len(separator)

    def match(self, line: str) -> BoundaryMatch | None:
        if not line.startswith(self.separator):
            return None
        rest = line[self._size :]
        end = None
        if rest.startswith("--"):  # else the regex's (?P<end>--)? matches nothing: `rest` as is
            end, rest = "--", rest[2:]
        tail = rest.lstrip(" \t")  # [ \t]* takes them all: a blank is no line end
        if tail not in _LINE_ENDS:
            return None
        return BoundaryMatch(self.separator, end, rest[: len(rest) - len(tail)], _LINE_ENDS[tail])


class LineEndMatch:
    """The groups of `NLCRE_eol`'s match: the line end, whole (0) and as its one group (1)."""

    __slots__ = ("_end",)

    def __init__(self, end: str) -> None:
        self._end = end

    def group(self, index: int = 0) -> str:
        if index not in (0, 1):
            raise IndexError("no such group")
        return self._end


class LineEnd:
    """`re.compile(r"(\\r\\n|\\r|\\n)\\Z").search`, the feed parser's `NLCRE_eol`: the line end
    at the end of the text. The feed parser looks for it in every part's whole payload, and the
    regex is tried at every position of it (a tenth of parsing a multipart mail): the text's
    last characters say the same. The leftmost match is a CRLF if the text ends in one, else
    the last character if it is a CR or LF."""

    def search(self, text: str) -> LineEndMatch | None:
        if text.endswith("\r\n"):
            return LineEndMatch("\r\n")
        if text.endswith(("\r", "\n")):
            return LineEndMatch(text[-1])
        return None


class _Re:
    """`re` for the private feed parser: its boundary pattern answered by `Boundary`."""

    def compile(self, pattern: str, flags: int = 0) -> Any:
        if not flags and pattern.startswith(_HEAD) and pattern.endswith(_TAIL):
            escaped = pattern[len(_HEAD) : -len(_TAIL)]
            separator = _ESCAPED.sub(lambda m: m[1], escaped)
            if re.escape(separator) == escaped:
                return Boundary(separator)
        return re.compile(pattern, flags)

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)


def _private_feedparser() -> ModuleType:
    spec = importlib.util.find_spec("email.feedparser")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # `_parsegen` looks `re` up when it meets a multipart, after the module is loaded
    module.__dict__["re"] = _Re()
    module.__dict__["NLCRE_eol"] = LineEnd()
    return module


_feedparser = _private_feedparser()


def message_from_bytes(data: bytes, message_class: type[Message]) -> Message:
    """`email.message_from_bytes(data, _class=message_class, policy=policy.compat32)`."""
    parser = _feedparser.FeedParser(message_class, policy=policy.compat32)
    parser.feed(data.decode("ascii", "surrogateescape"))  # as `email.parser.BytesParser` does
    msg: Message = parser.close()
    return msg
