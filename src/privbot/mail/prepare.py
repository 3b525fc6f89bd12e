"""Find the text a message's author actually wrote now, and who the requester is.

In order:
1. A website contact-form relay ("Label: value" lines, one of them the person's message, which
   may run over many lines) is read as the person's own message.
2. Header blocks inside the body ("Från:/Skickat:/Till:/Ämne:", "From:/Sent:/To:/Subject:",
   Gmail's "---------- Forwarded message ---------", Apple Mail's "Begin forwarded message:",
   Thunderbird's "-------- Forwarded Message --------", in the languages privbot reads) split it
   into the author's note and what was forwarded or quoted. A forward by someone else (staff) of
   an outside person's mail is read as that person's message; a reply's history is cut off.
3. mail-parser-reply (Swedish and English) finds "On … wrote:" history; `>` lines are dropped
   wherever they stand, so a bottom-posted answer is kept. Bullets ("- ", "* ") survive.
4. Signatures and legal disclaimers are cut.
Classification of the prepared text is left to `classify/match.py`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from mailparser_reply import EmailMessage, EmailReply

from privbot.mail.parse import ParsedMail
from privbot.text import is_forward_subject

log = logging.getLogger(__name__)

MAX_CHARS = 50_000  # the reply parser reads at most this much of a body
_LANGUAGES = ["sv", "en"]


def _reply_regexes() -> dict[str, re.Pattern[str]]:
    """mail-parser-reply's regexes, built once instead of for every message it reads, and
    sped up without changing what they match.

    Its signature regex starts most alternatives with `\\s*^` and ends in `(.|\\s)*`: tried at
    every position of a long run of blank lines it takes quadratic time (seconds for a message
    padded with thousands of empty lines). A match starting inside a run of newlines also
    matches at the run's first newline (`\\s*` and `\\n{2,}` take the extra newlines; the other
    alternatives start with a quote mark or a word), so the leftmost match, the only one read,
    never starts inside one: those starts are refused at once, and the result is the same.

    The regex engine tries both regexes at every position of the text, each alternative in
    turn. But every alternative of the header regex starts at a line start (`^`) or at a newline
    (`(?:^|\\n|…)`), and every alternative of the signature regex at a line start or where
    white space up to a newline follows (`\\s*^`, `\\n{2,}`): a lookahead saying so refuses the
    other positions at once, and the matches (and so the replies) are the same, in half the
    time. The header regex's From-block alternatives (`_guarded`) are refused as quickly where
    no header name stands. The signature regex ends in `(.|\\s)*`, the rest of the text a
    character at a time, each a group: `[\\s\\S]*` takes it in one run."""
    probe = EmailMessage(text="", languages=list(_LANGUAGES))
    header, signature = probe.HEADER_REGEX, probe.SIGNATURE_REGEX
    # `(.|\s)*`, any character at a time, as a run of any characters: the same match
    signature = re.compile(signature.pattern.replace(r"(.|\s)*", r"[\s\S]*"), signature.flags)
    return {
        "_header_regex": re.compile(r"(?:^|(?=\n))(?:%s)" % _guarded(probe), header.flags),
        "_disclaimers_regex": probe.DISCLAIMERS_REGEX,
        "_signature_regex": re.compile(
            r"(?=^|\s*\n)(?!(?<=\n)\n)(?:%s)" % signature.pattern, signature.flags
        ),
    }


# How mail-parser-reply's From-block header alternative starts: a line start, or a newline and
# perhaps quote marks, then the header names
_FROM_BLOCK = re.compile(r"\(\(\?:\(\?:\^\|\\n\|\\n\(\?:> \?\)\*\)\[\* \]\*\(\?:([^()]+)\):")


def _guarded(probe: EmailMessage) -> str:
    """The header regex's pattern, its From-block alternatives (two or more "From:"-style lines,
    a quantified group the engine is slow to set up) behind a lookahead that a header name
    follows the line start or newline where they would start: a looser condition they imply."""
    pattern: str = probe.HEADER_REGEX.pattern
    wrote, froms = (
        [p for lang in probe.languages if (p := probe._get_language_regex(lang, key))]
        for key in ("wrote_header", "from_header")
    )
    start = "|".join([*wrote, *froms]) + "|"  # then the "Original Message" separator
    names = [_FROM_BLOCK.match(f) for f in froms]
    if not froms or not pattern.startswith(start) or not all(names):
        return pattern  # built otherwise than it was when this was written
    guard = r"(?=\n?[> ]*[* ]*(?:%s):)" % "|".join(n[1] for n in names if n)
    guarded = guard + "(?:%s)" % "|".join(froms)
    return "|".join([*wrote, guarded, pattern[len(start) :]])


_REPLY_REGEXES = _reply_regexes()


def _replies(text: str) -> Iterator[EmailReply]:
    """`EmailReplyParser(languages=["sv", "en"]).read(text).replies`, one at a time and without
    its slow paths.

    `EmailMessage.read` finds every header in the text, then a signature and the disclaimers in
    every part between two headers, although `prepare` reads the first reply alone unless it is
    empty (most mail). Here each reply is read when it is asked for, in the same way
    (`EmailMessage.read`, step by step): the headers found one after the other, a part's
    signature and disclaimers only for a part that is yielded."""
    message = EmailMessage(text=text, languages=list(_LANGUAGES), **_REPLY_REGEXES)
    text = message.text  # as the parser normalised it
    header_regex = _REPLY_REGEXES["_header_regex"]
    current_position, previous_header = 0, ""
    for match in header_regex.finditer(text):
        for header in _findall_item(header_regex, match):
            if not header:
                continue
            position = text.find(
                header, current_position + 1 if current_position > 0 else current_position
            )
            content = text[current_position:position]
            headers = previous_header
            current_position = position if position >= 0 else 0
            previous_header = header
            if content.strip():  # an empty part is skipped, as `read` skips it
                yield _reply(message, headers, content)
    yield _reply(message, previous_header, text[current_position:])


def _findall_item(regex: re.Pattern[str], match: re.Match[str]) -> Iterator[str]:
    """What `read` takes of one match: `chain.from_iterable` over the item `regex.findall`
    gives for it (a tuple of the groups, or a string when the regex has fewer than two)."""
    if regex.groups > 1:
        yield from (group or "" for group in match.groups())
    else:
        yield from match.group(regex.groups) or ""


def _reply(message: EmailMessage, headers: str, content: str) -> EmailReply:
    """One reply as `EmailMessage.read` makes it."""
    if _MAIL.search(content):
        disclaimers, signatures = message._process_signatures_disclaimers(content)
    else:  # the disclaimer regex finds nothing: the same, without going through the text
        signature = _REPLY_REGEXES["_signature_regex"].search(content)
        disclaimers, signatures = [], signature.group() if signature else ""
    return EmailReply(
        headers=headers, content=content, signatures=signatures, disclaimers=disclaimers
    )


# Every disclaimer the reply parser finds has "mail" in it (`(?:mail)`, case-insensitive), and
# few texts do: where none does, the disclaimer regex is not tried at every position.
_MAIL = re.compile("mail", _REPLY_REGEXES["_disclaimers_regex"].flags)
if "(?:mail)" not in _REPLY_REGEXES["_disclaimers_regex"].pattern:
    _MAIL = re.compile("")  # built otherwise than it was when this was written: always tried


_ADDR = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
# Header lines of a forwarded or quoted message, in the languages privbot reads.
_FROM_WORDS = (
    "från|from|fra|von|de|od|lähettäjä|van|afzender|avsändare|absender|expéditeur|remitente"
)
_HEADER_WORDS = (
    _FROM_WORDS + "|skickat|sent|sendt|gesendet|envoyé|enviado|wysłano|lähetetty|verzonden|"
    "datum|date|dato|fecha|data|päivämäärä|päiväys|"
    "till|to|til|an|à|para|do|vastaanottaja|aan|"
    "kopia|cc|kopie|"
    "ämne|subject|emne|betreff|objet|asunto|temat|aihe|onderwerp|"
    "svara till|reply-to|antwort an"
)
# (The lookahead, implied by the ":" the line needs, is there for speed: the engine tries the
# many names, one after the other, only at the start of a line with a colon.)
_HEADER_LINE = re.compile(
    rf"^(?=[^\n]*:)[ \t]*\**[ \t]*({_HEADER_WORDS})[ \t]*\**[ \t]*:[ \t]*\**(.{{0,300}})$",
    re.I | re.M,
)
_IS_FROM = re.compile(rf"^(?:{_FROM_WORDS})$", re.I)
_FORWARD_MARK = re.compile(
    r"^[ \t>]*[-_=*]*[ \t]*(?:början på |start of |anfang der |début du |inicio del )?"
    r"(?:vidarebefordrat meddelande|forwarded message|original message|"
    r"ursprungligt meddelande|begin forwarded message|videresendt (?:melding|meddelelse)|"
    r"weitergeleitete nachricht|ursprüngliche nachricht|opprinnelig melding|"
    r"oprindelig meddelelse|välitetty viesti|alkuperäinen viesti|przekazana wiadomość|"
    r"wiadomość oryginalna|message transféré|message d'origine|mensaje reenviado|"
    r"mensaje original|doorgestuurd bericht)[ \t:]*[-_=*]*[ \t]*$",
    re.I | re.M,
)
_RULE_LINE = re.compile(r"^[ \t]*[_\-=]{8,}[ \t]*$", re.M)
_QUOTED = re.compile(r"^[ \t]*>.*$\n?", re.M)
# An unticked box of a request form ("[ ] Radering", "☐ Right of access"): not asked for.
_UNTICKED = re.compile(r"^[ \t]*(?:\[[ \t]?\]|\([ \t]?\)|☐|□|❏)[^\n]*\n?", re.M)
_BOXES = ("[]", "[ ]", "[\t]", "()", "( )", "(\t)", "☐", "□", "❏")  # one stands in each
_BULLET = re.compile(r"^([ \t]*)[-*+–][ \t]+(?=\S)", re.M)
_BULLET_MARKS = tuple(mark + blank for mark in "-*+–" for blank in " \t")  # one stands in each
# A signature marker, or the start of a legal disclaimer, at a line start: matched in the text
# with a newline put before it (`_clean`), so that the regex engine skips from newline to
# newline; anchored with `^`, it tried every position of the text.
_SIGNATURE = re.compile(
    r"\n(?:-- ?|__+|skickat från min \w+.*|sent from my \w+.*|hämta outlook för \w+.*|"
    r"get outlook for \w+.*|skickat från outlook.*|sent from outlook.*|enviado desde mi \w+.*|"
    r"envoyé de mon \w+.*|von meinem \w+ gesendet.*|gesendet von meinem \w+.*|"
    r"lähetetty \w+-laitteesta.*|wysłane z (?:mojego )?\w+.*|sendt fra min \w+.*)$",
    re.I | re.M,
)
_DISCLAIMER = re.compile(
    r"\n[ \t]*(?:detta (?:e-?post|mejl|mail|meddelande)|this (?:e-?mail|message|communication)|"
    r"konfidentiali|confidentiality|disclaimer|the information (?:contained|in this)|informationen i detta|"
    r"om du (?:inte är|har fått)|if you (?:are not|have received)|vi behandlar (?:dina )?personuppgifter|"
    r"we (?:process|handle) (?:your )?personal data|läs mer om hur vi|read (?:more )?about how we|"
    r"information om (?:hur vi behandlar|vår behandling)|sekretess|"
    r"diese (?:e-mail|nachricht) (?:enthält|kann)|ce (?:message|courriel) (?:est|peut)|"
    r"este (?:mensaje|correo) (?:es|puede|contiene)|tämä viesti|denne (?:e-post|meldingen|e-mail))",
    re.I | re.M,
)
# A form's "Label: value" line: a short label of words, then its value (perhaps empty).
_FIELD = re.compile(r"^[ \t]*([^\W\d_][\w]*(?:[ ./&()-]{1,2}[\w]+){0,3})[ \t]*:[ \t]*(.*)$", re.M)
_FORM_MESSAGE = re.compile(
    r"^(?:meddelande|message|ditt meddelande|your message|fritext|beskrivning|din fråga|fråga|"
    r"question|your question|kommentar|kommentarer|comment|comments|ärendebeskrivning|"
    r"beskriv ditt ärende|ditt ärende|text|nachricht|ihre nachricht|mitteilung|viesti|"
    r"wiadomość|treść|mensaje|consulta|melding|besked|henvendelse|inquiry|enquiry|"
    r"description|details|övrigt meddelande|message body)$",
    re.I,
)
_FORM_NAME = re.compile(
    r"^(?:namn|name|fullständigt namn|full name|ditt namn|your name|navn|nimi|imię i nazwisko|"
    r"imię|nom|nombre|vor- und nachname|kontaktperson)$",
    re.I,
)
_FORM_EMAIL = re.compile(
    r"^(?:e-?post(?:adress)?|e-?mail(?:-?adress)?|email address|mail|mejl|epost|din e-post|"
    r"your email|sähköposti|correo(?: electrónico)?|courriel|adres e-mail|e-mail-adresse)$",
    re.I,
)
# Known labels without a colon, as an HTML form's table reads once converted ("Namn Signe Lund").
_BARE_FIELD = re.compile(
    r"^[ \t]*(namn|name|fullständigt namn|full name|e-?post(?:adress)?|e-?mail|telefon|phone|"
    r"ärende|ämne|subject|företag|company|meddelande|message|ditt meddelande|your message|"
    r"fritext|beskrivning|din fråga|fråga|question|kommentar|comment)\b[ \t]*:?[ \t]*(.*)$",
    re.I | re.M,
)
# The start of a line with the only labels of `_BARE_FIELD` that name an e-mail field, matched
# in the text with a newline put before it (the regex engine skips from newline to newline).
_BARE_EMAIL_LABEL = re.compile(r"\n[ \t]*e-?(?:post|mail)", re.I)
_FORM_FOOTER = re.compile(
    r"^[ \t]*(?:--|detta meddelande skickades|this (?:message|e-?mail) was sent|"
    r"skickat (?:via|från) (?:formuläret|kontaktformuläret|webbplatsen)|sent (?:via|from) the "
    r"(?:contact )?form|svara direkt på|reply directly)",
    re.I | re.M,
)
# senders of newsletters and notices: what one forwards is no person's request
_BULK_SENDER = re.compile(
    r"(?:nyhetsbrev|newsletter|news|nyheter|events?|info|no-?reply|do-?not-?reply|marketing|"
    r"kampanj|utskick|mailer|notifications?|notify|webinar)[.+-]?[^@]*@",
    re.I,
)
_NOTE_WORDS = 40  # forwarding note shorter than this: the forwarded text is the message


@dataclass(frozen=True)
class Prepared:
    new_text: str  # what the author (or the forwarded or relayed person) wrote now
    requester_addr: str
    requester_name: str
    forwarded: bool = False  # forwarded by staff: new_text is the forwarded person's message
    relayed: bool = False  # a contact-form relay: new_text is the form's message field
    quoted_only: bool = False  # nothing new was written; new_text is the quoted history


@dataclass(frozen=True)
class _Block:
    start: int  # where the header block (or the forward mark above it) starts
    end: int  # where its headers end: the forwarded or quoted text follows
    addr: str  # its From address, if any
    name: str
    marked: bool  # a forward mark ("Forwarded message") stands above it


def _domain(addr: str) -> str:
    return addr.rpartition("@")[2].lower()


def _clean(text: str) -> str:
    """Drop `>` lines, then cut at a signature marker or a legal disclaimer."""
    if ">" in text:  # else no line is quoted: the regex would try every position for nothing
        text = _QUOTED.sub("", text)
    for regex in (_SIGNATURE, _DISCLAIMER):
        m = regex.search("\n" + text)  # the newline found stands where its line starts in `text`
        if m and text[: m.start()].strip():
            text = text[: m.start()]
    return text.strip()


def _bullets_marked(text: str) -> str:
    """List bullets ("- ", "* ") as "• ". Most mail has none, and the regex, anchored at line
    starts, tries every position of the text to find none: a substring test rules them out."""
    if not any(mark in text for mark in _BULLET_MARKS):
        return text
    return _BULLET.sub(r"\1• ", text)


def _unticked_dropped(text: str) -> str:
    """The text without the lines of unticked boxes (as `_bullets_marked`, looked for only
    where a box stands)."""
    if not any(box in text for box in _BOXES):
        return text
    return _UNTICKED.sub("", text)


def _sender(value: str) -> tuple[str, str]:
    addr = _ADDR.search(value)
    name = value[: addr.start()] if addr else value
    name = name.strip(" \t\"'<[(*").strip()
    return (addr.group().lower() if addr else ""), name


def _blocks(text: str) -> list[_Block]:
    """Header blocks: two or more header lines in a row (blank lines between allowed), one of
    them a From line, or a forward mark with header lines under it."""
    found: list[_Block] = []
    if ":" not in text:  # no header line, and the regex is slow to find none (its many names)
        return found
    lines = list(_HEADER_LINE.finditer(text))
    i = 0
    while i < len(lines):
        j = i
        while j + 1 < len(lines) and not text[lines[j].end() : lines[j + 1].start()].strip():
            j += 1
        group = lines[i : j + 1]
        i = j + 1
        froms = [m for m in group if _IS_FROM.match(m.group(1).strip())]
        before = text[: group[0].start()].rstrip()
        mark = _FORWARD_MARK.search(before[-200:]) if before else None
        marked = mark is not None and not before[-200:][mark.end() :].strip()
        if len(group) < 2 or not (froms or marked):
            continue
        start = group[0].start()
        if marked and mark is not None:
            start = len(before[: max(0, len(before) - 200)]) + mark.start()
        else:
            rules = list(_RULE_LINE.finditer(before[-120:]))
            rule = rules[-1] if rules else None
            if rule is not None and not before[-120:][rule.end() :].strip():
                start = len(before[: max(0, len(before) - 120)]) + rule.start()
        addr, name = _sender(froms[0].group(2)) if froms else ("", "")
        found.append(_Block(start, group[-1].end(), addr, name, marked))
    return found


def _field_value(text: str, fields: list[re.Match[str]], k: int) -> str:
    end = fields[k + 1].start() if k + 1 < len(fields) else len(text)
    value = text[fields[k].start(2) : end]
    footer = _FORM_FOOTER.search(value)
    if footer and value[: footer.start()].strip():
        value = value[: footer.start()]
    return value.strip()


def _bare_fields(head: str) -> list[re.Match[str]]:
    """`_BARE_FIELD`'s fields of a form, or none where no e-mail field stands among them (such
    fields are not read as a relay's): `_BARE_FIELD`, with its many labels, is slow to find
    none at the start of every line, `_BARE_EMAIL_LABEL` quick."""
    if _BARE_EMAIL_LABEL.search("\n" + head) is None:
        return []
    return list(_BARE_FIELD.finditer(head))


def _relay(mail: ParsedMail, text: str, trusted: bool) -> Prepared | None:
    """A contact-form relay: labelled fields, one of them the person's message."""
    head = text[:MAX_CHARS]
    fields = [
        m
        for m in (_FIELD.finditer(head) if ":" in head else ())  # no colon, no "Label:" line
        if not _HEADER_LINE.match(m.group()) or _FORM_EMAIL.match(m.group(1).strip())
    ]
    if len(fields) < 3:
        fields = _bare_fields(head)
    labels = [m.group(1).strip() for m in fields]
    if len(fields) < 3:
        return None
    email_at = next((k for k, lab in enumerate(labels) if _FORM_EMAIL.match(lab)), None)
    if email_at is None:
        return None
    message_at = next((k for k, lab in enumerate(labels) if _FORM_MESSAGE.match(lab)), None)
    if message_at is None:  # no message label: the field that runs over several lines
        multi = [k for k in range(len(fields)) if "\n" in _field_value(head, fields, k)]
        if not multi:
            return None
        message_at = max(multi, key=lambda k: len(_field_value(head, fields, k)))
    # the message runs to the end of the form: later "labels" are lines of the message
    tail = head[fields[message_at].start(2) :]
    footer = _FORM_FOOTER.search(tail)
    if footer and tail[: footer.start()].strip():
        tail = tail[: footer.start()]
    message = re.split(r"\n\s*\n\s*\n", tail.strip(), maxsplit=1)[0].strip()
    if not message:
        return None
    if not trusted:  # relay-shaped text from anyone else: its message, but never its address
        return Prepared(_clean(message), mail.from_addr, mail.from_name, relayed=True)
    addr = _ADDR.search(_field_value(head, fields, email_at))
    name_at = next((k for k, lab in enumerate(labels) if _FORM_NAME.match(lab)), None)
    name = _field_value(head, fields, name_at).split("\n")[0] if name_at is not None else ""
    requester = addr.group().lower() if addr else (mail.reply_to or mail.from_addr)
    return Prepared(_clean(message), requester, name.strip(), relayed=True)


