"""Turn raw message bytes into a `ParsedMail`: decoded headers, the best text body, attachments.

Uses the stdlib `email` package with `policy.compat32` and decodes headers itself (RFC 2047
words, raw 8-bit bytes, unknown charsets): `policy.default` raises on some real-world headers and
parses about ten times slower, and only a few headers are ever needed. Separating new text from quoted history is
left to `mail/prepare.py`; deciding what kind of mail this is, to `mail/screen.py`.
"""

from __future__ import annotations

import codecs
import email
import email.header
import email.utils
import hashlib
import itertools
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from functools import lru_cache
from typing import Any

from privbot.errors import ParseError
from privbot.mail.feed import message_from_bytes
from privbot.mail.html import html_to_text
from privbot.text import FORWARD_PREFIX, content_key

MAX_HEADER_CHARS = 2000  # a longer header value is cut (m026: a 20,000-char subject)
MAX_TEXT_CHARS = 200_000  # body text kept for classification and display
MAX_PARTS = 500
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
_LINEBREAKS = re.compile(r"[\r\n]+")
# raw 8-bit bytes decoded with surrogateescape (a raw string: mypyc takes no surrogates in literals)
_SURROGATE = re.compile(r"[\udc80-\udcff]")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_MSGID = re.compile(r"<[^<>\s]+>|[^<>\s]+@[^<>\s]+")
# A mail system's own notice: bounces often come "From: MAILER-DAEMON <>" with no address at all
SYSTEM_SENDER = re.compile(
    r"mailer-?daemon|post_?master|mail delivery (?:sub)?system|mail-daemon", re.I
)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class ParsedMail:
    message_id: str
    subject: str
    from_addr: str  # lower-cased address of the sender ("" if none)
    from_name: str
    reply_to: str  # "" if none
    to: tuple[str, ...]
    date: datetime | None
    in_reply_to: str
    references: tuple[str, ...]
    # lower-cased name -> first value as written (RFC 2047 words, folding, raw 8-bit bytes), of
    # the names among the first 200 headers; read them decoded with `header`
    raw_headers: dict[str, str]
    text: str  # the whole text body (HTML turned to text)
    html: str  # the raw HTML body if there was one ("" otherwise); never rendered unsanitised
    # what makes it the same text sent again (`text.content_key`), worked out once: the resend
    # lookups and the stored message each want it
    content_key: str
    attachments: tuple[Attachment, ...] = ()
    content_type: str = "text/plain"
    defects: tuple[str, ...] = field(default=())
    report: str = ""  # fields of machine-readable report parts (DSN, MDN, ARF), "Name: value" lines

    def header(self, name: str) -> str:
        """The first `name` header, decoded, one line ("" if none). Decoded when asked for:
        screening asks for a few of a message's headers, and decoding them all cost a tenth of
        parsing (folded trace and signature headers)."""
        raw = self.raw_headers.get(name.lower())
        return "" if raw is None else clean_header(_decode_words(raw))


def clean_header(value: str) -> str:
    """One line, no control characters, bounded length: safe for logs, subjects and HTML."""
    if value.isprintable():  # no line break, control character or surrogate: nothing to clean
        return value.strip()[:MAX_HEADER_CHARS]
    if not value.isascii() and _has_surrogates(value):
        value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    value = _LINEBREAKS.sub(" ", _FOLD.sub("", value))
    # most such values are folded lines, printable once unfolded but for their tabs: every
    # character `_CONTROL` removes is unprintable, so it need not look through them
    if not value.replace("\t", " ").isprintable():
        value = _CONTROL.sub("", value)
    return value.strip()[:MAX_HEADER_CHARS]


def normalise_line_endings(raw: bytes) -> bytes:
    """mbox envelope lines go; bare CR and bare LF become CRLF so the parser sees one style."""
    if raw.startswith(b"From ") and b"\n" in raw[:1000]:
        raw = raw.split(b"\n", 1)[1]
    if b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return raw.replace(b"\n", b"\r\n")


