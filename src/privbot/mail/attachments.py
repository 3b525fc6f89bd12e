"""One attachment of a stored message, re-read from its raw bytes for download by staff.

Walks the MIME tree exactly as `mail/parse.py` does when it lists attachments, so index `n`
here is entry `n` of `Message.attachments`. The bytes are returned, never opened or rendered.
"""

from __future__ import annotations

import email
from dataclasses import dataclass
from email import policy

from privbot.errors import NotFound
from privbot.mail.parse import _filename, _walk, normalise_line_endings


@dataclass(frozen=True)
class AttachmentData:
    filename: str
    content_type: str
    data: bytes


def attachment(raw: bytes, index: int) -> AttachmentData:
    msg = email.message_from_bytes(normalise_line_endings(raw), policy=policy.default)
    found = -1
    for part, ctype in _walk(msg):
        disposition = (part.get_content_disposition() or "").lower()
        filename = _filename(part)
        if ctype.startswith("text/") and disposition != "attachment" and not filename:
            continue
        if ctype.startswith("multipart/"):
            continue
        found += 1
        if found == index:
            payload = part.get_payload(decode=True)
            return AttachmentData(
                filename or "attachment", ctype, payload if isinstance(payload, bytes) else b""
            )
    raise NotFound("no attachment %d in this message" % index)
