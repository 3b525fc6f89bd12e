"""The chat's limits and expiry times, read from the `[chat]` section of the config file.

Every value has a default, so the section is optional. Rate limits are kept in the process's
memory (enough for one `privbot serve`); several web workers would each count on their own.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from privbot.config import Config
from privbot.errors import ConfigError
from privbot.policy.texts import data_dir


@dataclass(frozen=True)
class ChatSettings:
    data_dir: Path
    base_url: (
        str  # where confirmation links point: `[web] public_url` or the served port, never Host
    )
    request_ttl_hours: float = 24.0  # an unconfirmed request expires and never becomes a case
    session_ttl_hours: float = 2.0  # an idle conversation is deleted
    max_chars: int = 1000  # longest message taken
    per_session_per_minute: int = 20
    per_client_per_minute: int = 60
    mails_per_address_per_day: int = 3
    mails_per_client_per_hour: int = 5
    max_code_attempts: int = 5
    max_transcript: int = 200  # lines kept per conversation
    # The `[[mailbox]]` the chat serves: its company speaks, its policy answers, its address
    # sends the confirmation, and the requests' cases are its. Default: the first mailbox.
    mailbox: str = ""

    @classmethod
    def from_config(cls, config: Config) -> ChatSettings:
        section: dict[str, Any] = dict(config.extra.get("chat", {}))
        known = {f.name for f in fields(cls)}
        unknown = set(section) - known
        if unknown:
            raise ConfigError("[chat]: unknown setting(s) %s" % ", ".join(sorted(unknown)))
        section.pop("data_dir", None)
        base_url = str(section.pop("base_url", "") or config.base_url)
        mailbox = str(section.pop("mailbox", "") or config.default_mailbox.key)
        try:
            box = config.mailbox(mailbox)
        except ConfigError as exc:
            raise ConfigError("[chat] mailbox: %s" % exc) from None
        if box.policy_file is None:
            raise ConfigError(
                "[chat] mailbox %s has no policy_file: the chat answers questions from it" % mailbox
            )
        try:
            values = {k: type(getattr(cls, k))(v) for k, v in section.items()}
        except (TypeError, ValueError) as exc:
            raise ConfigError("[chat]: %s" % exc) from exc
        return cls(
            data_dir=data_dir(config),
            base_url=base_url.rstrip("/") + "/",
            mailbox=box.key,
            **values,
        )
