"""The conversation: one message in, one reply out, with the conversation's state in the database.

A question is answered from the policy (`policy/answer.py`); a message that exercises a right (the same
classifier as mail) is told what happens and by when, then asked for name and email, and sent a
confirmation email (`requests.py`); the code typed back, or the link, confirms it and the
pipeline opens the case. The web page, the JSON API and `privbot chat` all talk to `ChatBot`.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from privbot.chat import requests
from privbot.chat.limits import RateLimiter
from privbot.chat.requests import aware, due_for, secret_hash
from privbot.chat.settings import ChatSettings
from privbot.classify.match import classify_text
from privbot.classify.result import Intent
from privbot.config import Config
from privbot.context import Context
from privbot.db import session_scope
from privbot.models import ChatRequest, ChatSession, ChatState, utcnow
from privbot.policy.answer import Answerer
from privbot.policy.document import load_policy
from privbot.policy.texts import Texts

log = logging.getLogger(__name__)

REQUEST_INTENTS = frozenset(i.value for i in Intent) - {Intent.question.value, Intent.other.value}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_NAME = re.compile(r"^[^\W\d_][^\W\d_ .'\-]*(?:[ .'\-]+[^\W\d_]+)*\.?$")
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
_CODE = re.compile(r"^\d{6}$")
EXPIRY_EVERY = 60.0  # seconds between sweeps of expired requests and idle conversations


@dataclass(frozen=True)
class ChatReply:
    session_id: str
    reply: str
    citations: tuple[str, ...] = ()
    intents: tuple[str, ...] = ()
    next: tuple[
        str, ...
    ] = ()  # what the bot expects: "name", "email", "code", "yes_no"; empty: anything
    language: str = "sv"
    status: int = 200  # 429 rate limited, 413 too long
    mail_queued: bool = False  # the caller should wake the sender (`app.state.wake_sender`)
    reference: str = ""  # the case opened by this message, if any

    def as_json(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "reply": self.reply,
            "citations": list(self.citations),
            "intents": list(self.intents),
            "next": list(self.next),
            "language": self.language,
        }


@dataclass
class _Turn:
    parts: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)
    intents: list[str] = field(default_factory=list)
    next: list[str] = field(default_factory=list)
    mail: bool = False
    confirmed: int | None = None  # a ChatRequest spooled in this turn


@dataclass(frozen=True)
class Confirmation:
    reference: str
    language: str
    text: str


def clean(message: str) -> str:
    return _CONTROL.sub("", unicodedata.normalize("NFC", message)).strip()


def valid_name(text: str) -> str | None:
    name = " ".join(text.split())
    return name if 2 <= len(name) <= 100 and _NAME.match(name) else None


def valid_email(text: str) -> str | None:
    email = text.strip().strip("<>").strip()
    return email.lower() if len(email) <= 254 and _EMAIL.match(email) else None


class ChatBot:
    def __init__(
        self,
        config: Config,
        engine: Engine,
        ctx: Context,
        settings: ChatSettings,
        texts: Texts,
        answerer: Answerer,
    ) -> None:
        self.config = config
        self.engine = engine
        self.ctx = ctx
        # A confirmed request is spooled; this wakes whoever processes it: the worker under
        # `serve`, the pipeline itself in the terminal chat (`privbot chat`).
        self.on_spooled: Callable[[], object] = lambda: None
        self.settings = settings
        self.texts = texts
        self.answerer = answerer
        self.limiter = RateLimiter()
        self._last_expiry = 0.0

    @classmethod
    def load(
        cls,
        config: Config,
        engine: Engine,
        ctx: Context | None = None,
    ) -> ChatBot:
        """Load and check the chat's data files and the policy; the intents and reply templates
        are `ctx`'s when the caller has loaded them already."""
        settings = ChatSettings.from_config(config)
        box = config.mailbox(settings.mailbox)
        assert box.policy_file is not None  # ChatSettings refuses a mailbox without one
        texts = Texts(settings.data_dir / "messages.toml", box.company)
        answerer = Answerer.load(settings.data_dir, load_policy(box.policy_file), texts)
        return cls(config, engine, ctx or Context.load(config), settings, texts, answerer)

    def welcome(self, language: str = "sv") -> str:
        return self.texts.say("welcome", language)

    # -- one message ------------------------------------------------------------------

    def handle(self, token: str | None, message: str, client: str = "") -> ChatReply:
        text = clean(message)
        guess = self.answerer.language_of(text[: self.settings.max_chars]) or "sv"
        token = token if token and len(token) <= 100 else None
        if not self.limiter.allow(
            "client:" + client, self.settings.per_client_per_minute, 60.0
        ) or (
            token
            and not self.limiter.allow(
                "session:" + token, self.settings.per_session_per_minute, 60.0
            )
        ):
            return ChatReply(
                token or "", self.texts.say("rate_limited", guess), language=guess, status=429
            )
        if len(text) > self.settings.max_chars:
            return ChatReply(
                token or "",
                self.texts.say("too_long", guess, limit=self.settings.max_chars),
                language=guess,
                status=413,
            )
        self._maybe_expire()
        with session_scope(self.engine) as session:
            chat, token = self._session(session, token)
            if not text:
                return ChatReply(
                    token, self.texts.say("empty", chat.language), language=chat.language
                )
            if chat.state in (ChatState.idle, ChatState.offer, ChatState.await_code):
                chat.language = self.answerer.language_of(text) or chat.language
            self._note(chat, "person", text)
            turn = self._step(session, chat, text, client)
            if turn.confirmed is None:
                self._note(chat, "bot", " ".join(turn.parts))
            chat.last_seen = utcnow()
            session.add(chat)
            chat_id, language = chat.id, chat.language
        reference = ""
        if turn.confirmed is not None:
            confirmation = self._open_case(turn.confirmed, chat_id)
            turn.parts, turn.mail, reference = [confirmation.text], True, confirmation.reference
        return ChatReply(
            token,
            " ".join(p for p in turn.parts if p),
            tuple(dict.fromkeys(turn.citations)),
            tuple(turn.intents),
            tuple(turn.next),
            language,
            mail_queued=turn.mail,
            reference=reference,
        )

    def _session(self, session: Session, token: str | None) -> tuple[ChatSession, str]:
        if token:
            chat = session.get(ChatSession, secret_hash(token))
            if chat is not None:
                return chat, token
        token = secrets.token_urlsafe(24)
        chat = ChatSession(id=secret_hash(token))
        session.add(chat)
        return chat, token

    def _note(self, chat: ChatSession, who: str, text: str) -> None:
        entry = {"who": who, "text": text, "at": utcnow().isoformat()}
        chat.transcript = (list(chat.transcript) + [entry])[-self.settings.max_transcript :]

    def _say(self, chat: ChatSession, key: str, **context: Any) -> str:
        return self.texts.say(key, chat.language, **context)

    def _reset(self, chat: ChatSession) -> None:
        chat.state, chat.intents = ChatState.idle, []

    def _step(self, session: Session, chat: ChatSession, text: str, client: str) -> _Turn:
        if chat.state == ChatState.ask_name:
            return self._ask_name(session, chat, text)
        if chat.state == ChatState.ask_email:
            return self._ask_email(session, chat, text, client)
        if chat.state == ChatState.await_code and (
            _CODE.match(text.replace(" ", "")) or self.answerer.is_cancel(text)
        ):
            return self._code(session, chat, text.replace(" ", ""))
        if chat.state == ChatState.offer and self.answerer.is_yes(text):
            return self._start_request(chat, list(chat.intents), from_offer=True)
        if chat.state == ChatState.offer and self.answerer.is_no(text):
            self._reset(chat)
            return _Turn([self._say(chat, "declined")])
        return self._idle(chat, text)

    def _idle(self, chat: ChatSession, text: str) -> _Turn:
        result = classify_text("", text, self.ctx.ruleset, chat.language)
        requested = [i for i in result.intents if i in REQUEST_INTENTS]
        answer = self.answerer.answer(text, chat.language)
        asking = self.answerer.is_question(text) or "?" in text
        if requested and not (answer and (asking or answer.answer_first)):
            if not self.answerer.leaves_out(text, asking):
                return self._start_request(chat, requested, message=text)
            requested = []
        if chat.state != ChatState.await_code:
            self._reset(chat)
        if answer is None:
            log.info("chat %s: no answer, offered to pass on", chat.id[:8])
            if chat.state != ChatState.await_code:
                chat.state, chat.intents = ChatState.offer, [Intent.question.value]
            return _Turn([self._say(chat, "not_found")], next=["yes_no"])
        log.info(
            "chat %s: answered from %s (%s)", chat.id[:8], answer.topic, ",".join(answer.citations)
        )
        turn = _Turn(
            [answer.text],
            list(answer.citations),
            [i for i in result.intents if i != Intent.other.value],
        )
        offer = requested or ([answer.offer] if answer.offer else [])
        if offer and chat.state != ChatState.await_code and self.texts.has("offer." + offer[0]):
            chat.state, chat.intents = ChatState.offer, offer
            turn.parts.append(self._say(chat, "offer." + offer[0]))
            turn.next = ["yes_no"]
        return turn

    def _start_request(
        self,
        chat: ChatSession,
        intents: list[str],
        from_offer: bool = False,
        message: str = "",
    ) -> _Turn:
        chat.state, chat.intents = ChatState.ask_name, intents
        # mark where the request begins: the message itself, or the question before a "yes"
        people = [i for i, e in enumerate(chat.transcript) if e.get("who") == "person"]
        if people:
            start = people[-2] if from_offer and len(people) >= 2 else people[-1]
            chat.transcript = [
                dict(e, start=True) if i == start else {k: v for k, v in e.items() if k != "start"}
                for i, e in enumerate(chat.transcript)
            ]
        turn = _Turn(intents=list(intents), next=["name"])
        for intent in intents:
            key = "request." + intent
            if self.texts.has(key):
                turn.parts.append(self._say(chat, key))
                if self.texts.sections.get(key):
                    turn.citations.append(self.texts.sections[key])
        if message:  # the section that fits the message best, if clearly better than these
            turn.citations = list(
                self.answerer.request_sections(message, tuple(dict.fromkeys(turn.citations)))
            )
        if turn.citations:
            turn.parts.append(
                self.answerer.cite(tuple(dict.fromkeys(turn.citations)), chat.language)
            )
        turn.parts += [
            self._say(chat, "deadline", due=due_for(self.config, utcnow())),
            self._say(chat, "ask_name"),
        ]
        log.info("chat %s: request started, intents=%s", chat.id[:8], ",".join(intents))
        return turn

    def _ask_name(self, session: Session, chat: ChatSession, text: str) -> _Turn:
        if self.answerer.is_cancel(text):
            self._reset(chat)
            return _Turn([self._say(chat, "cancelled")])
        if "?" in text:  # a question in between: answer it, then ask again
            state, intents = chat.state, list(chat.intents)
            turn = self._idle(chat, text)
            chat.state, chat.intents = state, intents
            return _Turn(
                turn.parts[:1] + [self._say(chat, "ask_name")], turn.citations, intents, ["name"]
            )
        name = valid_name(text)
        if name is None:
            return _Turn([self._say(chat, "bad_name")], intents=list(chat.intents), next=["name"])
        chat.name, chat.state = name, ChatState.ask_email
        return _Turn(
            [self._say(chat, "ask_email", name=name)], intents=list(chat.intents), next=["email"]
        )

    def _ask_email(self, session: Session, chat: ChatSession, text: str, client: str) -> _Turn:
        if self.answerer.is_cancel(text):
            self._reset(chat)
            return _Turn([self._say(chat, "cancelled")])
        email = valid_email(text)
        if email is None or email in self.config.addresses:
            return _Turn([self._say(chat, "bad_email")], intents=list(chat.intents), next=["email"])
        if requests.recent_mails_to(
            session, email
        ) >= self.settings.mails_per_address_per_day or not self.limiter.allow(
            "mail:" + client, self.settings.mails_per_client_per_hour, 3600.0
        ):
            self._reset(chat)
            log.warning("chat %s: confirmation mail refused by rate limit", chat.id[:8])
            return _Turn([self._say(chat, "mail_limit")])
        request = requests.issue(
            session, self.config, self.settings, self.ctx.replies, chat, chat.name, email
        )
        chat.state, chat.request_id = ChatState.await_code, request.id
        hours = "%g" % self.settings.request_ttl_hours
        return _Turn(
            [self._say(chat, "verification_sent", email=email, hours=hours)],
            intents=list(chat.intents),
            next=["code"],
            mail=True,
        )

    def _code(self, session: Session, chat: ChatSession, code: str) -> _Turn:
        request = session.get(ChatRequest, chat.request_id) if chat.request_id else None
        if self.answerer.is_cancel(code):
            if request is not None and request.state == requests.PENDING:
                request.state, request.name, request.email, request.transcript = (
                    requests.EXPIRED,
                    "",
                    "",
                    [],
                )
                session.add(request)
            self._reset(chat)
            return _Turn([self._say(chat, "cancelled")])
        if (
            request is None
            or request.state == requests.EXPIRED
            or aware(request.expires_at) <= utcnow()
        ):
            self._reset(chat)
            return _Turn([self._say(chat, "expired")])
        if request.state == requests.CONFIRMED:
            return _Turn([self._say(chat, "already_confirmed")])
        if request.attempts >= self.settings.max_code_attempts:
            return _Turn([self._say(chat, "too_many_attempts")])
        if not requests.code_matches(request, code):
            request.attempts += 1
            session.add(request)
            return _Turn(
                [self._say(chat, "wrong_code")], intents=list(request.intents), next=["code"]
            )
        if (
            requests.confirm(session, self.config, self.texts, request, self.settings.mailbox)
            is None
        ):
            return _Turn([self._say(chat, "already_confirmed")])
        self._reset(chat)
        return _Turn(intents=list(request.intents), confirmed=request.id)

    # -- confirmation and the case ------------------------------------------------------

    def _open_case(self, request_id: int, chat_id: str | None) -> Confirmation:
        """The request is spooled: wake whoever processes it (`on_spooled`), and say which case it
        became, or that it is on its way."""
        self.on_spooled()
        with session_scope(self.engine) as session:
            case = requests.case_of(session, request_id)
            request = session.get(ChatRequest, request_id)
            language = request.language if request else "sv"
            if case is not None:
                text = self.texts.say(
                    "confirmed",
                    language,
                    reference=case.reference,
                    due=case.extended_due or case.due,
                )
            else:
                text = self.texts.say("confirmed_pending", language)
            chat = session.get(ChatSession, chat_id) if chat_id else None
            if chat is not None:
                self._note(chat, "bot", text)
                if chat.request_id == request_id:
                    self._reset(chat)
                session.add(chat)
            reference = case.reference if case else ""
        log.info("chat request %s became case %s", request_id, reference or "(pending)")
        return Confirmation(reference, language, text)

    def link_is_valid(self, token: str) -> str | None:
        """The language of the pending request a confirmation link points to, or None."""
        with session_scope(self.engine) as session:
            request = requests.by_token(session, token)
            return request.language if request else None

    def confirm_link(self, token: str) -> Confirmation | None:
        with session_scope(self.engine) as session:
            request = requests.by_token(session, token)
            if (
                request is None
                or requests.confirm(
                    session, self.config, self.texts, request, self.settings.mailbox
                )
                is None
            ):
                return None
            request_id, chat_id = request.id, request.session_id
        assert request_id is not None
        return self._open_case(request_id, chat_id)

    def _maybe_expire(self) -> None:
        now = time.monotonic()
        if now - self._last_expiry >= EXPIRY_EVERY:
            self._last_expiry = now
            self.expire()

    def expire(self) -> tuple[int, int]:
        with session_scope(self.engine) as session:
            return requests.expire(session, self.settings)
