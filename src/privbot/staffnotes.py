"""Staff notes and placeholders: what a draft tells the case handler never reaches the requester.

Templates write a note for the handler as a line starting with `[OBS till handläggaren:` (sv) or
`[NOTE TO STAFF:` (en). Rendering moves those lines out of the reply text into the draft's
`notes`, shown beside the editor. Where the handler must write something, the template leaves
a placeholder in double square brackets, `[[like this]]`. Approval refuses a text (or subject)
that still holds a placeholder or a note marker, naming the line.
"""

from __future__ import annotations

import re

from privbot.errors import StateError

NOTE_MARKERS = ("[OBS till handläggaren:", "[NOTE TO STAFF:")
_PLACEHOLDER = re.compile(r"\[\[.*?\]\]")
_MARKER = re.compile("|".join(re.escape(m) for m in NOTE_MARKERS), re.IGNORECASE)


def split_notes(body: str) -> tuple[str, list[str]]:
    """(the body without note lines, the notes without their brackets)."""
    kept: list[str] = []
    notes: list[str] = []
    for line in body.split("\n"):
        stripped = line.strip()
        if _MARKER.match(stripped):
            text = stripped[stripped.index(":") + 1 :].strip()
            notes.append(text[:-1].rstrip() if text.endswith("]") else text)
        else:
            kept.append(line)
    return "\n".join(kept), notes


def problems(text: str) -> list[str]:
    """What stops `text` from going to the requester, one sentence per line found."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        marker = _MARKER.search(line)
        if marker:
            found.append("line %d still holds a note for staff: %s" % (number, _quote(line)))
        elif _PLACEHOLDER.search(line):
            found.append("line %d has a placeholder to fill in: %s" % (number, _quote(line)))
    return found


def check_sendable(subject: str, body: str) -> None:
    """Refuse approval while the subject or text holds a staff note or a placeholder."""
    found = ["subject: " + p.split(": ", 1)[1] for p in problems(subject)] + problems(body)
    if found:
        raise StateError(
            "not sent: %s. Remove the notes and fill in the placeholders first"
            % "; ".join(found[:5])
        )


def _quote(line: str) -> str:
    line = line.strip()
    return '"%s"' % (line if len(line) <= 80 else line[:77] + "...")
