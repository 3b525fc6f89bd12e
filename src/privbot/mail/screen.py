"""Decide whether a parsed message was written by a person: human, auto_reply, bounce or spam.

A bounce is a report that a message was not delivered (it may mark our own reply undelivered);
every other automatic message (out-of-office, read receipt, challenge-response check, abuse
report, "this address is no longer in use", another helpdesk's ticket) is an auto_reply; bulk
and list mail, scams and phishing are spam. The order of the checks is the point of this module:

1. loops from our own address, and a spam filter's verdict;
2. machine-readable reports: DSN (bounce; a success notice is an auto_reply), MDN read receipt,
   ARF abuse report, a mail service's JSON notification;
3. delivery-failure headers and mail-system senders (MAILER-DAEMON, postmaster, no address);
4. auto-reply headers (RFC 3834 Auto-Submitted, X-Autoreply, Precedence …): an auto_reply
   unless the wording says "not delivered" and nothing says "away";
5. an empty return path without either: wording decides, and an auto_reply when none does;
6. list headers: spam, unless the wording is an out-of-office notice;
7. wording alone, in the message's own text (`intents/_kinds.toml`, loaded into `ScreenRules`).

Protocol markers are code; the wording in each language is data.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from privbot.errors import ConfigError
from privbot.mail.parse import SYSTEM_SENDER, ParsedMail
from privbot.text import is_forward_subject

log = logging.getLogger(__name__)


class Kind(StrEnum):
    """Who wrote a message: a person, or a program privbot records and leaves alone."""

    human = "human"
    auto_reply = "auto_reply"
    bounce = "bounce"
    spam = "spam"


TEXT_CHARS = 3000  # only the start of a message is read for tell-tale wording
REPORT_CHARS = 20_000  # report fields (Action:, Disposition:) are looked for this far in
_BOUNCE_SENDERS = re.compile(
    r"^(mailer-?daemon|post_?master|mail-?daemon|mail\.?delivery|bounces?)(@|$)", re.I
)
_AUTO_PRECEDENCE = {"junk", "auto_reply", "auto-reply"}
_BULK_PRECEDENCE = {"bulk", "list"}
_AUTO_HEADERS = (
    "X-Autoreply",
    "X-Autorespond",
    "X-Autoresponder",
    "X-Auto-Response-Suppress",
    "X-Loop",
    "X-Vacation",
)
_LIST_HEADERS = (
    "List-Id",
    "List-Unsubscribe",
    "List-Post",
    "List-Subscribe",
    "Mailing-List",
    "X-MLServer",
    "X-ML-Server",
)
_REPLY_PREFIX = re.compile(r"^\s*((re|sv|aw|vs|fw|fwd|vb|wg|tr|rv|odp|vl)\s*:\s*)+", re.I)
_QUOTE_MARKS = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.M)
_REPORT_TYPE = re.compile(r"report-type\s*=\s*\"?([a-z-]+)", re.I)
# fields of machine-readable reports, at the start of an unquoted line
_REPORT_FIELD = re.compile(
    r"^[ \t]*(action|status|disposition|feedback-type)[ \t]*:[ \t]*([^\s;]*)", re.I | re.M
)
_STATUS_CODE = re.compile(r"([245])\.\d{1,3}\.\d{1,3}")
_SERVICE_JSON = re.compile(r'\\?"notificationType\\?"\s*:\s*\\?"(Bounce|Complaint|Delivery)', re.I)
_SMTP_REPLY = re.compile(r"(?<![\d.])[45]\d\d[ -]#?[45]\.\d{1,3}\.\d{1,3}\b")


_FOLDS = tuple(  # (character, what it folds to); none of the results is folded again
    {
        "å": "a",
        "ä": "a",
        "ö": "o",
        "æ": "a",
        "ø": "o",
        "ł": "l",
        "\u2019": "'",
        "\u2018": "'",
    }.items()
)


def _fold(text: str) -> str:
    text = text.casefold()
    if text.isascii():
        return text
    for char, plain in _FOLDS:  # str.translate would look up every character
        if char in text:
            text = text.replace(char, plain)
    if not text.isascii():  # accents go; letters outside Latin script go too (nothing to match)
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return text


_WORD_START = re.compile(r"(?<![\w'])[\w']{1,4}")


def word_starts(folded_text: str) -> frozenset[str]:
    """The first letters of every word: phrases are only looked for where a word starts so."""
    return frozenset(_WORD_START.findall(folded_text))


@dataclass(frozen=True)
class TextRule:
    """Subject regexes (any hit decides) and weighted body phrases (sum ≥ 1.0 decides)."""

    subjects: tuple[re.Pattern[str], ...] = ()
    phrases: tuple[tuple[str, float], ...] = ()
    by_start: dict[str, tuple[tuple[str, float], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        index: dict[str, list[tuple[str, float]]] = {}
        for phrase, weight in self.phrases:
            start = _WORD_START.search(phrase)
            index.setdefault(start.group() if start else "", []).append((phrase, weight))
        self.by_start.update({k: tuple(v) for k, v in index.items()})

    def subject_hit(self, folded_subject: str) -> str:
        """The words of the subject that matched a rule (for the staff-visible reason), or ""."""
        for regex in self.subjects:
            found = regex.search(folded_subject)
            if found:
                return found.group(0).strip() or regex.pattern
        return ""

    def phrase_hits(
        self, folded_text: str, starts: frozenset[str] | None = None
    ) -> tuple[float, list[str]]:
        """Summed weight and the phrases found; `starts` (from `word_starts`) narrows the look.

        Words count once: a phrase found only where a weightier one found stands ("ar sjuk"
        and "sjukskriven" in "ar sjukskriven") adds nothing of its own."""
        if starts is None:
            starts = word_starts(folded_text)
        hits = [
            (p, w)
            # the keys among the text's word starts, found from the (fewer) word starts; sorted,
            # not in set order (the hash seed's)
            for key in sorted(self.by_start.keys() & starts)
            for p, w in self.by_start[key]
            if p in folded_text
        ]
        if len(hits) > 1:
            hits = _apart(hits, folded_text)
        return sum(w for _, w in hits), [p for p, _ in hits]


def _apart(hits: list[tuple[str, float]], text: str) -> list[tuple[str, float]]:
    """The hits with an occurrence of their own, weightiest (then longest) first: one that
    only ever overlaps the text of one kept before it is dropped."""
    taken: list[tuple[int, int]] = []
    kept = []
    for phrase, weight in sorted(hits, key=lambda h: (-h[1], -len(h[0]))):
        spans = [(m.start(), m.start() + len(phrase)) for m in re.finditer(re.escape(phrase), text)]
        free = [s for s in spans if all(s[1] <= a or s[0] >= b for a, b in taken)]
        if free:
            kept.append((phrase, weight))
            taken += spans
    return sorted(kept, key=hits.index)


@dataclass(frozen=True)
class ScreenRules:
    auto_reply: TextRule = field(default_factory=TextRule)
    bounce: TextRule = field(default_factory=TextRule)
    spam: TextRule = field(default_factory=TextRule)

    @classmethod
    def from_data(cls, data: dict[str, object], where: str) -> ScreenRules:
        rules: dict[str, TextRule] = {}
        if unknown := set(data) - {"auto_reply", "bounce", "spam"}:
            raise ConfigError(f"{where}: unknown section(s) {sorted(unknown)}")
        for name in ("auto_reply", "bounce", "spam"):
            section = data.get(name, {})
            if not isinstance(section, dict) or set(section) - {"subjects", "phrases"}:
                raise ConfigError(
                    f"{where}: [{name}] takes `subjects` (list) and `phrases` (table)"
                )
            subjects = section.get("subjects", [])
            phrases = section.get("phrases", {})
            if not isinstance(subjects, list) or not isinstance(phrases, dict):
                raise ConfigError(f"{where}: [{name}] subjects must be a list, phrases a table")
            compiled = []
            for s in subjects:
                try:
                    compiled.append(re.compile(_fold(str(s))))
                except re.error as exc:
                    raise ConfigError(f"{where}: [{name}] subject {s!r}: {exc}") from None
            weighted = []
            for p, w in phrases.items():
                if isinstance(w, bool) or not isinstance(w, (int, float)):
                    raise ConfigError(f"{where}: [{name}] phrase {p!r}: weight must be a number")
                weighted.append((" ".join(_fold(p).split()), float(w)))
            rules[name] = TextRule(tuple(compiled), tuple(weighted))
        return cls(**rules)


@dataclass(frozen=True)
class Screening:
    kind: Kind
    reasons: tuple[str, ...] = ()
    by_wording: bool = False  # only the subject's or the text's words said so, no header


class _Wording:
    """What the subject and the message's own text say, per kind: a strength (≥ 1.0 decides)
    and the reason. Folded once, weighed at most once per kind."""

    def __init__(self, subject: str, text: str, rules: ScreenRules | None) -> None:
        self.subject = _fold(subject)
        self.body = " ".join(_fold(text[:TEXT_CHARS]).split()) if rules is not None else ""
        self.starts = word_starts(self.body)
        self.rules = rules
        self._weighed: dict[Kind, tuple[float, str]] = {}

    def weigh(self, kind: Kind) -> tuple[float, str]:
        if kind not in self._weighed:
            self._weighed[kind] = self._weigh(kind)
        return self._weighed[kind]

    def _weigh(self, kind: Kind) -> tuple[float, str]:
        if self.rules is None:
            return 0.0, ""
        rule = {
            Kind.auto_reply: self.rules.auto_reply,
            Kind.bounce: self.rules.bounce,
            Kind.spam: self.rules.spam,
        }[kind]
        subject = _REPLY_PREFIX.sub("", self.subject) if kind is Kind.spam else self.subject
        # a person asks about it ("Out of office?"); a server's notice asks nothing
        asks = kind is Kind.auto_reply and subject.rstrip().endswith("?")
        pattern = "" if asks else rule.subject_hit(subject)
        score, hits = rule.phrase_hits(self.body, self.starts)
        if pattern and (kind is not Kind.spam or score >= 0.5):
            return 1.0 + max(score, 0.0), f"subject says {pattern!r}"
        if score >= 1.0:
            return score, "; ".join(f"text contains {h!r}" for h in hits[:5])
        return 0.0, ""

    def says(self, kind: Kind) -> str:
        return self.weigh(kind)[1]

    def strongest(self, kinds: tuple[Kind, ...]) -> tuple[Kind, str] | None:
        """The kind the wording speaks for most (the first on a tie), or None."""
        best: tuple[float, Kind, str] | None = None
        for kind in kinds:
            score, reason = self.weigh(kind)
            if reason and (best is None or score > best[0]):
                best = (score, kind, reason)
        return (best[1], best[2]) if best else None


def _report_text(mail: ParsedMail) -> str:
    """Where report fields count: report parts, the text (a quoted field starts with ">" and
    so is no field), and all of a forward (a forwarded bounce)."""
    text = mail.text[:REPORT_CHARS]
    if is_forward_subject(mail.subject) and ">" in text:
        text = _QUOTE_MARKS.sub("", text)
    return mail.report[:REPORT_CHARS] + "\n" + text


def _report(mail: ParsedMail) -> Screening | None:
    """A machine-readable report: delivery status, read receipt, abuse report, service JSON."""
    report_type = ""
    if mail.content_type == "multipart/report":  # else its report-type says nothing
        declared = _REPORT_TYPE.search(mail.header("Content-Type"))
        report_type = declared.group(1).lower() if declared else ""
    body = _report_text(mail)
    fields: dict[str, set[str]] = {}
    # no colon, no field: the regex, anchored at line starts, would try every position
    for name, value in _REPORT_FIELD.findall(body) if ":" in body else ():
        fields.setdefault(name.lower(), set()).add(value.lower())
    dispositions = fields.get("disposition", set())
    if report_type == "disposition-notification" or any(
        d.startswith(("manual-action/", "automatic-action/")) for d in dispositions
    ):
        return Screening(Kind.auto_reply, ("read receipt (MDN)",))
    if report_type == "feedback-report" or any(fields.get("feedback-type", ())):
        return Screening(Kind.auto_reply, ("abuse feedback report (ARF)",))
    actions = fields.get("action", set()) & {
        "failed",
        "delayed",
        "delivered",
        "relayed",
        "expanded",
    }
    statuses = {m.group(1) for v in fields.get("status", ()) if (m := _STATUS_CODE.match(v))}
    if actions & {"failed", "delayed"} or statuses & {"4", "5"}:
        return Screening(Kind.bounce, ("delivery status notification: not delivered",))
    if actions:  # delivered, relayed, expanded: a success notice, not a bounce
        return Screening(Kind.auto_reply, ("delivery status notification: delivered",))
    if report_type == "delivery-status" or mail.content_type == "message/delivery-status":
        return Screening(Kind.bounce, ("delivery status report",))
    service = _SERVICE_JSON.search(body[:TEXT_CHARS]) if "otificationType" in body else None
    if service:
        which = service.group(1).lower()
        kind = Kind.bounce if which == "bounce" else Kind.auto_reply
        return Screening(kind, (f"mail service notification: {which}",))
    if report_type:
        return Screening(Kind.auto_reply, (f"multipart/report ({report_type})",))
    return None


def _system_sender(mail: ParsedMail) -> str:
    if not mail.from_addr:
        return "no sender address (a mail system's notice)"
    if _BOUNCE_SENDERS.match(mail.from_addr) or SYSTEM_SENDER.search(mail.from_name):
        return "sender is a mailer daemon"
    return ""


def _auto_header(mail: ParsedMail) -> str:
    h = mail.header
    auto = h("Auto-Submitted").strip().lower()
    if auto and not auto.startswith("no"):
        return f"Auto-Submitted: {auto[:30]}"
    for name in _AUTO_HEADERS:
        if h(name):
            return f"{name} header"
    if h("X-Apple-Action").strip().lower() == "vacation":
        return "X-Apple-Action: vacation"
    precedence = h("Precedence").strip().lower()
    if precedence in _AUTO_PRECEDENCE:
        return f"Precedence: {precedence}"
    return ""


def screen(
    mail: ParsedMail,
    own_addresses: Iterable[str] = (),
    rules: ScreenRules | None = None,
    text: str | None = None,
) -> Screening:
    """The kind of `mail`. `rules` adds the wording checks; `text` is the message's own text
    (from `prepare`), so quoted history does not count; without it the whole body is read."""
    h = mail.header
    own = {a.strip().lower() for a in own_addresses}
    if mail.from_addr and mail.from_addr in own:
        return Screening(Kind.auto_reply, ("sent from privbot's own address (loop)",))
    if h("X-Spam-Flag").strip().lower() == "yes" or h("X-Spam-Status").strip().lower().startswith(
        "yes"
    ):
        return Screening(Kind.spam, ("spam filter verdict",))
    report = _report(mail)
    if report is not None:
        return report
    if h("X-Failed-Recipients"):
        return Screening(Kind.bounce, ("X-Failed-Recipients header",))
    system = _system_sender(mail)
    if system:
        return Screening(Kind.bounce, (system,))
    own_text = text if text is not None and text.strip() else mail.text
    words = _Wording(mail.subject, own_text, rules)
    auto = _auto_header(mail)
    null_path = h("Return-Path").strip() == "<>"
    if auto or null_path:
        marker = auto or "empty return path"
        away = words.says(Kind.auto_reply)
        failed = words.says(Kind.bounce) or (
            _SMTP_REPLY.search(mail.text[:REPORT_CHARS]) and "SMTP error code"
        )
        if failed and not away:
            return Screening(Kind.bounce, (marker, str(failed)))
        return Screening(Kind.auto_reply, (marker, away) if away else (marker,))
    precedence = h("Precedence").strip().lower()
    if any(h(name) for name in _LIST_HEADERS) or precedence in _BULK_PRECEDENCE:
        notice = words.strongest((Kind.bounce, Kind.auto_reply))  # list software, vacation
        if notice:
            return Screening(notice[0], ("mailing-list or bulk headers", notice[1]))
        return Screening(Kind.spam, ("mailing-list or bulk mail",))
    if rules is None:
        return Screening(Kind.human)
    found = words.strongest((Kind.bounce, Kind.auto_reply, Kind.spam))
    if found:
        return Screening(found[0], tuple(found[1].split("; ")), by_wording=True)
    return Screening(Kind.human)
