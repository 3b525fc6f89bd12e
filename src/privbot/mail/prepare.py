"""Find the text a message's author actually wrote now, and who the requester is.

mail-parser-reply (Swedish and English) splits the body into replies, quoted history and
signatures; own rules add `>` lines, legal disclaimers, messages forwarded by staff (read as
the forwarded person's message) and website contact-form relays (read as the person's own
message). Classification of the prepared text is left to `classify/match.py`.

Who the requester is decides where automatic mail goes, so Reply-To and a form's e-mail field
count only for mail from a configured form sender (`[intake] form_senders`); for any other mail
the requester is the From address, whatever the text looks like. Likewise a forward names the
forwarded person only when staff (the company's own domain) forwarded it; the text is read the
same way either way.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection
from dataclasses import dataclass

from mailparser_reply import EmailReplyParser

from privbot.mail.parse import ParsedMail

log = logging.getLogger(__name__)

MAX_CHARS = 50_000  # the reply parser reads at most this much of a body
_PARSER = EmailReplyParser(languages=["sv", "en"])
_ADDR = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
_HEADER_FROM = re.compile(
    r"^\s*\**(?:från|from|von|fra|lähettäjä)\s*:\**\s*(.{0,200})$", re.I | re.M
)
_FORWARD_SUBJECT = re.compile(r"^\s*(?:(?:re|sv|aw)\s*:\s*)*(?:vb|fw|fwd|wg|vs|tr)\s*:", re.I)
_FORWARD_MARK = re.compile(
    r"vidarebefordrat meddelande|forwarded message|original message|ursprungligt meddelande|"
    r"begin forwarded message|videresendt melding|weitergeleitete nachricht",
    re.I,
)
_QUOTED = re.compile(r"^[ \t]*>.*$\n?", re.M)
_SIGNATURE = re.compile(
    r"^(?:-- ?|__+|skickat från min \w+.*|sent from my \w+.*|hämta outlook för \w+.*|"
    r"get outlook for \w+.*|skickat från outlook.*|sent from outlook.*)$",
    re.I | re.M,
)
_DISCLAIMER = re.compile(
    r"^[ \t]*(?:detta (?:e-?post|mejl|mail|meddelande)|this (?:e-?mail|message|communication)|"
    r"konfidentiali|confidentiality|disclaimer|the information (?:contained|in this)|informationen i detta|"
    r"om du (?:inte är|har fått)|if you (?:are not|have received)|vi behandlar (?:dina )?personuppgifter|"
    r"we (?:process|handle) (?:your )?personal data|läs mer om hur vi|read (?:more )?about how we|"
    r"information om (?:hur vi behandlar|vår behandling)|sekretess)",
    re.I | re.M,
)
_FORM_LABEL = re.compile(
    r"^[ \t]*(namn|name|fullständigt namn|full name|e-?post(?:adress)?|e-?mail(?:adress)?|epost|telefon|phone|"
    r"ämne|subject|ärende|meddelande|message|fritext|beskrivning|din fråga|your message)\b[ \t]*:?[ \t]*",
    re.I | re.M,
)
# Labels of the person's message, most specific first: "Ärende" is often a topic menu.
_FORM_MESSAGE = (
    "meddelande",
    "message",
    "your message",
    "din fråga",
    "fritext",
    "beskrivning",
    "ärende",
)
_FORM_NAME = {"namn", "name", "fullständigt namn", "full name"}
_NOTE_WORDS = 40  # a forwarding note shorter than this hands the message over to the forwarded text


@dataclass(frozen=True)
class Prepared:
    new_text: str  # what the author (or the forwarded or relayed person) wrote now
    requester_addr: str
    requester_name: str
    forwarded: bool = False  # forwarded by staff: new_text is the forwarded person's message
    relayed: bool = False  # a contact-form relay: new_text is the form's message field
    quoted_only: bool = False  # nothing new was written; new_text is the quoted history


def _domain(addr: str) -> str:
    return addr.rpartition("@")[2].lower()


def _clean(text: str) -> str:
    """Drop `>` lines, then cut at a signature marker or a legal disclaimer."""
    text = _QUOTED.sub("", text)
    for regex in (_SIGNATURE, _DISCLAIMER):
        m = regex.search(text)
        if m and text[: m.start()].strip():
            text = text[: m.start()]
    return text.strip()


def _sender(headers: str) -> tuple[str, str]:
    m = _HEADER_FROM.search(headers)
    if not m:
        return "", ""
    value = m.group(1)
    addr = _ADDR.search(value)
    name = value[: addr.start()] if addr else value
    name = name.strip(" \t\"'<[(").strip()
    return (addr.group().lower() if addr else ""), name


def _relay(mail: ParsedMail, text: str, trusted: bool) -> Prepared | None:
    """A contact-form relay: labelled fields, one of them the person's message."""
    labels = list(_FORM_LABEL.finditer(text[:MAX_CHARS]))
    kinds = {m.group(1).lower() for m in labels}
    if (
        len(labels) < 3
        or not kinds & set(_FORM_MESSAGE)
        or not any(k in kinds for k in _FORM_NAME | {"e-post", "epost", "email", "e-mail"})
    ):
        return None
    fields: dict[str, str] = {}
    for i, m in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(text)
        fields.setdefault(m.group(1).lower(), text[m.end() : end].strip())
    message = next((fields[k] for k in _FORM_MESSAGE if fields.get(k)), "")
    message = re.split(r"\n\s*\n\s*\n", message, maxsplit=1)[0].strip()  # the form's footer follows
    if not message:
        return None
    email_field = next((fields[k] for k in fields if k.startswith(("e-", "ep", "em"))), "")
    addr = _ADDR.search(email_field)
    name = next((fields[k].split("\n")[0] for k in fields if k in _FORM_NAME), "")
    if not trusted:  # relay-shaped text from anyone else: its message, but never its address
        return Prepared(_clean(message), mail.from_addr, mail.from_name, relayed=True)
    requester = addr.group().lower() if addr else (mail.reply_to or mail.from_addr)
    return Prepared(_clean(message), requester, name.strip(), relayed=True)