def _raw_header(msg: Message, name: str) -> str:
    """The first `name` header, RFC 2047 words and raw 8-bit bytes decoded, never raising."""
    name = name.lower()
    for key, value in msg.raw_items():  # raw: compat32's get() turns 8-bit bytes into U+FFFD
        if key.lower() == name:
            return _decode_words(str(value))
    return ""


class _Message(Message):
    """compat32's `Message`, its header lookups read from an index of each name's first header.

    compat32's `get` goes through the whole header list, lower-casing every name, on every
    call, and a message's Content-Type alone is looked up some fifteen times in parsing it (the
    feed parser's own checks, the walk, the disposition, the file name, the charset). The index
    is built at the first lookup after the header list last grew and answers as `get` would:
    the first header of the name, through the policy's `header_fetch_parse`. Every change to the
    header list either grows it, replaces it (`set_boundary`, `__delitem__`) or goes through
    `replace_header`, so the index is kept for one list at one length and dropped by
    `replace_header`. The content type, which depends on the headers and the default type
    alone, is worked out once for each index and default type."""

    _headers: list[tuple[str, Any]]  # compat32's header list, set by `Message.__init__`
    _index: dict[str, tuple[str, Any]] | None = None
    _indexed: tuple[list[tuple[str, Any]], int] | None = None
    _content_type: tuple[str, str] | None = None  # (default type, content type)

    def first(self) -> dict[str, tuple[str, Any]]:
        """Lower-cased name -> the name's first (name, raw value), in the order of the names."""
        headers = self._headers
        indexed = self._indexed
        index = self._index
        if (
            index is None
            or indexed is None
            or indexed[0] is not headers
            or indexed[1] != len(headers)
        ):
            index = {}
            for key, value in headers:
                index.setdefault(key.lower(), (key, value))
            self._index, self._indexed = index, (headers, len(headers))
            self._content_type = None
        return index

    def get(self, name: str, failobj: Any = None) -> Any:
        found = self.first().get(name.lower())
        if found is None:
            return failobj
        # compat32 answers a header with raw 8-bit bytes as a `Header`, where the stubs say str
        # (compiled, a value is checked against its declared type): untyped here
        policy: Any = self.policy
        return policy.header_fetch_parse(*found)

    def __contains__(self, name: str) -> bool:
        return name.lower() in self.first()

    def _get_params_preserve(self, failobj: Any, header: str) -> Any:
        """compat32's parameters of `header`; where the stdlib cannot put RFC 2231 parameters
        together (`name*=…` beside `name*0=…` raises TypeError in `decode_params`, from every
        `get_param`, `get_payload` of 8-bit text included), each parameter as written."""
        try:
            return super()._get_params_preserve(failobj, header)  # type: ignore[misc]
        except Exception:
            value = self.get(header)
            if value is None:
                return failobj
            return [
                (name.strip(), written.strip())
                for name, _, written in (p.partition("=") for p in str(value).split(";"))
            ]

    def replace_header(self, _name: str, _value: Any) -> None:
        self._index = None
        super().replace_header(_name, _value)

    def get_content_type(self) -> str:
        self.first()
        found, default = self._content_type, self.get_default_type()
        if found is None or found[0] != default:
            found = self._content_type = (default, super().get_content_type())
        return found[1]


class _Headers:
    """A message's headers as `parse` reads them: the first raw value of each name, found in one
    pass over the header list (compat32's `get` goes through the whole list on every call), and
    decoded (`_raw_header`) once when first asked for."""

    def __init__(self, msg: _Message) -> None:
        # lower-cased name -> first raw value, in the order of the names' first headers (raw:
        # compat32's get() turns 8-bit bytes into U+FFFD)
        self.raw: dict[str, str] = {name: str(value) for name, (_, value) in msg.first().items()}
        self._decoded: dict[str, str] = {}

    def decoded(self, name: str) -> str:
        """`_raw_header(msg, name)` for a lower-cased `name`."""
        found = self._decoded.get(name)
        if found is None:
            found = self._decoded[name] = _decode_words(self.raw.get(name, ""))
        return found


