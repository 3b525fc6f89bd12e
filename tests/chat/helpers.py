"""Reading the confirmation mail the test relay caught: its text, its link, its code."""

from __future__ import annotations

import re
from email.message import EmailMessage

_LINK = re.compile(r"https?://\S+/chat/confirm/[A-Za-z0-9_\-]+")
_CODE = re.compile(r"\b(\d{6})\b")


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
