"""The headers of privbot's outgoing mail, written so that every receiver reads them as meant.

- Message-ID, In-Reply-To and References hold ASCII msg-ids and are never RFC 2047-encoded:
  the email package would turn a line over 78 characters into encoded words, which no mail
  client threads. They are folded only between ids (a single id may be long; RFC 5322 allows
  998 characters a line).
- Display names are sanitised to one line without the characters that could end the name and
  start another address (quotes, commas, angle brackets, @, ;, :, backslashes, parentheses), so
  `email.utils.getaddresses` on the header yields exactly the intended address.
- Non-ASCII names and subjects are RFC 2047 encoded words, split on character boundaries so they
  decode to exactly the text (the email package's own folding can add or drop spaces there). Raw
  UTF-8 headers, and so SMTPUTF8, are used only when an address itself is not ASCII.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from email import charset as _charset
from email import quoprimime
from email.header import Header
from email.headerregistry import Address, BaseHeader, DateHeader, HeaderRegistry, UnstructuredHeader
from email.policy import EmailPolicy
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from typing import Any

from privbot.errors import SendError
from privbot.mail.parse import clean_header

ID_HEADERS = frozenset({"message-id", "in-reply-to", "references", "resent-message-id"})
ADDRESS_HEADERS = frozenset({"from", "to", "cc", "bcc", "reply-to", "sender"})
TEXT_HEADERS = frozenset({"subject"})
MAX_SUBJECT = 900  # characters; a header line may not pass 998
MAX_NAME = 64  # characters of a display name; longer names are cut
MAX_ID = 900  # characters of one msg-id; a longer one would not fit a header line of 998
MAX_REFERENCES = 20  # ids kept in References (RFC 5322 3.6.4 lets the middle be trimmed)

# A msg-id as privbot writes it: printable ASCII without spaces or angle brackets, in <...>.
_MSG_ID = re.compile(r"<[!-;=?-~]+>")
# Characters that could end a display name or an address in a header, or start an encoded word.
_NAME_BREAKERS = re.compile(r"[\"\\<>,;:@()\[\]]|=\?")


def one_line(text: str) -> str:
    """One line: no CR, LF or other line breaks (U+2028, NEL…), runs of spaces collapsed."""
    return " ".join(clean_header(text).split())


def display_name(name: str) -> str:
    """A display name that stays one name: one line, no specials, bounded length."""
    return one_line(_NAME_BREAKERS.sub(" ", one_line(name)))[:MAX_NAME].strip()


def address(addr: str, name: str = "") -> Address:
    """An `Address` for a header: sanitised name, IDNA domain; an unusable address is refused."""
    local, at, domain = addr.strip().rpartition("@")
    if not at or not local or not domain or any(c.isspace() or c in '<>,;"\\' for c in addr):
        raise SendError("not a usable mail address: %r" % addr[:100])
    try:
        ascii_domain = domain.encode("idna").decode("ascii") if not domain.isascii() else domain
    except UnicodeError:
        raise SendError("not a usable mail domain: %r" % domain[:100]) from None
    return Address(display_name=display_name(name), username=local, domain=ascii_domain)


def needs_smtputf8(addresses: Iterable[Address]) -> bool:
    """True when an address (not a name) is not ASCII: only then are raw UTF-8 headers needed."""
    return any(not a.addr_spec.isascii() for a in addresses)


def msg_ids(values: Iterable[str]) -> list[str]:
    """The well-formed msg-ids among `values` (each a header value), in order, once each."""
    found: dict[str, None] = {}
    for value in values:
        for msg_id in _MSG_ID.findall(value or ""):
            if len(msg_id) <= MAX_ID:
                found.setdefault(msg_id)
    return list(found)


def references(thread: Iterable[str], in_reply_to: str) -> str:
    """References for a reply: the thread's ids ending with the one replied to, at most
    MAX_REFERENCES (the first is kept, as RFC 5322 3.6.4 suggests, and the newest)."""
    ids = [i for i in msg_ids(thread) if i != in_reply_to] + msg_ids([in_reply_to])
    if len(ids) > MAX_REFERENCES:
        ids = ids[:1] + ids[-(MAX_REFERENCES - 1) :]
    return " ".join(ids)


def _fold_ids(name: str, value: str, linesep: str) -> str:
    lines: list[str] = []
    line = "%s:" % name
    for msg_id in value.split():
        if len(line) + 1 + len(msg_id) > 78 and line != "%s:" % name:
            lines.append(line)
            line = ""
        line += " " + msg_id
    lines.append(line)
    return linesep.join(lines) + linesep


@lru_cache(maxsize=4096)
def _q_length(character: str) -> int:
    """The characters `character` takes in a Q-encoded word (=C3=A5 for "å")."""
    return quoprimime.header_length(character.encode("utf-8"))


class _QCharset(_charset.Charset):
    """UTF-8 in Q-encoded words, split into words as the stdlib splits them. The stdlib encodes
    a word again for each character it adds (quadratic: 150 µs for an 80-character subject);
    a word's encoded length is the sum of its characters', so here each is added once."""

    def header_encode_lines(self, string: str, maxlengths: Iterator[int]) -> list[str | None]:
        string.encode("utf-8")  # a lone surrogate raises here, as in the stdlib
        extra = len("utf-8") + _charset.RFC2047_CHROME_LEN
        lines: list[str | None] = []
        current: list[str] = []
        length = 0
        maxlen = next(maxlengths) - extra
        for character in string:
            size = _q_length(character)
            if length + size <= maxlen:
                current.append(character)
                length += size
                continue
            if not lines and not current:  # nothing fits on the first line
                lines.append(None)
            else:
                lines.append(_q_word("".join(current)))
            current, length = [character], size
            maxlen = next(maxlengths) - extra
        lines.append(_q_word("".join(current)))
        return lines


def _q_word(text: str) -> str:
    return quoprimime.header_encode(text.encode("utf-8"), charset="utf-8")


_UTF8_Q = _QCharset("utf-8")
_UTF8_Q.header_encoding = _charset.QP  # =?utf-8?q?…?=: readable in the raw mail


def _words(name: str, text: str, linesep: str) -> str:
    """`text` as the value of header `name`: plain when ASCII, else encoded words."""
    if text.isascii() and "=?" not in text:  # folded at spaces, never before the first word
        lines = [""]
        room = 78 - len(name) - 2
        for word in text.split(" "):
            if lines[-1] and len(lines[-1]) + 1 + len(word) > room:
                lines.append("")
                room = 77
            lines[-1] += (" " if lines[-1] else "") + word
        return (linesep + " ").join(lines)
    return Header(text, _UTF8_Q, header_name=name).encode(linesep=linesep)


def _fold_addresses(name: str, addresses: Iterable[Address], linesep: str) -> str:
    text = "%s:" % name
    for index, addr in enumerate(addresses):
        if index:
            text += ","
        spec = "<%s>" % addr.addr_spec
        if not addr.display_name:
            spec = addr.addr_spec
        elif addr.display_name.isascii():
            text += ' "%s"' % addr.display_name
        else:
            text += " " + _words(name, addr.display_name, linesep)
        last = text.rsplit(linesep, 1)[-1]
        text += (" " if len(last) + 1 + len(spec) <= 78 else linesep + " ") + spec
    return text + linesep


class Addresses(str):
    """An address header's value set as an `Address`: the address kept as given (the policy
    folds it itself), not turned into text and parsed back as the email package would."""

    name: str
    addresses: tuple[Address, ...]

    def __new__(cls, name: str, address: Address) -> Addresses:
        self = super().__new__(cls, str(address))
        self.name = name
        self.addresses = (address,)
        return self


class _Registry(HeaderRegistry):
    """The stdlib's header classes, each made once: `HeaderRegistry` makes a new class (7 µs)
    every time a header is set or read, some twenty times for a receipt."""

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = super().__getitem__(key)
        return made


class OutgoingPolicy(EmailPolicy):
    """`email.policy.SMTP` (CRLF) that writes msg-id, address and subject headers itself:
    ids as they are, folded between ids; names and subjects as exact encoded words. A short
    ASCII value of any other header (Date, Auto-Submitted…) is kept and written as it is, as
    the email package would write it, without being parsed first."""

    def header_store_parse(self, name: str, value: Any) -> tuple[str, Any]:
        key = name.lower()
        if isinstance(value, str) and (key in ID_HEADERS | TEXT_HEADERS or self._plain(key, value)):
            # Kept as given: the default would decode encoded words that are part of the text
            # (a subject "=?utf-8?q?…?=" would arrive changed).
            if len(value.splitlines()) > 1:
                raise ValueError("a header value may not contain line breaks")
            return (name, value)
        if key in ADDRESS_HEADERS and isinstance(value, Address):
            return (name, Addresses(name, value))
        return tuple(super().header_store_parse(name, value))

    def _plain(self, key: str, value: str) -> bool:
        """A value the email package would write as it is: printable ASCII without runs of
        spaces or encoded words, fitting on one line, of an unstructured header (or a date as
        `format_datetime` writes it)."""
        if not (
            0 < len(value) <= 76 - len(key)
            and value.isascii()
            and value.isprintable()
            and value == value.strip()
            and "=?" not in value
            and "  " not in value
        ):
            return False
        registry = self.header_factory
        assert isinstance(registry, HeaderRegistry)
        kind = registry.registry.get(key, registry.default_class)
        if issubclass(kind, DateHeader):
            try:
                return format_datetime(parsedate_to_datetime(value)) == value
            except (TypeError, ValueError):
                return False
        return issubclass(kind, UnstructuredHeader)

    def _own(self, name: str, value: Any) -> str | None:
        key = name.lower()
        if key in ID_HEADERS:
            return _fold_ids(name, str(value), self.linesep)
        if key in ADDRESS_HEADERS and hasattr(value, "addresses"):
            return _fold_addresses(name, value.addresses, self.linesep)
        if key in TEXT_HEADERS:
            text = "%s: %s" % (name, _words(name, one_line(str(value))[:MAX_SUBJECT], self.linesep))
            return text + self.linesep
        return None

    def fold(self, name: str, value: Any) -> str:
        own = self._own(name, value)
        return own if own is not None else str(super().fold(name, value))

    def fold_binary(self, name: str, value: Any) -> bytes:
        own = self._own(name, value)
        if own is None:
            return bytes(super().fold_binary(name, value))
        return own.encode("utf-8" if self.utf8 else "ascii")


OUTGOING = OutgoingPolicy(linesep="\r\n", header_factory=_Registry())