def _decode_words(value: str) -> str:
    if not value.isascii() and _has_surrogates(
        value
    ):  # raw 8-bit header bytes (m006): UTF-8, else windows-1252
        value = decode_bytes(value.encode("utf-8", "surrogateescape"), None)
    if "=?" not in value:
        return value
    try:
        parts = email.header.decode_header(value)
    except Exception:  # broken encoded words: keep the raw text
        return value
    return "".join(
        decode_bytes(chunk, charset) if isinstance(chunk, bytes) else chunk
        for chunk, charset in parts
    )


def _has_surrogates(value: str) -> bool:
    return _SURROGATE.search(value) is not None


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Decode body or header bytes, surviving unknown, missing and wrong charset labels.

    UTF-8 that decodes cleanly wins over a single-byte label (a common mislabel); an unknown
    label falls back to UTF-8, then windows-1252; nothing raises.
    """
    label = (charset or "").strip().strip('"').lower()
    known = None
    if label:
        try:
            known = codecs.lookup(label).name
        except (LookupError, ValueError):  # ValueError: a NUL in the label
            known = None
    if (
        known in (None, "ascii", "latin-1", "iso8859-1", "cp1252", "iso8859-15")
        and not data.isascii()
    ):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if known:
        try:
            return data.decode(known)
        except (UnicodeDecodeError, LookupError):
            if known == "utf-8":
                return data.decode("utf-8", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _header(msg: Message, name: str) -> str:
    return clean_header(_raw_header(msg, name))


def _addresses(headers: _Headers, name: str) -> list[tuple[str, str]]:
    """[(display name, lower-cased address)] for a header (lower-cased `name`), tolerant of
    groups and junk.

    Addresses are split before encoded words are decoded, so a decoded comma cannot split one.
    """
    raw = headers.raw.get(name, "")
    if not raw:
        return []
    return list(_cached_addresses(raw) if len(raw) <= 1000 else _parsed_addresses(raw))


@lru_cache(maxsize=1024)
def _cached_addresses(raw: str) -> tuple[tuple[str, str], ...]:
    """The same To (the privacy address) and the same senders come back, and the stdlib's
    strict address parser is slow: short header values are parsed once."""
    return _parsed_addresses(raw)


def _parsed_addresses(raw: str) -> tuple[tuple[str, str], ...]:
    if _has_surrogates(raw):
        raw = decode_bytes(raw.encode("utf-8", "surrogateescape"), None)
    pairs = email.utils.getaddresses([raw])
    return tuple(
        (clean_header(_decode_words(n)), clean_header(a).lower()) for n, a in pairs if "@" in a
    )


def _message_ids(value: str) -> list[str]:
    found = _MSGID.findall(value)
    return [m if m.startswith("<") else f"<{m}>" for m in found if len(m) > 2]


def _date(headers: _Headers) -> datetime | None:
    raw = headers.decoded("date")
    if not raw:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:
        return None
    try:
        parsed.utcoffset()
    except (ValueError, OverflowError):
        return None
    return parsed


def _leaf_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_param("charset")
    return decode_bytes(payload, charset if isinstance(charset, str) else None)


REPORT_PARTS = (
    "message/delivery-status",
    "message/global-delivery-status",
    "message/disposition-notification",
    "message/global-disposition-notification",
    "message/feedback-report",
)


def _report_fields(part: Message) -> str:
    """A report part's field blocks as "Name: value" lines, blocks apart by a blank line."""
    payload = part.get_payload()
    if isinstance(payload, list):
        blocks = [m for m in payload if isinstance(m, Message)][:MAX_PARTS]
        return "\n\n".join(
            "\n".join("%s: %s" % (k, clean_header(_decode_words(str(v)))) for k, v in m.raw_items())
            for m in blocks
        )
    raw = part.get_payload(decode=True)
    return decode_bytes(raw, None) if isinstance(raw, bytes) else str(payload)


