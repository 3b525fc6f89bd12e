"""Talking to the chat API, and reading the confirmation mail the test relay caught: its text,
its link, its code."""

from __future__ import annotations

import re
from email.message import EmailMessage
from typing import Any

import httpx

_LINK = re.compile(r"https?://\S+/chat/confirm/[A-Za-z0-9_\-]+")
_CODE = re.compile(r"\b(\d{6})\b")


def say(web: str, *texts: str) -> tuple[str, dict[str, Any]]:
    """Each text in turn in one conversation over POST /api/chat: its session and last answer."""
    session_id, data = None, {}
    for text in texts:
        data = httpx.post(
            web + "/api/chat", json={"session_id": session_id, "message": text}
        ).json()
        session_id = data["session_id"]
    assert session_id is not None
    return session_id, data


def mail_text(msg: EmailMessage) -> str:
    body = msg.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def confirmation_link(msg: EmailMessage) -> str:
    found = _LINK.search(mail_text(msg))
    assert found, "no confirmation link in the mail"
    return found.group(0)


def confirmation_code(msg: EmailMessage) -> str:
    found = _CODE.search(mail_text(msg))
    assert found, "no confirmation code in the mail"
    return found.group(1)