def _forward(
    mail: ParsedMail,
    text: str,
    blocks: list[_Block],
    requester: str,
    name: str,
    staff_domains: Collection[str],
) -> Prepared | None:
    """The first header block, read as a forward when the subject or a mark says so, or when
    nothing stands above it."""
    first = blocks[0]
    note = _clean(text[: first.start])
    nxt = next((b.start for b in blocks[1:] if b.start >= first.end), len(text))
    body = _clean(text[first.end : nxt])
    forwarded = first.marked or is_forward_subject(mail.subject)
    if not forwarded:
        if note:
            return Prepared(note, requester, name)
        return Prepared(body, requester, name, quoted_only=True) if body else None
    if not body:
        return Prepared(note, requester, name) if note else None
    ours = {_domain(a) for a in mail.to} | {_domain(mail.from_addr)}
    if first.addr and first.addr in (mail.from_addr, mail.reply_to):
        return Prepared(f"{note}\n\n{body}".strip(), requester, name)  # their own earlier mail
    if first.addr and _BULK_SENDER.match(first.addr) and note:
        return Prepared(note, requester, name)  # a newsletter passed on: the note is the message
    if first.addr and _domain(first.addr) not in ours:
        if _domain(mail.from_addr) not in staff_domains:  # the text, not the address
            return Prepared(body, requester, name, forwarded=True)
        return Prepared(body, first.addr, first.name, forwarded=True)
    if first.addr and len(blocks) > 1:  # staff forwarded a colleague's forward: look deeper
        rest = text[first.end :]
        deeper = _forward(mail, rest, _blocks(rest), requester, name, staff_domains)
        if deeper is not None and deeper.forwarded:
            return deeper
    ours_only = {_domain(a) for a in mail.to}
    if note and (
        len(note.split()) >= _NOTE_WORDS or (first.addr and _domain(first.addr) in ours_only)
    ):
        return Prepared(note, requester, name)  # e.g. a customer forwarding our own mail
    # a forward between two addresses of one domain ("gmail.com", a family's or a firm's):
    # the note and what it passes on
    return Prepared(f"{note}\n\n{body}".strip(), requester, name)


