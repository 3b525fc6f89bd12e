"""How a requester is addressed: the first name out of a display name, or nothing.

"Linnea Dahl" and "Dahl, Linnea" give "Linnea". A display name that does not look like a
person's name (a mailbox such as "IT-team webbformulär", an address, a company with digits)
gives "", and the templates then use a neutral greeting. Which greeting is the templates' job.
"""

from __future__ import annotations

import re

# A name part: letters, with inner hyphens or apostrophes ("Anna-Karin", "O'Brien").
_PART = re.compile(r"^[^\W\d_]+(?:[-'’][^\W\d_]+)*\.?$")
# Titles written before a name; they are skipped, never used as the first name.
_TITLES = {"dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "herr", "fru", "prof", "prof."}
MAX_PARTS = 5


def _capitalised(part: str) -> bool:
    return part[0].isupper()


def first_name(display_name: str) -> str:
    """The first name to greet someone by, or "" when the name is not clearly a person's."""
    name = " ".join(str(display_name or "").split()).strip(" \"'")
    if not name or "@" in name:
        return ""
    if name.count(",") == 1:  # "Dahl, Linnea"
        last, _, first = name.partition(",")
        name = "%s %s" % (first.strip(), last.strip())
    parts = [p for p in name.split(" ") if p.lower() not in _TITLES]
    if not parts or len(parts) > MAX_PARTS or not all(_PART.match(p) for p in parts):
        return ""
    if name.islower() or name.isupper():  # "linnea dahl", "LINNEA DAHL"
        parts = [p.capitalize() for p in parts]
    elif not all(_capitalised(p) or len(p) <= 3 for p in parts[1:]) or not _capitalised(parts[0]):
        return ""  # "IT-team webbformulär": a mailbox, not a person
    first = parts[0].rstrip(".")
    return first if len(first) > 1 else ""
