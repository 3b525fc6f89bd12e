"""Requests made in the chat: the confirmation email, the one-time link and code, the case.

A request waits as a `ChatRequest` until the person confirms it (link or code) before it expires.
On confirmation it is spooled as a structured entry (JSON, source "chat"): the confirmed
address, the name, the intents the person confirmed and the conversation as text. It is never
made into mail, so nothing the person typed (newlines, "E-post:" lines, headers) can be read as
a form relay or another address; the worker opens the case for the confirmed address only
(`pipeline.py`), like any spooled message. An unconfirmed request is expired with its personal
data wiped and never becomes a case. The conversation itself is `bot.py`'s.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import make_msgid
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, delete, select, update

from privbot.cases import outbox
from privbot.cases.deadline import Calendar, due_date
from privbot.chat.settings import ChatSettings
from privbot.config import Config
from privbot.mail.spool import spool
from privbot.models import (
    Case,
    ChatRequest,
    ChatSession,
    ChatState,
    RequestState,
    SpoolEntry,
    utcnow,
)
from privbot.policy.texts import Texts
from privbot.replies import Replies

log = logging.getLogger(__name__)
PENDING, CONFIRMED, EXPIRED = RequestState.pending, RequestState.confirmed, RequestState.expired
LOCAL_TIME = ZoneInfo("Europe/Stockholm")


def secret_hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def due_for(config: Config, received: datetime) -> date:
    return due_date(received, cal=Calendar(eves_are_holidays=config.eves_are_holidays))


def _code_hash(token_hash: str, code: str) -> str:
    return secret_hash("%s:%s" % (token_hash, code.strip()))


def issue(
    session: Session,
    config: Config,
    settings: ChatSettings,
    replies: Replies,
    chat: ChatSession,
    name: str,
    email: str,
) -> ChatRequest:
    """Store a pending request and queue the confirmation email (link and six-digit code)."""
    box = config.mailbox(settings.mailbox)
    token = secrets.token_urlsafe(32)
    code = "%06d" % secrets.randbelow(1_000_000)
    now = utcnow()
    token_hash = secret_hash(token)
    request = ChatRequest(
        session_id=chat.id,
        intents=list(chat.intents),
        language=chat.language,
        name=name,
        email=email,
        message_id=make_msgid(domain=box.from_address.rpartition("@")[2] or "privbot.invalid"),
        transcript=list(chat.transcript),
        token_hash=token_hash,
        code_hash=_code_hash(token_hash, code),
        created_at=now,
        expires_at=now + timedelta(hours=settings.request_ttl_hours),
    )
    session.add(request)
    session.flush()
    case: dict[str, Any] = {
        "reference": "",
        "received": now,
        "due": due_for(config, now),
        "extended_due": None,
        "intents": list(chat.intents),
        "language": chat.language,
        "requester_name": name,
        "requester_email": email,
        "needs_review": False,
        "identity_verified": False,
        "subject": "",
    }
    context = {
        "company": box.company,
        "case": case,
        "verification_url": settings.base_url + "chat/confirm/" + token,
        "verification_code": code,
    }
    rendered = replies.render("chat_verification", chat.language, context, mailbox=box.key)
    outbox.queue(
        session,
        config,
        email,
        name,
        rendered.subject,
        rendered.body,
        automatic=True,
        asks_reply=True,
        mailbox=box.key,
    )
    log.info("chat request %s issued, intents=%s", request.id, ",".join(request.intents))
    return request


def recent_mails_to(session: Session, email: str, hours: float = 24.0) -> int:
    since = utcnow() - timedelta(hours=hours)
    rows = session.exec(
        select(ChatRequest.id).where(ChatRequest.email == email, ChatRequest.created_at >= since)
    ).all()
    return len(rows)


def by_token(session: Session, token: str) -> ChatRequest | None:
    """The pending, unexpired request a confirmation link points to."""
    if not token or len(token) > 100:
        return None
    request = session.exec(
        select(ChatRequest).where(ChatRequest.token_hash == secret_hash(token))
    ).first()
    if request is None or request.state != PENDING or aware(request.expires_at) <= utcnow():
        return None
    return request


def code_matches(request: ChatRequest, code: str) -> bool:
    return hmac.compare_digest(request.code_hash, _code_hash(request.token_hash, code))


def transcript_text(texts: Texts, request: ChatRequest) -> str:
    """The conversation for staff: the person's request as written; the chat's answers, and
    questions answered before the request began, quoted with ">" (context, not the request)."""
    language = request.language
    labels = (" %s " % texts.say("and", language)).join(
        texts.say("label." + i, language) for i in request.intents if texts.has("label." + i)
    )
    lines = [texts.say("transcript_intro", language, labels=labels), ""]
    person, bot = texts.say("transcript_person", language), texts.say("transcript_bot", language)
    starts = [i for i, e in enumerate(request.transcript) if e.get("start")]
    begin = starts[-1] if starts else 0  # what came before was answered in the chat: context
    for index, entry in enumerate(request.transcript):
        at = datetime.fromisoformat(str(entry.get("at"))).astimezone(LOCAL_TIME).strftime("%H:%M")
        text = str(entry.get("text", ""))
        if entry.get("who") == "person" and index >= begin:
            lines.append("%s (%s): %s" % (person, at, text))
        elif entry.get("who") == "person":
            lines.extend("> " + line for line in ("%s (%s): %s" % (person, at, text)).splitlines())
        else:
            lines.extend("> " + line for line in ("%s (%s): %s" % (bot, at, text)).splitlines())
            lines.append("")
    return "\n".join(lines).strip() + "\n"


@dataclass(frozen=True)
class RequestEntry:
    """A confirmed chat request as the spool holds it."""

    request_id: int
    email: str
    name: str
    language: str
    intents: tuple[str, ...]
    message_id: str
    subject: str
    text: str


def request_entry(texts: Texts, request: ChatRequest) -> bytes:
    """The spool entry of a confirmed request (UTF-8 JSON)."""
    data = {
        "kind": "chat_request",
        "request_id": request.id,
        "email": request.email,
        "name": request.name,
        "language": request.language,
        "intents": list(request.intents),
        "message_id": request.message_id,
        "subject": texts.say("transcript_subject", request.language),
        "text": transcript_text(texts, request),
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")


def read_entry(raw: bytes) -> RequestEntry:
    """The request in a chat spool entry; ValueError when it is not one."""
    data = json.loads(raw.decode("utf-8"))
    if not isinstance(data, dict) or data.get("kind") != "chat_request":
        raise ValueError("not a chat request entry")
    email = str(data.get("email", ""))
    if "@" not in email or any(c.isspace() or c in ',;<>"' for c in email):
        raise ValueError("no confirmed address")
    return RequestEntry(
        request_id=int(data["request_id"]),
        email=email.lower(),
        name=" ".join(str(data.get("name", "")).split())[:200],
        language=str(data.get("language", "sv")),
        intents=tuple(str(i) for i in data.get("intents", [])),
        message_id=str(data.get("message_id", ""))[:998],
        subject=str(data.get("subject", ""))[:500],
        text=str(data.get("text", "")),
    )


def confirm(
    session: Session, config: Config, texts: Texts, request: ChatRequest, mailbox: str = ""
) -> SpoolEntry | None:
    """Claim a pending request and spool its conversation; None if it was already claimed or expired.

    The caller commits; the worker's pipeline opens the case (channel "chat") in `mailbox`, the
    chat's (the default mailbox when empty).
    """
    now = utcnow()
    claimed = session.exec(  # one winner when the link and the code arrive together
        update(ChatRequest)
        .where(
            col(ChatRequest.id) == request.id,
            col(ChatRequest.state) == PENDING,
            col(ChatRequest.expires_at) > now,
        )
        .values(state=CONFIRMED, confirmed_at=now)
    )
    if claimed.rowcount != 1:
        return None
    session.refresh(request)
    raw = request_entry(texts, request)
    entry, _ = spool(
        session,
        raw,
        "chat",
        "chat-request/%s" % request.id,
        key=(request.message_id, hashlib.sha256(raw).hexdigest()),
        mailbox=mailbox,
    )
    entry.received_at = aware(
        request.created_at
    )  # the deadline runs from the request, as the chat said
    request.spool_id = entry.id
    session.add_all([entry, request])
    log.info("chat request %s confirmed as spool %s", request.id, entry.id)
    return entry


def link_case(session: Session, request_id: int, case: Case) -> None:
    """The case a confirmed request became; the request's copy of personal data is wiped."""
    request = session.get(ChatRequest, request_id)
    if request is None:
        return
    request.case_id = case.id
    request.name, request.email, request.transcript = "", "", []
    session.add(request)


