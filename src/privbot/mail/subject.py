"""Subjects without their reply and forward prefixes, for drafts that answer in the same thread."""

from __future__ import annotations

import re

# Reply and forward prefixes, repeated and mixed: Re:, RE:, Re[2]:, SV:, VB:, AW:, WG:, Fwd:, Fw:, VS:, Antw:, TR:
_PREFIX = re.compile(
    r"^\s*(?:(?:re|sv|vb|aw|wg|fwd?|vs|vl|antw|tr|ynt|odp)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*)+",
    re.IGNORECASE,
)


def base_subject(subject: str) -> str:
    """The subject without reply/forward prefixes: `SV: Re[2]: VB: Radera mig` → `Radera mig`."""
    return _PREFIX.sub("", subject).strip()