def _from_mail_system(headers: _Headers, content_type: str) -> bool:
    """A null return path, a mailer-daemon sender or a report: `screen` never calls it human."""
    if headers.decoded("return-path").strip() == "<>":
        return True
    sender = headers.decoded("from")
    if SYSTEM_SENDER.search(sender) or re.search(r"<\s*>", sender):
        return True
    return content_type in ("multipart/report", "message/delivery-status")


def _walk(msg: Message, forwards: bool = False) -> list[tuple[Message, str]]:
    """Leaves of the MIME tree with their content types, iteratively bounded (m013: 60 levels
    of nesting). With `forwards`, an attached message is a leaf too, before its own parts: a
    person's forward as attachment (a mail system's returned message is not)."""
    leaves: list[tuple[Message, str]] = []
    stack = [msg]
    while stack and len(leaves) < MAX_PARTS:
        part = stack.pop()
        ctype = part.get_content_type()
        if ctype in REPORT_PARTS:
            leaves.append((part, ctype))  # its field blocks are read whole by `_report_fields`
        elif part.is_multipart():
            # asked only of a multipart: a leaf's payload of 8-bit text would be decoded for
            # nothing (its charset parameter parsed, its bytes decoded)
            payload = part.get_payload()
            if forwards and ctype == "message/rfc822":
                leaves.append((part, ctype))  # its headers go before its text, as a forward's do
            if isinstance(payload, list):  # always, for a multipart
                stack.extend(p for p in reversed(payload) if isinstance(p, Message))
        else:
            leaves.append((part, ctype))
    return leaves


def _attached_headers(part: Message) -> str:
    """A forwarded-as-attachment message's headers, written as a mail client's forward."""
    inner = part.get_payload()
    if not isinstance(inner, list) or not inner or not isinstance(inner[0], Message):
        return ""
    lines = [f"{k}: {_header(inner[0], k)}" for k in ("From", "Date", "Subject", "To")]
    return "---------- Forwarded message ---------\n" + "\n".join(lines)


def _states_something(subject: str) -> bool:
    """Two words or more, or one of four letters or more ("Avregistrera"): a subject that can
    say what is asked (not a cut-off "Fr")."""
    words = re.findall(r"\w{2,}", subject)
    return len(words) >= 2 or any(len(w) >= 4 for w in words)


# Content types buggy mailers write for plain text ("plain/text"); their bytes are read as text.
_GARBLED_TEXT = frozenset({"plain/text", "text", "plain", "txt", "text/txt", "text/text"})


def _looks_like_text(part: Message) -> bool:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or b"\x00" in payload[:4096]:
        return False
    sample = payload[:4096]
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # a character cut at the end is fine
            return sum(b < 9 or 13 < b < 32 for b in sample) == 0 and b"\xff\xd8" not in sample
    return True


def _filename(part: Message) -> str:
    if (
        "content-disposition" not in part
        and "name" not in str(part.get("content-type", "")).lower()
    ):
        return ""  # where `get_filename` looks, no name can be (most text parts): not parsed
    name: Any  # a str, or an RFC 2231 tuple, whatever the stubs say (see `_Message.get`)
    try:
        name = part.get_filename()
    except Exception:
        name = None
    if not name:
        return ""
    if isinstance(name, tuple):  # RFC 2231 with an unknown charset
        name = decode_bytes(name[2].encode("latin-1", "replace"), None)
    name = clean_header(str(name)).replace("\\", "/").split("/")[-1]
    return name.lstrip(".") or "attachment"


def _unsplit_multipart(payload: str) -> str:
    """Text/plain sections of a multipart body whose declared boundary never occurs."""
    found = []
    for chunk in re.split(r"(?m)^--\S.*$", payload):
        head, _, body = chunk.strip("\r\n").partition("\r\n\r\n")
        if "text/plain" in head.lower() and body:
            found.append(body)
    return "\n\n".join(found) or payload


# A trace header with its continuation lines, matched in the header block with a newline put
# before it: from the newline before the header to the end of its last line. Looking for the
# newline first lets the regex engine skip straight from line to line.
_TRACE = re.compile(
    rb"\n(?:received|return-path|delivered-to|x-original-to|x-received|arc-[a-z-]+|authentication-results|x-privbot-[a-z-]+)"
    rb":[^\n]*(?:\n[ \t][^\n]*)*",
    re.IGNORECASE,
)


