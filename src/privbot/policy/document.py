"""The privacy policy split into numbered sections, so chat answers can cite "avsnitt 8.1".

The policy is plain text written by people, with its oddities handled here rather than fixed in
the file: headings are written both "1 Allmänt" and "2. Personuppgiftsansvarig"; a table of
contents repeats the headings (and calls 7 "Profilerings") before the body, so a later heading
with the same number replaces the earlier one; sub-sections are either a heading ("4.1 För dig
som är kund", "8.2 Gallringspolicy") or start their text on the numbered line ("9.3 Länder
utanför EU/EES IT-team kan…"); and a stray address block inside 11.5 is kept apart as `stray`
so it is never quoted as 11.5's text. What the sections mean is `answer.py`'s business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from privbot.errors import ConfigError

_TOP = re.compile(r"^(\d{1,2})\.?\s+(\S.{0,100})$")
_SUB = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?\s+(\S.*)$")
_SENTENCE_END = (".", ":", "?", "!", ";")


@dataclass
class Section:
    number: str  # "8" or "8.1"
    title: str  # the heading, or "" when the text starts on the numbered line
    paragraphs: list[str] = field(default_factory=list)
    stray: list[str] = field(
        default_factory=list
    )  # lines that belong to no sentence (11.5's address)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def parent(self) -> str:
        return self.number.split(".")[0]


@dataclass(frozen=True)
class Policy:
    sections: dict[str, Section]  # by number, in document order

    def get(self, number: str) -> Section | None:
        return self.sections.get(number)

    def title_of(self, number: str) -> str:
        section = self.sections.get(number)
        if section is None:
            return ""
        return section.title or self.title_of(section.parent) if "." in number else section.title

    def leaves(self) -> list[Section]:
        """Sections with text of their own (a top section's intro counts)."""
        return [s for s in self.sections.values() if s.paragraphs]


def _paragraphs(lines: list[str]) -> list[str]:
    out: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            out[-1].append(line.strip())
        elif out[-1]:
            out.append([])
    return [" ".join(p) if not p[0].startswith("- ") else "\n".join(p) for p in out if p]


def _is_prose(paragraph: str) -> bool:
    return paragraph.startswith("- ") or paragraph.rstrip().endswith(_SENTENCE_END)


def split_policy(text: str) -> Policy:
    sections: dict[str, Section] = {}
    bodies: dict[str, list[str]] = {}
    current: str | None = None
    top = 0
    for raw_line in text.replace("\r\n", "\n").split("\n"):
        line = raw_line.strip()
        sub = _SUB.match(line)
        head = _TOP.match(line) if sub is None else None
        if sub and int(sub.group(1)) == top:
            number, rest = "%s.%s" % (sub.group(1), sub.group(2)), sub.group(3).strip()
            heading = len(rest) <= 60 and not rest.endswith(_SENTENCE_END)
            sections[number] = Section(number, rest if heading else "")
            bodies[number] = [] if heading else [rest]
            current = number
            continue
        if head and int(head.group(1)) in (top + 1, 1) and not line.endswith(_SENTENCE_END[:1]):
            top = int(head.group(1))
            number = str(top)
            for old in [k for k in sections if k == number or k.startswith(number + ".")]:
                del sections[old], bodies[old]  # the table of contents, replaced by the body
            sections[number] = Section(number, head.group(2).strip())
            bodies[number] = []
            current = number
            continue
        if current is not None:
            bodies[current].append(line)
    for number, section in sections.items():
        paragraphs = _paragraphs(bodies[number])
        if "." in number and paragraphs:
            # the numbered line's own paragraph is text even without a full stop (6.2, 9.3)
            first, rest = paragraphs[:1], paragraphs[1:]
            section.paragraphs = first + [p for p in rest if _is_prose(p)]
            section.stray = [p for p in rest if not _is_prose(p)]
        else:
            section.paragraphs = paragraphs
    return Policy(sections)


def load_policy(path: Path) -> Policy:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            "%s: cannot read the privacy policy (%s)" % (path, type(exc).__name__)
        ) from exc
    policy = split_policy(text)
    if not policy.sections:
        raise ConfigError("%s: no numbered sections found in the privacy policy" % path)
    return policy
