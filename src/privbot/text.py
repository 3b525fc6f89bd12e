"""Text primitives every stage shares: subject prefixes, folding and robot addresses.

- Subject prefixes of replies and forwards in the languages privbot reads (sv, en, no, da,
  fi, de, pl, fr, es, nl and the usual mailer variants, with counters such as "Re[2]:").
- `fold`: lower case without diacritics, so "Radera på en gång" reads as "radera pa en gang".
- Robot addresses: senders no reply may go to (no-reply, mailer-daemon, list owners …).
- `stemmer`: this thread's Snowball stemmer for a language.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import unicodedata

import snowballstemmer

# Reply prefixes: Re, Sv (sv/no/da "Svar"), Aw (de "Antwort"), Vs (fi "Vastaus"), Antw (nl),
# Odp (pl), Ynt (tr).
REPLY_WORDS = ("re", "sv", "aw", "vs", "antw", "odp", "ynt")
# Forward prefixes: Fw/Fwd, Vb (sv "Vidarebefordrat"), Vs/Vl (no/fi), Wg (de "Weitergeleitet"),
# Tr (fr "Transféré"), Rv (es "Reenviado"), Pd (pl "Przekaż dalej"), Doorst (nl), Enc (pt).
FORWARD_WORDS = ("fw", "fwd", "vb", "vl", "wg", "tr", "rv", "pd", "doorst", "enc", "videresend")
_COUNTER = r"(?:\s*(?:\[\d+\]|\(\d+\)))?"
_ANY = "|".join(sorted(set(REPLY_WORDS + FORWARD_WORDS), key=len, reverse=True))
SUBJECT_PREFIX = re.compile(rf"^\s*(?:(?:{_ANY}){_COUNTER}\s*[:：]\s*)+", re.I)
FORWARD_PREFIX = re.compile(
    rf"^\s*(?:(?:{_ANY}){_COUNTER}\s*[:：]\s*)*(?:{'|'.join(FORWARD_WORDS)}){_COUNTER}\s*[:：]",
    re.I,
)

_FOLDED = tuple(  # (character, what it folds to); none of the results is folded again
    {
        "å": "a",
        "ä": "a",
        "ö": "o",
        "æ": "a",
        "ø": "o",
        "ß": "ss",
        "ł": "l",  # Polish; NFKD leaves it whole
        "œ": "oe",
        "đ": "d",
        "ı": "i",
        "’": "'",
        "`": "'",
        "´": "'",
    }.items()
)

_ROBOT = re.compile(
    r"^(no-?reply|do-?not-?reply|donotreply|mailer-daemon|postmaster|bounces?|auto-?reply|"
    r"autoresponder|notifications?|daemon|listserv|majordomo)([+.-].*)?@|-(bounces?|request|owner)@",
    re.IGNORECASE,
)
_BOUNCE_SENDER = re.compile(r"^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@", re.I)
_FORM_SENDER = re.compile(r"^(no-?reply|noreply|donotreply|www|web|form)", re.I)


def content_key(subject: str, text: str) -> str:
    """What makes two incoming messages the same text sent again: the subject without reply
    prefixes and the text, whitespace folded; hashed, as `Message.content_key` stores it."""
    key = "%s\n%s" % (" ".join(base_subject(subject).split()), " ".join(text.split()))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def base_subject(subject: str) -> str:
    """The subject without leading reply/forward prefixes: "SV: Re[2]: Fwd: Radering" → "Radering"."""
    return SUBJECT_PREFIX.sub("", subject).strip()


def is_reply_subject(subject: str) -> bool:
    return bool(SUBJECT_PREFIX.match(subject))


def is_forward_subject(subject: str) -> bool:
    return bool(FORWARD_PREFIX.match(subject))


_FOLD_ASCII = [c for c, _ in _FOLDED if c.isascii()]  # what `_FOLDED` changes in ASCII text ("`")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@functools.lru_cache(maxsize=65_536)
def _fold_char(char: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))


def _fold_match(m: re.Match[str]) -> str:
    return _fold_char(m.group())


def fold(text: str) -> str:
    """Lower case without diacritics; length and positions are kept where possible."""
    text = text.casefold()
    if not text.isascii() or any(c in text for c in _FOLD_ASCII):
        # str.replace for the few characters present: str.translate with a table looks up
        # every character of a non-ASCII text (10 µs for a short mail)
        for char, plain in _FOLDED:
            if char in text:
                text = text.replace(char, plain)
    if not text.isascii():
        # NFKD decomposes each character on its own and only reorders combining marks, which
        # are all dropped: character by character gives the same text (only non-ASCII changes)
        text = _NON_ASCII.sub(_fold_match, text)
    return text


def is_robot_address(addr: str) -> bool:
    """No reply may go to this address (empty, no-reply, mailer-daemon, list owner …)."""
    return not addr or bool(_ROBOT.search(addr))


def is_bounce_sender(addr: str) -> bool:
    return bool(_BOUNCE_SENDER.match(addr))


def is_form_sender(addr: str) -> bool:
    """A website's sending address (noreply@, www@, form@): a relay, not the person."""
    return bool(_FORM_SENDER.match(addr))


_STEMMERS = threading.local()


def stemmer(language: str) -> snowballstemmer.stemmer:
    """This thread's Snowball stemmer for `language` ("swedish", "english"). A stemmer keeps
    the word it works on in itself, so threads (the worker, the web app's request threads)
    must not share one: they garble each other's words or fail with an IndexError."""
    found: snowballstemmer.stemmer | None = getattr(_STEMMERS, language, None)
    if found is None:
        found = snowballstemmer.stemmer(language)
        setattr(_STEMMERS, language, found)
    return found