def _lf(raw: bytes) -> bytes:
    """`normalise_line_endings` with LF instead of CRLF: mbox envelope line gone, every line LF."""
    if raw.startswith(b"From ") and b"\n" in raw[:1000]:
        raw = raw.split(b"\n", 1)[1]
    if b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n")
        if b"\r" in raw:
            raw = raw.replace(b"\r", b"\n")
    return raw


def _hash_lf(data: bytes) -> str:
    """The hash of LF data with its header block's trace headers taken out and its trailing
    white space stripped (relays differ in trailing newlines)."""
    end = data.find(b"\n\n")
    head = data if end < 0 else data[:end]
    digest = hashlib.sha256(_TRACE.sub(b"", b"\n" + head + b"\n")[1:])
    if end >= 0:
        size = len(data)
        while size > end + 2 and data[size - 1] in _WHITESPACE:
            size -= 1
        digest.update(memoryview(data)[end:size])  # the blank line and the body, no copy
    return digest.hexdigest()


_WHITESPACE = frozenset(b" \t\n\r\x0b\x0c")  # what bytes.rstrip() strips


def content_hash(raw: bytes) -> str:
    """Hash of a message without trace headers: the same message relayed twice hashes the same."""
    return _hash_lf(_lf(raw))


# The first line of the header block that is not a header line, as the stdlib feed parser
# sees one (`email.feedparser.headerRE`: "From ", a name and a colon, or a continuation), in
# the block with a newline put before it; and the first Message-ID header with its
# continuation lines.
_NOT_HEADER_LINE = re.compile(rb"\n(?!From |[\041-\071\073-\176]*:|[\t ])")
_MESSAGE_ID_HEADER = re.compile(rb"\nmessage-id:[ \t]*([^\n]*(?:\n[ \t][^\n]*)*)", re.IGNORECASE)


def _first_message_id_header(data: bytes) -> str:
    """The first Message-ID header's raw value, read as compat32 would but without parsing the
    whole message (the spool reads this for every message it takes; intake speed depends on it).
    `data` has LF line endings (`_lf`)."""
    end = data.find(b"\n\n")
    block = b"\n" + (data if end < 0 else data[:end])
    found = _MESSAGE_ID_HEADER.search(block)
    if found is None:
        return ""
    if _NOT_HEADER_LINE.search(block, 0, found.start()):
        return ""  # the header block ended before it
    value = found[1].replace(b"\n", b"\r\n")
    return _decode_words(value.decode("ascii", "surrogateescape").rstrip("\r\n"))


def spool_key(raw: bytes) -> tuple[str, str]:
    """(Message-ID, content hash): what the spool is idempotent on, with one normalisation.

    The same as (`message_id_of(raw)`, `content_hash(raw)`)."""
    data = _lf(raw)
    digest = _hash_lf(data)
    ids = _message_ids(_first_message_id_header(data))
    return (ids[0] if ids else "<%s@privbot.invalid>" % digest[:40]), digest


def message_id_of(raw: bytes) -> str:
    """The Message-ID of raw bytes, or a stable synthetic one from sender and content."""
    return spool_key(raw)[0]


def synthetic_message_id(raw: bytes) -> str:
    """A stable id for a message that has none: from its sender and content, not its route."""
    return "<%s@privbot.invalid>" % content_hash(raw)[:40]


# Headers only e-mail has: a message without any of them is no e-mail message.
_MAIL_HEADERS = (
    "from",
    "subject",
    "date",
    "message-id",
    "to",
    "content-type",
    "mime-version",
    "reply-to",
    "return-path",
    "received",
)


