"""A logging filter that masks personnummer and e-mail addresses in every record.

Modules log identifiers, not content; this filter is the safety net for the day one forgets.
`cli._setup_logging` installs it on the root handlers, so the message, its arguments and any
formatted exception text are masked before a handler writes them.
"""

from __future__ import annotations

import logging
import re

from privbot import pnr

_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
EMAIL_MASK = "<address>"


def mask_text(text: str) -> str:
    return pnr.mask(_EMAIL.sub(EMAIL_MASK, text))


class MaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the record, drop its arguments
            message = str(record.msg)
        record.msg = mask_text(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True


def install(logger: logging.Logger | None = None) -> MaskingFilter:
    """Add the filter to every handler of `logger` (default: root) and return it."""
    target = logger or logging.getLogger()
    masking = MaskingFilter()
    for handler in target.handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(masking)
    return masking