def prepare(
    mail: ParsedMail, form_senders: Collection[str] = (), staff_domains: Collection[str] = ()
) -> Prepared:
    """The message's own text and its requester; never empty when the body is not.

    `form_senders`: addresses of contact-form relays whose Reply-To and e-mail field name the
    requester; `staff_domains`: the company's domains, whose forwards name the forwarded person.
    For all other mail the requester is the sender."""
    text = _unticked_dropped(_bullets_marked(mail.text[:MAX_CHARS]))
    trusted = mail.from_addr in form_senders
    requester, name = mail.from_addr, mail.from_name
    if trusted and mail.reply_to and mail.reply_to != mail.from_addr:
        requester, name = mail.reply_to, ""  # the form's From name is the form's, not the person's
    relay = _relay(mail, text, trusted)
    if relay is not None:
        return relay
    # Apple Mail quotes what it forwards (no ">" in the text, no quote: no mark looked for)
    mark = _FORWARD_MARK.search(text) if ">" in text else None
    if mark and re.match(r"\s*>", text[mark.end() :]):
        text = text[: mark.end()] + re.sub(r"^[ \t]*> ?", "", text[mark.end() :], flags=re.M)
    blocks = _blocks(text)
    if blocks:
        found = _forward(mail, text, blocks, requester, name, staff_domains)
        if found is not None:
            return found
    replies = _replies(text)
    reply = next(replies, None)
    if reply is None:
        return Prepared(_clean(text) or text.strip(), requester, name, quoted_only=True)
    first = _clean(reply.body)
    if first:
        return Prepared(first, requester, name)
    for reply in replies:  # below the history: a bottom-posted answer, or only history
        own = _QUOTED.sub("", reply.body)
        if own.strip() and _QUOTED.search(reply.body):
            return Prepared(_clean(own), requester, name)
        body = _clean(reply.body)
        if body:
            return Prepared(body, requester, name, quoted_only=True)
    return Prepared(
        _QUOTED.sub(lambda m: m.group().lstrip(" \t>"), text).strip(),
        requester,
        name,
        quoted_only=True,
    )
