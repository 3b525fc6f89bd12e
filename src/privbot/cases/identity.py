"""Identity verification: a one-time code (and link) sent to the address of record, confirmed
by the code in a reply, on the command line or through the web, one reminder after a day, and
closing as `identity_not_verified` when nobody confirms.

Only salted hashes of codes and links are stored, and the notice carrying a code has its raw
bytes blanked once the code is used or expired. A new case gets its first code inside its
receipt (`cases/receipt.py`: one automatic mail per request; see the README: the month runs while
we wait); staff can record another method instead. Which intents need this and what may be
approved before is `cases/gate.py`.

Guessing is bounded: of the code-shaped strings in one message only the first
`CANDIDATES_PER_MESSAGE` count, each wrong one (and each wrong code typed on the command line)
is a failed attempt, and after `MAX_FAILED` the codes and links of the case are void and staff
are told (the case is flagged for review and the event audited).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from privbot import mailboxes
from privbot.cases import actions, outbox
from privbot.cases.audit import audit
from privbot.cases.gate import awaits_verification
from privbot.cases.pauses import end_pauses, first_pause
from privbot.cases.store import make_draft
from privbot.cases.template_vars import case_context
from privbot.config import Config
from privbot.errors import StateError
from privbot.mail.limits import refusal
from privbot.models import Case, IdentityToken, Message, Outcome, OutgoingMail, Status, utcnow
from privbot.replies import Replies

log = logging.getLogger(__name__)

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE = re.compile(r"(?<![A-Za-z0-9])([A-Za-z2-9]{4})[- ]?([A-Za-z2-9]{4})(?![A-Za-z0-9])")
MAX_FAILED = 5
CANDIDATES_PER_MESSAGE = 3  # code-shaped strings of one message that are tried
# Links (with their token) and addresses: a whole run of non-space characters that holds "://"
# or "@" with something before and after. Only a run's start can begin a match (a later start
# has less before the mark), so other starts are refused at once by the lookbehind instead of
# being tried to the end of their run: the same matches in linear time.
_NOT_CODES = re.compile(r"(?<!\S)(?:\S+://\S+|\S+@\S+)")


def _hash(salt: str, value: str) -> str:
    return hmac.new(bytes.fromhex(salt), value.encode(), hashlib.sha256).hexdigest()


def _link_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_code(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", code).upper()


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return raw[:4] + "-" + raw[4:]


def _live_tokens(session: Session, case: Case, now: datetime) -> list[IdentityToken]:
    # The query reads the case's tokens alone: the session is flushed first only when it holds
    # a change to one of them. An autoflush before every follow-up's lookup wrote the batch's
    # other changes (its cases, earlier messages' drafts and mail) a few rows at a time instead
    # of together when the batch flushes.
    if _tokens_changed(session, case):
        session.flush()
    with session.no_autoflush:
        return list(
            session.exec(
                select(IdentityToken).where(
                    IdentityToken.case_id == case.id,
                    col(IdentityToken.used_at).is_(None),
                    IdentityToken.expires_at > now,
                    IdentityToken.failed_attempts < MAX_FAILED,
                )
            ).all()
        )


def _tokens_changed(session: Session, case: Case) -> bool:
    """Does the session hold a token of `case` not yet written, or a change to one?"""
    return any(
        isinstance(obj, IdentityToken) and obj.case_id == case.id
        for changed in (session.new, session.dirty, session.deleted)
        for obj in changed
    )


def _first_inbound(session: Session, case: Case) -> Message | None:
    return session.exec(
        select(Message)
        .where(Message.case_id == case.id, Message.direction == "in")
        .order_by(col(Message.id))
    ).first()


@dataclass(frozen=True)
class NewCode:
    token: IdentityToken
    code: str
    url: str  # the confirmation link, "" without `public_url`


def code_due(case: Case) -> bool:
    """Does a new case's first mail carry a code? Not while the reading is uncertain: staff send
    it with `privbot verify REF --send-code` once they agree."""
    return awaits_verification(case) and not case.needs_review and case.status != Status.closed


def new_code_for(
    session: Session,
    config: Config,
    case: Case,
    kind: str = "request",
    now: datetime | None = None,
) -> NewCode:
    """A fresh code (and link) for the case; only their hashes are stored, by `attach`, with the
    mail that carries it."""
    now = now or utcnow()
    code, link = new_code(), secrets.token_urlsafe(24)
    salt = secrets.token_hex(16)
    url = "%s/verify/%s" % (config.public_url, link) if config.public_url else ""
    token = IdentityToken(
        case_id=case.id or 0,
        salt=salt,
        code_hash=_hash(salt, normalise_code(code)),
        link_hash=_link_hash(link) if url else "",
        created_at=now,
        expires_at=now + timedelta(days=mailboxes.of_case(config, case).identity_close_days),
        kind=kind,
    )
    return NewCode(token, code, url)


def attach(session: Session, case: Case, new: NewCode, out: OutgoingMail) -> None:
    """Store `new`'s token with the mail `out` that carries it (both written by the next flush)."""
    new.token.outgoing = out
    session.add(new.token)
    audit(
        session,
        case,
        "identity_code_sent",
        kind=new.token.kind,
        token=new.token,
        outgoing=out,
    )
    log.info("identity %s sent for %s", new.token.kind, case.reference)


