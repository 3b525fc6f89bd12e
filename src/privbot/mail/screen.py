"""Decide whether a parsed message was written by a person: human, auto_reply, bounce or spam.

Protocol markers (RFC 3834 Auto-Submitted, Precedence, X-Autoreply, multipart/report, empty
return path, MAILER-DAEMON, spam-filter verdicts, list headers) are code; the wording of
out-of-office notices, non-delivery reports and scams is data (`intents/_kinds.toml`, loaded
into `ScreenRules` by `classify/intents.py`). What a human message asks for is left to classify.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from privbot.classify.result import Kind
from privbot.errors import ConfigError
from privbot.mail.parse import ParsedMail
from privbot.text import SUBJECT_PREFIX, fold, is_bounce_sender

log = logging.getLogger(__name__)

TEXT_CHARS = 3000  # only the start of a message is read for tell-tale wording
_AUTO_PRECEDENCE = {"junk", "auto_reply", "auto-reply"}
_BULK_PRECEDENCE = {"bulk", "list"}
_REPLY_PREFIX = SUBJECT_PREFIX  # privbot.text holds the one set of prefixes


_fold = fold


@dataclass(frozen=True)
class TextRule:
    """Subject regexes (any hit decides) and weighted body phrases (sum ≥ 1.0 decides)."""

    subjects: tuple[re.Pattern[str], ...] = ()
    phrases: tuple[tuple[str, float], ...] = ()

    def subject_hit(self, folded_subject: str) -> str:
        """The words of the subject that matched a rule (for the staff-visible reason), or ""."""
        for regex in self.subjects:
            found = regex.search(folded_subject)
            if found:
                return found.group(0).strip() or regex.pattern
        return ""

    def phrase_hits(self, folded_text: str) -> tuple[float, list[str]]:
        hits = [(p, w) for p, w in self.phrases if p in folded_text]
        return sum(w for _, w in hits), [p for p, _ in hits]


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


def _headers(mail: ParsedMail, own: set[str]) -> Screening | None:
    h = mail.header
    if mail.from_addr in own:
        return Screening(Kind.auto_reply, ("sent from privbot's own address (loop)",))
    if h("X-Spam-Flag").strip().lower() == "yes" or h("X-Spam-Status").strip().lower().startswith(
        "yes"
    ):
        return Screening(Kind.spam, ("spam filter verdict",))
    if mail.content_type == "multipart/report":
        return Screening(Kind.bounce, ("multipart/report",))
    if is_bounce_sender(mail.from_addr):
        return Screening(Kind.bounce, ("sender is a mailer daemon",))
    if h("Return-Path").strip() == "<>" or h("X-Failed-Recipients"):
        return Screening(Kind.bounce, ("empty return path or failed recipients",))
    auto = h("Auto-Submitted").strip().lower()
    if auto and not auto.startswith("no"):
        return Screening(Kind.auto_reply, (f"Auto-Submitted: {auto[:30]}",))
    for name in (
        "X-Autoreply",
        "X-Autorespond",
        "X-Autoresponder",
        "X-Auto-Response-Suppress",
        "X-Loop",
    ):
        if h(name):
            return Screening(Kind.auto_reply, (f"{name} header",))
    precedence = h("Precedence").strip().lower()
    if precedence in _AUTO_PRECEDENCE:
        return Screening(Kind.auto_reply, (f"Precedence: {precedence}",))
    if h("List-Id") or h("List-Unsubscribe") or h("List-Post") or precedence in _BULK_PRECEDENCE:
        return Screening(Kind.spam, ("mailing-list or bulk mail",))
    return None


def screen(
    mail: ParsedMail,
    own_addresses: Iterable[str] = (),
    rules: ScreenRules | None = None,
    text: str | None = None,
) -> Screening:
    """The kind of `mail`. `rules` adds the wording checks; `text` is the message's own text
    (from `prepare`), so quoted history does not count; without it the whole body is read."""
    own = {a.strip().lower() for a in own_addresses}
    found = _headers(mail, own)
    if found is not None:
        if found.kind is Kind.spam and rules is not None:  # a vacation program may say "bulk"
            folded = _fold(mail.text[:TEXT_CHARS])
            score, _ = rules.auto_reply.phrase_hits(folded)
            if rules.auto_reply.subject_hit(_fold(mail.subject)) or score >= 1.0:
                return Screening(Kind.auto_reply, found.reasons + ("out-of-office wording",))
        return found
    if rules is None:
        return Screening(Kind.human)
    subject = _fold(mail.subject)
    body = " ".join(
        _fold((text if text is not None and text.strip() else mail.text)[:TEXT_CHARS]).split()
    )
    bare_subject = _REPLY_PREFIX.sub("", subject)
    for kind, rule in (
        (Kind.bounce, rules.bounce),
        (Kind.auto_reply, rules.auto_reply),
        (Kind.spam, rules.spam),
    ):
        pattern = rule.subject_hit(bare_subject if kind is Kind.spam else subject)
        score, hits = rule.phrase_hits(body)
        if pattern and (kind is not Kind.spam or score >= 0.5):
            return Screening(kind, (f"subject says {pattern!r}",))
        if score >= 1.0:
            return Screening(kind, tuple(f"text contains {h!r}" for h in hits[:5]))
    return Screening(Kind.human)