def prepare(
    mail: ParsedMail, form_senders: Collection[str] = (), staff_domains: Collection[str] = ()
) -> Prepared:
    """The message's own text and its requester; never empty when the body is not.

    `form_senders`: addresses of contact-form relays whose Reply-To and e-mail field name the
    requester; `staff_domains`: the company's domains, whose forwards name the forwarded person.
    For all other mail the requester is the sender."""
    text = mail.text[:MAX_CHARS]
    trusted = mail.from_addr in form_senders
    requester, name = mail.from_addr, mail.from_name
    if trusted and mail.reply_to and mail.reply_to != mail.from_addr:
        requester, name = mail.reply_to, ""  # the form's From name is the form's, not the person's
    relay = _relay(mail, text, trusted)
    if relay is not None:
        return relay
    replies = _PARSER.read(text).replies
    if not replies:
        return Prepared(_clean(text) or text.strip(), requester, name, quoted_only=True)
    first = _clean(replies[0].body)
    forwarded = bool(
        _FORWARD_SUBJECT.match(mail.subject) or _FORWARD_MARK.search(replies[0].content)
    )
    if forwarded and len(_FORWARD_MARK.sub("", first).split()) < _NOTE_WORDS:
        ours = {_domain(a) for a in mail.to} | {_domain(mail.from_addr)}
        for reply in replies[
            1:3
        ]:  # "-----Original Message-----" may stand alone before the headers
            addr, fwd_name = _sender(reply.headers)
            body = _clean(reply.body)
            if addr and body:
                if _domain(addr) not in ours:
                    if _domain(mail.from_addr) not in staff_domains:  # the text, not the address
                        return Prepared(body, requester, name, forwarded=True)
                    return Prepared(body, addr, fwd_name, forwarded=True)
                break
    if first:
        return Prepared(first, requester, name)
    for reply in replies[1:]:  # only quoted history: keep it rather than lose the message
        body = _clean(reply.body)
        if body:
            return Prepared(body, requester, name, quoted_only=True)
    return Prepared(
        _QUOTED.sub(lambda m: m.group().lstrip(" \t>"), text).strip(),
        requester,
        name,
        quoted_only=True,
    )