def send_code(
    session: Session,
    config: Config,
    replies: Replies,
    case: Case,
    kind: str = "request",
    now: datetime | None = None,
) -> IdentityToken | None:
    """Queue an automatic notice with a fresh code (and link) to the case's address of record
    (the address the request came from)."""
    now = now or utcnow()
    if case.status == Status.closed or not awaits_verification(case):
        raise StateError("%s does not wait for identity verification" % case.reference)
    reason = refusal(session, config, case.requester_email, now)
    if reason:  # the same loop guards and caps as receipts: staff can send it later
        audit(session, case, "identity_code_skipped", reason=reason)
        return None
    new = new_code_for(session, config, case, kind, now)
    template = "identity_request" if kind == "request" else "reminder_identity"
    rendered = replies.render(
        template,
        case.language,
        case_context(case, config, verification_code=new.code, verification_url=new.url),
        mailbox=case.mailbox,
    )
    first = _first_inbound(session, case)
    parent = first.message_id if first else ""
    out = outbox.queue(
        session,
        config,
        case.requester_email,
        case.requester_name,
        rendered.subject,
        rendered.body,
        parent,
        (parent,) if parent else (),
        case_id=case.id,
        automatic=True,
        asks_reply=True,  # the person replies with the code: no Precedence: bulk
        mailbox=case.mailbox,
    )
    attach(session, case, new, out)
    return new.token


def _scrub(session: Session, case: Case) -> None:
    """Blank the raw bytes of sent notices that carried a code: the code is no longer needed."""
    ids = [
        t.outgoing_id
        for t in session.exec(select(IdentityToken).where(IdentityToken.case_id == case.id)).all()
        if t.outgoing_id
    ]
    for out in session.exec(
        select(OutgoingMail).where(col(OutgoingMail.id).in_(ids), OutgoingMail.status == "sent")
    ).all():
        out.raw = b""
        session.add(out)


def mark_verified(
    session: Session, config: Config, replies: Replies, case: Case, actor: str, how: str
) -> None:
    """Record the verification, end the identity pause, and redraft the reply (now fulfilling)."""
    actions.verify_identity(session, case, actor, how)
    for token in session.exec(
        select(IdentityToken).where(
            IdentityToken.case_id == case.id, col(IdentityToken.used_at).is_(None)
        )
    ).all():
        token.used_at = utcnow()
        session.add(token)
    end_pauses(session, case, "identity")
    _scrub(session, case)
    make_draft(session, case, config, replies)


def _failed(
    session: Session, case: Case, tokens: list[IdentityToken], actor: str, wrong: int
) -> None:
    """Count `wrong` failed attempts on every live token; at MAX_FAILED the codes are void and
    staff are told."""
    void = False
    for token in tokens:
        token.failed_attempts = min(MAX_FAILED, token.failed_attempts + wrong)
        void = void or token.failed_attempts >= MAX_FAILED
        session.add(token)
    audit(session, case, "identity_code_failed", actor=actor, attempts=wrong)
    if void:
        case.needs_review = True
        session.add(case)
        audit(session, case, "identity_code_void", reason="too many wrong codes")
        log.warning("identity codes of %s void after %d wrong attempts", case.reference, MAX_FAILED)


def _matches(tokens: list[IdentityToken], candidate: str) -> bool:
    return any(hmac.compare_digest(t.code_hash, _hash(t.salt, candidate)) for t in tokens)


def confirm_code(
    session: Session,
    config: Config,
    replies: Replies,
    case: Case,
    code: str,
    actor: str = "requester",
) -> bool:
    """Check a code against the case's live tokens; a match verifies the case, a miss counts."""
    if case.status == Status.closed or not awaits_verification(case):
        return False
    tokens = _live_tokens(session, case, utcnow())
    if not tokens:
        return False
    if _matches(tokens, normalise_code(code)):
        mark_verified(
            session, config, replies, case, actor, "one-time code sent to the address of record"
        )
        return True
    _failed(session, case, tokens, actor, 1)
    return False


def pending_link(session: Session, link_token: str) -> Case | None:
    """The case a live confirmation link points to, without using the link."""
    if not link_token:
        return None
    token = session.exec(
        select(IdentityToken).where(IdentityToken.link_hash == _link_hash(link_token))
    ).first()
    if (
        token is None
        or token.used_at is not None
        or token.expires_at <= utcnow()
        or token.failed_attempts >= MAX_FAILED
    ):
        return None
    case = session.get(Case, token.case_id)
    if case is None or case.status == Status.closed or not awaits_verification(case):
        return None
    return case


