"""Guess the language of a message's own text: "sv", "en" or "other".

Counts common function words of Swedish, English and the neighbours most often confused
with them (Norwegian, Danish, German, Finnish), on folded text so å/ä/ö-less Swedish counts.
A message mixing Swedish and English in earnest is "other"; choosing a reply language for it
is left to staff.
"""

from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"[a-zåäöæøüß]+")

_MARKERS: dict[str, frozenset[str]] = {
    "sv": frozenset(
        [
            "och",
            "att",
            "jag",
            "det",
            "inte",
            "för",
            "som",
            "med",
            "har",
            "mina",
            "mig",
            "min",
            "mitt",
            "ni",
            "er",
            "era",
            "ert",
            "är",
            "på",
            "av",
            "till",
            "vill",
            "skulle",
            "kan",
            "hej",
            "tack",
            "vänliga",
            "hälsningar",
            "mvh",
            "om",
            "från",
            "också",
            "eller",
            "ska",
            "alla",
            "detta",
            "den",
            "vad",
            "hur",
            "varför",
            "uppgifter",
            "någon",
            "sedan",
            "även",
            "mer",
            "när",
            "där",
            "här",
            "bara",
            "får",
            "något",
            "har",
            "blir",
        ]
    ),
    "en": frozenset(
        [
            "the",
            "and",
            "to",
            "of",
            "my",
            "me",
            "you",
            "your",
            "is",
            "are",
            "be",
            "for",
            "with",
            "have",
            "has",
            "this",
            "that",
            "please",
            "would",
            "could",
            "will",
            "can",
            "not",
            "any",
            "all",
            "from",
            "about",
            "data",
            "what",
            "how",
            "why",
            "which",
            "do",
            "does",
            "i",
            "it",
            "we",
            "us",
            "thanks",
            "thank",
            "regards",
            "dear",
            "hello",
            "hi",
            "our",
            "was",
            "an",
            "if",
        ]
    ),
    "no": frozenset(
        [
            "jeg",
            "ikke",
            "meg",
            "og",
            "av",
            "hva",
            "hvordan",
            "hvorfor",
            "hilsen",
            "takk",
            "opplysninger",
            "mine",
            "deres",
            "dere",
            "innsyn",
            "vennlig",
            "også",
            "eller",
            "fra",
            "kunne",
        ]
    ),
    "da": frozenset(
        [
            "jeg",
            "ikke",
            "mig",
            "og",
            "af",
            "hvad",
            "hvordan",
            "hvorfor",
            "hilsen",
            "tak",
            "oplysninger",
            "venlig",
            "også",
            "eller",
            "fra",
            "kunne",
        ]
    ),
    "de": frozenset(
        [
            "ich",
            "und",
            "nicht",
            "der",
            "die",
            "das",
            "mit",
            "ist",
            "ein",
            "eine",
            "meine",
            "mein",
            "sie",
            "bitte",
            "ihre",
            "danke",
            "grüßen",
            "freundlichen",
            "daten",
            "für",
            "von",
            "zu",
            "auf",
            "dem",
            "den",
            "wir",
        ]
    ),
    "fi": frozenset(
        [
            "ja",
            "on",
            "en",
            "että",
            "minun",
            "tietoja",
            "tietoni",
            "pyydän",
            "kiitos",
            "ystävällisin",
            "terveisin",
            "olen",
            "ei",
            "mitä",
            "miten",
            "henkilötietoja",
            "te",
            "teidän",
            "tai",
        ]
    ),
}
_SV_LETTERS = re.compile(r"[åäö]")
_NO_LETTERS = re.compile(r"[æø]")
MAX_CHARS = 5000
_LOOKUP: dict[str, tuple[str, ...]] = {}
for _lang, _words in _MARKERS.items():
    for _w in _words:
        _LOOKUP[_w] = (*_LOOKUP.get(_w, ()), _lang)
for _w in _MARKERS["sv"]:  # Swedish written without å/ä/ö
    _plain = _w.translate(str.maketrans("åäö", "aao"))
    if _plain not in _LOOKUP:
        _LOOKUP[_plain] = ("sv",)


def detect_language(text: str) -> str:
    """The language of `text`; "other" for other languages, real mixes and too little text."""
    sample = text[:MAX_CHARS].casefold()
    counts: Counter[str] = Counter()
    for w in _WORD.findall(sample):
        counts.update(_LOOKUP.get(w, ()))
    if _NO_LETTERS.search(sample):
        counts["no"] += 2
    if not counts:
        return "sv" if _SV_LETTERS.search(sample) else "other"
    ranked = counts.most_common()
    best, top = ranked[0]
    if best not in ("sv", "en"):
        return "other"
    second = ranked[1][1] if len(ranked) > 1 else 0
    other = "en" if best == "sv" else "sv"
    if counts[other] >= 6 and counts[other] >= 0.6 * top:
        return "other"  # written in both
    if second and ranked[1][0] not in ("sv", "en") and second >= 0.8 * top:
        return "other"
    return best