def case_of(session: Session, request_id: int) -> Case | None:
    """The case a confirmed request became, once the worker opened it."""
    request = session.get(ChatRequest, request_id)
    if request is None or request.case_id is None:
        return None
    return session.get(Case, request.case_id)


def expire(session: Session, settings: ChatSettings) -> tuple[int, int]:
    """Expire unconfirmed requests (wiping their personal data) and delete idle conversations."""
    now = utcnow()
    stale = session.exec(
        select(ChatRequest).where(ChatRequest.state == PENDING, ChatRequest.expires_at <= now)
    ).all()
    for request in stale:
        request.state = EXPIRED
        request.name, request.email, request.transcript, request.code_hash = "", "", [], ""
        session.add(request)
    idle = now - timedelta(hours=settings.session_ttl_hours)
    waiting = now - timedelta(hours=settings.request_ttl_hours)
    gone = session.exec(
        delete(ChatSession).where(
            (col(ChatSession.last_seen) < idle)
            & (
                (col(ChatSession.state) != ChatState.await_code)
                | (col(ChatSession.last_seen) < waiting)
            )
        )
    )
    if stale or gone.rowcount:
        log.info(
            "chat expiry: %d request(s) expired, %d conversation(s) deleted",
            len(stale),
            gone.rowcount,
        )
    return len(stale), int(gone.rowcount or 0)