def confirm_link(
    session: Session, config: Config, replies: Replies, link_token: str
) -> Case | None:
    """For the web route `/verify/{token}`: the case it verified, or None."""
    case = pending_link(session, link_token)
    if case is not None:
        mark_verified(
            session,
            config,
            replies,
            case,
            "requester",
            "confirmation link sent to the address of record",
        )
    return case


def candidates(text: str, limit: int = CANDIDATES_PER_MESSAGE) -> list[str]:
    """The code-shaped strings of a message that count, first ones first, at most `limit`.
    Ordinary words ("personal", "self-help") are not candidates: a candidate has a digit or no
    lower-case letter."""
    found: list[str] = []
    if limit <= 0:
        return found
    if "@" in text or "://" in text:  # else there is no link or address to take out
        text = _NOT_CODES.sub(" ", text)
    for match in CODE.finditer(text):
        candidate = match.group(1) + match.group(2)  # ASCII letters and digits 2-9
        if candidate.isalpha() and not candidate.isupper():  # no digit, a lower-case letter
            continue
        candidate = candidate.upper()
        if candidate not in found:
            found.append(candidate)
            if len(found) == limit:
                break
    return found


def confirm_from_mail(
    session: Session,
    config: Config,
    replies: Replies,
    case: Case,
    from_addr: str,
    subject: str,
    text: str,
) -> bool:
    """A threaded message from the address of record that carries a live code verifies the case
    (a plain reply quotes our notice, code included). Each wrong candidate is a failed attempt."""
    if not awaits_verification(case) or from_addr.lower() != case.requester_email.lower():
        return False
    # Code-shaped strings first: most messages carry none, and then no token need be read.
    found = candidates("%s\n%s" % (subject, text[:50_000]), CANDIDATES_PER_MESSAGE)
    if not found:
        return False
    tokens = _live_tokens(session, case, utcnow())
    if not tokens:
        return False
    left = MAX_FAILED - max(t.failed_attempts for t in tokens)  # never more than MAX_FAILED tries
    tried = found[: max(0, left)]
    if any(_matches(tokens, candidate) for candidate in tried):
        mark_verified(
            session,
            config,
            replies,
            case,
            "requester",
            "one-time code sent to the address of record",
        )
        return True
    if tried:
        _failed(session, case, tokens, "requester", len(tried))
    return False


def on_new_case(session: Session, case: Case) -> None:
    """Before the first draft of a case opened in this transaction: a case needing
    verification waits for it (pause recorded)."""
    if awaits_verification(case):
        first_pause(session, case, "identity", case.received_at)
        audit(session, case, "identity_required")


def sweep(
    session: Session, config: Config, replies: Replies, now: datetime | None = None
) -> dict[str, int]:
    """One reminder a set time after the first code; closing after the configured days."""
    now = now or utcnow()
    counts = {"reminded": 0, "closed": 0}
    open_cases = session.exec(
        select(Case).where(Case.status != Status.closed, Case.identity_verified == False)
    ).all()  # noqa: E712
    for case in open_cases:
        if not awaits_verification(case):
            continue
        tokens = list(
            session.exec(
                select(IdentityToken)
                .where(IdentityToken.case_id == case.id)
                .order_by(col(IdentityToken.id))
            ).all()
        )
        if not tokens:
            continue  # no code sent yet: staff have not asked, nothing to chase
        first, box = tokens[0], mailboxes.of_case(config, case)
        if now - first.created_at >= timedelta(days=box.identity_close_days):
            close_unverified(session, config, replies, case)
            counts["closed"] += 1
        elif now - first.created_at >= timedelta(hours=box.identity_reminder_hours) and not any(
            t.kind == "reminder" for t in tokens
        ):
            if send_code(session, config, replies, case, kind="reminder", now=now) is not None:
                counts["reminded"] += 1
    return counts


def close_unverified(session: Session, config: Config, replies: Replies, case: Case) -> None:
    """Close as denied/identity_not_verified and tell the requester (automatic notice)."""
    first = _first_inbound(session, case)
    parent = first.message_id if first else ""
    out = outbox.notice(  # the last word on the case: not held back by the daily cap
        session,
        config,
        replies,
        case,
        "closed_unverified",
        parent,
        (parent,) if parent else (),
        "closed_unverified_notice",
        capped=False,
    )
    if out is not None:
        audit(session, case, "closed_unverified_notice", outgoing=out)
    end_pauses(session, case)
    actions.close(session, case, "privbot", Outcome.denied, "identity_not_verified")
    _scrub(session, case)
    log.info("case %s closed: identity not verified", case.reference)
