"""Requests made for someone else: a parent for a child, a representative with a power of
attorney, an employer about an employee. Such a case is flagged and its draft asks for the
mandate before anything is disclosed.

The phrases are data (`intents/_third_party.toml`, Swedish and English); this module only loads
and matches them, case-insensitively on whole words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from privbot.config import read_toml
from privbot.errors import ConfigError

FILE_NAME = "_third_party.toml"


@dataclass(frozen=True)
class ThirdPartyRules:
    pattern: re.Pattern[str]

    @classmethod
    def load(cls, intents_dir: Path) -> ThirdPartyRules:
        """Read `_third_party.toml` of the configured intents directory; ConfigError if bad."""
        path = intents_dir / FILE_NAME
        data = read_toml(path)
        phrases = [
            p
            for section in data.values()
            if isinstance(section, dict)
            for p in section.get("phrases", [])
        ]
        if not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
            raise ConfigError("%s: [sv] and [en] need non-empty lists of phrases" % path)
        alternatives = "|".join(
            r"\s+".join(map(re.escape, p.split())) for p in sorted(phrases, key=len, reverse=True)
        )
        return cls(re.compile(r"(?<!\w)(?:%s)(?!\w)" % alternatives, re.IGNORECASE))

    def on_behalf(self, text: str) -> str:
        """The phrase showing that `text` is written for someone else, or ""."""
        match = self.pattern.search(text[:20_000])
        if match:
            return match.group(0)
        domain = whole_domain(text)
        return "@" + domain if domain else ""


# "@firma.se" written without a local part: a whole domain ("ta bort alla på @firma.se").
_BARE_DOMAIN = re.compile(r"(?<![\w.+-])@([\w-]{1,63}(?:\.[\w-]{1,63}){1,8})\b")


def whole_domain(text: str) -> str:
    """The domain of a request made for everyone at a domain ("alla på @firma.se"), or ""."""
    match = _BARE_DOMAIN.search(text[:20_000])
    return match.group(1).lower() if match else ""