def parse(raw: bytes) -> ParsedMail:
    """Parse raw bytes; raise `ParseError` only when there is nothing a person could act on."""
    if not raw.strip():
        raise ParseError("empty message")
    data = normalise_line_endings(raw)
    msg = message_from_bytes(data, _Message)  # email.message_from_bytes's, for compat32
    assert isinstance(msg, _Message)
    headers = _Headers(msg)
    if not any(name in headers.raw for name in _MAIL_HEADERS):
        raise ParseError("no message headers (not an e-mail message)")

    senders = _addresses(headers, "from")
    reply_to = _addresses(headers, "reply-to")
    if not senders:
        senders = (
            reply_to
            or [("", a) for _, a in _addresses(headers, "return-path")]
            or _addresses(headers, "sender")
        )
    from_name, from_addr = senders[0] if senders else ("", "")

    texts: list[str] = []
    html = ""
    attachments: list[Attachment] = []
    reports: list[str] = []
    subject = clean_header(headers.decoded("subject"))
    content_type = msg.get_content_type()
    # screened as machine mail, so no sender or text is needed
    system = _from_mail_system(headers, content_type)
    # a person forwarding as attachment says so in the subject ("VB:", "Fwd:", "[Fwd: …]")
    forwards = bool(FORWARD_PREFIX.match(subject.lstrip("[")))
    for part, ctype in _walk(msg, forwards=forwards and not system):
        if ctype in REPORT_PARTS:
            reports.append(_report_fields(part))
            continue
        disposition = (part.get_content_disposition() or "").lower()
        filename = _filename(part)
        if ctype == "message/rfc822":
            texts.append(_attached_headers(part))
            continue
        if (
            ctype in _GARBLED_TEXT
            and disposition != "attachment"
            and not filename
            and _looks_like_text(part)
        ):
            ctype = "text/plain"
        if ctype.startswith("text/") and disposition != "attachment" and not filename:
            if ctype == "text/plain":
                texts.append(_leaf_text(part))
            elif ctype == "text/html" and not html:
                html = _leaf_text(part)
            continue
        if ctype.startswith("multipart/"):
            body = part.get_payload()
            if isinstance(body, str):  # m011: the boundary is never used
                texts.append(_unsplit_multipart(body))
            continue
        raw_payload = part.get_payload(decode=True)
        size = len(raw_payload) if isinstance(raw_payload, bytes) else 0
        attachments.append(Attachment(filename or "attachment", ctype, size))

    text = "\n\n".join(t for t in texts if t.strip())
    if not text.strip() and html:
        text = html_to_text(html)
    text = text.replace("\r\n", "\n").replace("\u2028", "\n").replace("\x00", "")
    text = _CONTROL.sub("", text)[:MAX_TEXT_CHARS]
    if (
        not text.strip()
        and not system
        and _states_something(subject)
        and re.search(rb"\r?\n\r?\n", data)
    ):
        text = subject.strip()  # complete headers, no body: the subject states the request
    if not text.strip() and not system:
        raise ParseError("no readable body text")
    if not from_addr and not system:
        raise ParseError(
            "no sender address (From, Reply-To, Return-Path and Sender all missing or empty)"
        )

    # the names among the first 200 headers, in their order
    first_names = (
        headers.raw  # the names of every header, in order
        if len(msg) <= 200
        else dict.fromkeys(key.lower() for key, _ in itertools.islice(msg.raw_items(), 200))
    )
    message_ids = _message_ids(headers.decoded("message-id"))
    return ParsedMail(
        message_id=message_ids[0] if message_ids else synthetic_message_id(raw),
        subject=subject,
        from_addr=from_addr,
        from_name=from_name,
        reply_to=reply_to[0][1] if reply_to else "",
        to=tuple(a for _, a in _addresses(headers, "to")),
        date=_date(headers),
        in_reply_to=next(iter(_message_ids(headers.decoded("in-reply-to"))), ""),
        references=tuple(_message_ids(headers.decoded("references")))[-50:],
        raw_headers={name: headers.raw[name] for name in first_names},
        text=text,
        html=html,
        content_key=content_key(subject, text),
        attachments=tuple(attachments),
        content_type=content_type,
        defects=tuple(sorted({type(d).__name__ for d in msg.defects})),
        report="\n\n".join(reports)[:MAX_TEXT_CHARS],
    )
