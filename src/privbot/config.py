"""Configuration: the environment, an optional TOML file and the company facts, loaded once.

`load_config()` reads `PRIVBOT_HOME`, `PRIVBOT_CONFIG` and `PRIVBOT_DATABASE_URL`, then the
config file's sections (`[privbot]`, `[intake]`, `[relay]`, `[receipt]`, `[deadline]`, `[web]`,
`[imap]`, `[language]`, `[[mailbox]]`), then each mailbox's company facts file. The resulting
`Config` is passed to whoever needs it; nothing else reads the environment.

A config without `[[mailbox]]` entries has one mailbox, `default`, made of `[privbot]`'s
addresses, company file, replies and reference prefix and the `[imap]` section, as before.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from privbot.errors import ConfigError

_PACKAGE = Path(__file__).resolve().parent


def data_path(name: str) -> Path:
    """A shipped data file or folder (intents/, replies/, company.toml, examples/...).

    Installed wheels carry them in `privbot/_data/`; a source checkout has them at its root.
    """
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parents[1] / name):
        if candidate.exists():
            return candidate
    raise ConfigError("shipped data %r not found (looked in %s)" % (name, _PACKAGE / "_data"))


@dataclass(frozen=True)
class RelayConfig:
    host: str
    port: int = 25
    tls: str = "none"  # none, starttls, smtps
    user: str = ""
    password: str = field(default="", repr=False)


@dataclass(frozen=True)
class ImapConfig:
    """The `[imap]` section. Folder names use `/` between levels whatever the server's separator."""

    host: str = ""
    port: int = 143
    tls: str = "imaps"  # imaps, starttls, none
    user: str = ""
    password: str = field(default="", repr=False)
    folder: str = "INBOX"
    after: str = "move"  # move (to processed_folder) or flag (with the keyword `flag`)
    processed_folder: str = "privbot/processed"
    quarantine_folder: str = "privbot/quarantine"
    flag: str = "$PrivbotProcessed"  # keyword set in `after = "flag"` mode; never \Seen
    ca_file: str = ""  # extra CA bundle for imaps/starttls; system CAs otherwise
    batch_size: int = 100  # messages per fetch and per spool transaction
    batch_bytes: int = 16 * 1024 * 1024  # bodies held in memory at once (one larger message alone)
    move_batch: int = 1000  # spooled messages moved per MOVE; a server's cost is per command
    poll_interval: float = 60.0  # catch-up search and liveness check, with or without IDLE
    idle_timeout: float = 25 * 60.0  # IDLE is re-issued before this (servers drop it at 30 min)
    timeout: float = 60.0  # socket timeout: a dead connection fails instead of hanging
    backoff_max: float = 300.0  # reconnect delay cap after network errors
    login_retry: float = 900.0  # wait after the server refused the credentials
    lease_seconds: float = 120.0  # one poller per folder; another takes over after it dies
    # Where user and password were read from, for the login error ("PRIVBOT_IMAP_USER", "the
    # config file /etc/privbot/privbot.toml ([imap] user)"); never the values themselves.
    credentials_from: str = ""


REPLY_LANGUAGES = {"sv": "sv", "no": "sv", "da": "sv", "en": "en"}  # Scandinavians read Swedish
TEMPLATE_LANGUAGES = ("sv", "en")  # the languages replies/ holds templates in

MAILBOX_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
DEFAULT_MAILBOX = "default"


@dataclass(frozen=True)
class Mailbox:
    """One `[[mailbox]]`: the addresses it answers for, the company it speaks for, its templates.

    `replies_dir`, when set, overrides the shipped templates file by file (replies.py). Cases
    remember their mailbox by `key`; `privbot/mailboxes.py` resolves messages and cases to one.
    """

    key: str
    addresses: tuple[str, ...]  # lower-case; SMTP recipients and the addresses mail is sent to
    from_address: str
    company: dict[str, Any]
    company_file: Path
    reference_prefix: str = "DS"
    replies_dir: Path | None = None
    imap: ImapConfig | None = None  # its IMAP account and folders, polled by `privbot intake`
    identity_reminder_hours: int = 24
    identity_close_days: int = 14
    # The company's privacy policy, which questions mailed in are answered from; None: they
    # are left for staff (never answered from another company's policy).
    policy_file: Path | None = None
    # Told about this mailbox's cases only (digest, breach alerts); `[reminders] supervisors`
    # are told about every mailbox's.
    supervisors: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The company's name, for lists and choosers."""
        return str(self.company.get("name") or self.key)


@dataclass(frozen=True)
class Config:
    home: Path
    database_url: str
    addresses: tuple[str, ...]  # mailbox addresses privbot answers for, lower-case
    from_address: str
    company: dict[str, Any]
    intents_dir: Path
    replies_dir: Path
    policy_file: Path
    reference_prefix: str = "DS"
    intake_host: str = "127.0.0.1"
    intake_port: int = 8025
    intake_store_timeout: float = 3.0  # seconds the SMTP intake waits for the database lock
    max_message_bytes: int = 25 * 1024 * 1024
    form_senders: tuple[str, ...] = ()  # contact-form relays whose Reply-To/e-mail field is trusted
    resend_window_days: int = 7  # the same body from the same sender joins the first case
    relay: RelayConfig | None = None
    receipt_enabled: bool = True
    receipt_daily_cap: int = 3  # automatic mails per address (without +tag) per day
    automatic_domain_daily_cap: int = 20  # automatic mails per recipient domain per day
    automatic_hourly_cap: int = 60  # automatic mails in all per hour
    eves_are_holidays: bool = True
    pause_clock: bool = False
    four_eyes: bool = False  # the approver may not be the draft's last editor
    web_host: str = "127.0.0.1"
    web_port: int = 8000
    https_only: bool = False  # the session cookie is Secure (behind a TLS proxy: true)
    trusted_proxies: tuple[str, ...] = ()  # X-Forwarded-For is read only from these addresses
    session_hours: float = 10.0  # a staff session ends this long after signing in
    session_idle_minutes: float = 60.0  # ... or after this long without a request
    web_language: str = "sv"  # the staff app's language unless a user chooses another (sv, en)
    imap: ImapConfig = field(default_factory=ImapConfig)
    extra: dict[str, Any] = field(default_factory=dict)  # sections no module reads yet
    identity_reminder_hours: int = 24  # one reminder this long after the code was sent
    identity_close_days: int = 14  # unverified requests close as identity_not_verified after this
    public_url: str = (
        ""  # base of the confirmation link (e.g. https://privbot.example.se); none if empty
    )
    retention_months: int = 24  # personal data of closed cases is purged this long after closing
    supervisors: tuple[str, ...] = ()  # who gets the daily digest of due and overdue cases
    digest_days_ahead: int = 7
    # `[language]`: the reply language for each detected language; any other gets the default
    reply_languages: dict[str, str] = field(default_factory=lambda: dict(REPLY_LANGUAGES))
    reply_language_default: str = "en"

    def reply_language(self, detected: str) -> str:
        """The language privbot replies in to mail written in `detected` ("fi" -> "en")."""
        return self.reply_languages.get(detected, self.reply_language_default)

    # The `[[mailbox]]` entries, the first being the default; none: one made of the fields above.
    configured_mailboxes: tuple[Mailbox, ...] = ()

    @property
    def mailboxes(self) -> tuple[Mailbox, ...]:
        return self.configured_mailboxes or (self.implicit_mailbox(),)

    def implicit_mailbox(self) -> Mailbox:
        return Mailbox(
            key=DEFAULT_MAILBOX,
            addresses=self.addresses,
            from_address=self.from_address,
            company=self.company,
            company_file=Path(""),
            reference_prefix=self.reference_prefix,
            imap=self.imap if self.imap.host else None,
            identity_reminder_hours=self.identity_reminder_hours,
            identity_close_days=self.identity_close_days,
            policy_file=self.policy_file,
        )

    @property
    def default_mailbox(self) -> Mailbox:
        return self.mailboxes[0]

    def supervisor_scopes(self) -> dict[str, frozenset[str] | None]:
        """Every supervisor's address, with the mailboxes whose cases they are told about:
        None for every mailbox (`[reminders] supervisors`), else those that list them."""
        scopes: dict[str, frozenset[str] | None] = dict.fromkeys(self.supervisors)
        for box in self.mailboxes:
            for address in box.supervisors:
                if address in scopes and scopes[address] is None:
                    continue  # told about every mailbox already
                scopes[address] = (scopes.get(address) or frozenset()) | {box.key}
        return scopes

    def supervisors_of(self, mailbox: str) -> tuple[str, ...]:
        """Who is told about a case of this mailbox (a breach)."""
        return tuple(
            address
            for address, boxes in self.supervisor_scopes().items()
            if boxes is None or mailbox in boxes
        )

    def mailbox(self, key: str) -> Mailbox:
        """The mailbox named `key`; a key the config no longer has is a ConfigError."""
        for box in self.mailboxes:
            if box.key == key:
                return box
        raise ConfigError(
            "mailbox %r is not in the config (known: %s)"
            % (key, ", ".join(b.key for b in self.mailboxes))
        )

    @property
    def outbox_dir(self) -> Path:
        return self.home / "outbox"

    @property
    def base_url(self) -> str:
        """Where links in mail point: `public_url`, else this server's own address and port."""
        if self.public_url:
            return self.public_url
        host = "127.0.0.1" if self.web_host in ("", "0.0.0.0", "::") else self.web_host
        return "http://%s:%d" % ("[%s]" % host if ":" in host else host, self.web_port)


def _web_language(web: dict[str, Any]) -> str:
    language = str(web.get("language", "sv"))
    if language not in ("sv", "en"):
        raise ConfigError("web.language must be sv or en, not %r" % language)
    return language


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("%s: %s" % (path, exc)) from exc
    except OSError as exc:
        raise ConfigError("%s: cannot read (%s)" % (path, exc.strerror)) from exc


def _secret(section: dict[str, Any], env: dict[str, str], prefix: str) -> str:
    if env.get(prefix + "_PASSWORD"):
        return env[prefix + "_PASSWORD"]
    path = env.get(prefix + "_PASSWORD_FILE") or section.get("password_file", "")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError("password file %s: %s" % (path, exc.strerror)) from exc
    return str(section.get("password", ""))


def _secret_source(section: dict[str, Any], env: dict[str, str], prefix: str, where: str) -> str:
    """Where `_secret` found the password: the variable, the file, or the config file's key."""
    if env.get(prefix + "_PASSWORD"):
        return "the environment (%s_PASSWORD)" % prefix
    if env.get(prefix + "_PASSWORD_FILE"):
        return "the file %s (named by %s_PASSWORD_FILE)" % (env[prefix + "_PASSWORD_FILE"], prefix)
    if section.get("password_file"):
        return "the file %s (password_file in %s)" % (section["password_file"], where)
    if section.get("password"):
        return "the config file %s (password)" % where
    return "nowhere: no password is set (%s_PASSWORD, %s_PASSWORD_FILE or the config file)" % (
        prefix,
        prefix,
    )


def _imap(section: dict[str, Any], env: dict[str, str], where: str = "") -> ImapConfig:
    """The `[imap]` section with PRIVBOT_IMAP_* on top; `where` names the config file."""
    where = "%s [imap]" % where if where else "the config file [imap]"
    values: dict[str, Any] = {
        k: v
        for k, v in section.items()
        if k in ImapConfig.__dataclass_fields__ and k != "credentials_from"
    }
    for name in ("host", "port", "tls", "user", "folder"):
        if env.get("PRIVBOT_IMAP_" + name.upper()):
            values[name] = env["PRIVBOT_IMAP_" + name.upper()]
    try:
        values["port"] = int(
            values.get("port", 993 if values.get("tls", "imaps") == "imaps" else 143)
        )
    except ValueError as exc:
        raise ConfigError("imap.port must be a number") from exc
    values["password"] = _secret(section, env, "PRIVBOT_IMAP")
    user_from = (
        "the environment (PRIVBOT_IMAP_USER)"
        if env.get("PRIVBOT_IMAP_USER")
        else "the config file %s (user)" % where
        if section.get("user")
        else "nowhere: no user is set (PRIVBOT_IMAP_USER or user in the config file)"
    )
    values["credentials_from"] = "user from %s, password from %s" % (
        user_from,
        _secret_source(section, env, "PRIVBOT_IMAP", where),
    )
    if values.get("tls", "imaps") not in ("imaps", "starttls", "none"):
        raise ConfigError("imap.tls must be imaps, starttls or none")
    if values.get("after", "move") not in ("move", "flag"):
        raise ConfigError("imap.after must be move or flag")
    try:
        for name in ("batch_size", "batch_bytes", "move_batch"):
            if name in values:
                values[name] = int(values[name])
        for name in (
            "poll_interval",
            "idle_timeout",
            "timeout",
            "backoff_max",
            "login_retry",
            "lease_seconds",
        ):
            if name in values:
                values[name] = float(values[name])
    except (TypeError, ValueError) as exc:
        raise ConfigError("imap: %s" % exc) from exc
    if min(values.get(n, 1) for n in ("batch_size", "poll_interval", "lease_seconds")) <= 0:
        raise ConfigError("imap.batch_size, poll_interval and lease_seconds must be positive")
    return ImapConfig(**values)


def _reply_languages(section: dict[str, Any]) -> tuple[dict[str, str], str]:
    """`[language] reply = { fi = "en", … }` (merged over the defaults) and `default = "en"`."""
    table = section.get("reply", {})
    default = section.get("default", "en")
    if not isinstance(table, dict):
        raise ConfigError("[language] reply must be a table: detected language = reply language")
    chosen = {**REPLY_LANGUAGES, **{str(k): v for k, v in table.items()}}
    for detected, reply in [*chosen.items(), ("default", default)]:
        if reply not in TEMPLATE_LANGUAGES:
            raise ConfigError(
                f"[language] {detected} = {reply!r}: replies are written in {TEMPLATE_LANGUAGES}"
            )
    return chosen, str(default)


def _proxies(value: Any) -> tuple[str, ...]:
    """`[web] trusted_proxies`: addresses or networks (`10.0.0.0/8`) of the reverse proxies."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise ConfigError("web.trusted_proxies must be a list of addresses")
    out = []
    for item in items:
        try:
            out.append(str(ipaddress.ip_network(str(item).strip(), strict=False)))
        except ValueError:
            raise ConfigError(
                "web.trusted_proxies: %r is not an IP address or network" % item
            ) from None
    return tuple(out)


def _positive(key: str, raw: Any) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        value = -1.0
    if value <= 0:
        raise ConfigError("web.%s must be a positive number" % key)
    return value


def _addresses(value: Any) -> tuple[str, ...]:
    """A list of addresses (or one), lower-case, blanks left out."""
    return tuple(
        str(a).strip().lower()
        for a in ([value] if isinstance(value, str) else value)
        if str(a).strip()
    )


def _mailboxes(
    entries: Any, base: Path, where: str, defaults: dict[str, Any]
) -> tuple[Mailbox, ...]:
    """The `[[mailbox]]` entries; names and addresses must not repeat. Prefixes may (numbers
    come from one counter, so references stay unique)."""
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ConfigError("mailbox must be written as [[mailbox]] tables")
    boxes: list[Mailbox] = []
    for number, entry in enumerate(entries, 1):
        key = str(entry.get("name", ""))
        label = "mailbox %d (%s)" % (number, key or "no name")
        if not MAILBOX_KEY.match(key):
            raise ConfigError(
                "%s: name must be 1-40 lower-case letters, digits, - or _ (it is stored on "
                "every case)" % label
            )
        unknown = set(entry) - {
            "name",
            "addresses",
            "from_address",
            "company_file",
            "replies_dir",
            "reference_prefix",
            "imap",
            "identity",
            "policy_file",
            "supervisors",
        }
        if unknown:
            raise ConfigError("%s: unknown key(s) %s" % (label, ", ".join(sorted(unknown))))
        company_file = (
            (base / str(entry["company_file"])).resolve()
            if entry.get("company_file")
            else data_path("company.toml")
        )
        company = read_toml(company_file)
        company_email = str(company.get("contact", {}).get("email") or company.get("email") or "")
        raw_addresses = entry.get("addresses", [company_email])
        if isinstance(raw_addresses, str):
            raw_addresses = [raw_addresses]
        addresses = tuple(str(a).strip().lower() for a in raw_addresses if str(a).strip())
        if not addresses:
            raise ConfigError("%s: no address (addresses, or the company file's email)" % label)
        prefix = str(entry.get("reference_prefix", "DS")).upper()
        if not re.fullmatch(r"[A-Z]{1,8}", prefix):
            raise ConfigError("%s: reference_prefix must be 1-8 letters" % label)
        identity = entry.get("identity", {})
        imap_section = entry.get("imap")
        try:
            box = Mailbox(
                key=key,
                addresses=addresses,
                from_address=str(entry.get("from_address", addresses[0])).lower(),
                company=company,
                company_file=company_file,
                reference_prefix=prefix,
                replies_dir=(base / str(entry["replies_dir"])).resolve()
                if entry.get("replies_dir")
                else None,
                imap=_imap(imap_section, {}, "%s [mailbox %s]" % (where, key))
                if isinstance(imap_section, dict) and imap_section.get("host")
                else None,
                identity_reminder_hours=int(
                    identity.get("reminder_hours", defaults["identity_reminder_hours"])
                ),
                identity_close_days=int(
                    identity.get("close_after_days", defaults["identity_close_days"])
                ),
                # the first mailbox is the install's own company: [privbot] policy_file
                policy_file=(base / str(entry["policy_file"])).resolve()
                if entry.get("policy_file")
                else (defaults["policy_file"] if number == 1 else None),
                supervisors=_addresses(entry.get("supervisors", [])),
            )
        except (TypeError, ValueError, AttributeError) as exc:
            raise ConfigError("%s: %s" % (label, exc)) from exc
        if box.replies_dir is not None and not box.replies_dir.is_dir():
            raise ConfigError("%s: replies_dir %s is not a folder" % (label, box.replies_dir))
        if box.policy_file is not None and not box.policy_file.is_file():
            raise ConfigError("%s: policy_file %s is not a file" % (label, box.policy_file))
        boxes.append(box)
    seen: dict[tuple[str, str], str] = {}
    for box in boxes:
        for value, what in (
            (box.key, "name"),
            *((a, "address") for a in box.addresses),
        ):
            if (what, value) in seen:
                raise ConfigError(
                    "mailboxes %s and %s have the same %s %r"
                    % (seen[(what, value)], box.key, what, value)
                )
            seen[(what, value)] = box.key
    return tuple(boxes)


def load_config(env: dict[str, str] | None = None, **overrides: Any) -> Config:
    env = dict(os.environ if env is None else env)
    home = Path(env.get("PRIVBOT_HOME", "privbot-data")).resolve()
    cfg_path = env.get("PRIVBOT_CONFIG")
    raw = read_toml(Path(cfg_path)) if cfg_path else {}
    base = Path(cfg_path).resolve().parent if cfg_path else Path.cwd()
    main = raw.get("privbot", {})

    def path_of(key: str, default: str) -> Path:
        value = main.get(key)
        return (base / value).resolve() if value else data_path(default)

    company_file = path_of("company_file", "company.toml")
    company = read_toml(company_file)
    company_email = str(company.get("contact", {}).get("email") or company.get("email") or "")
    addresses = tuple(a.lower() for a in main.get("addresses", [company_email]) if a)
    if not addresses:
        raise ConfigError("no mailbox address: set privbot.addresses or the company's email")
    intake, receipt, deadline, web = (
        raw.get(k, {}) for k in ("intake", "receipt", "deadline", "web")
    )
    relay_section = raw.get("relay", {})
    relay_host = env.get("PRIVBOT_RELAY_HOST") or relay_section.get("host", "")
    relay = None
    if relay_host:
        relay = RelayConfig(
            host=relay_host,
            port=int(env.get("PRIVBOT_RELAY_PORT") or relay_section.get("port", 25)),
            tls=relay_section.get("tls", "none"),
            user=relay_section.get("user", ""),
            password=_secret(relay_section, env, "PRIVBOT_RELAY"),
        )
    known = {
        "privbot",
        "intake",
        "relay",
        "receipt",
        "deadline",
        "web",
        "imap",
        "review",
        "identity",
        "retention",
        "reminders",
        "mailbox",
        "language",
    }
    identity, retention, reminders = (
        raw.get(k, {}) for k in ("identity", "retention", "reminders")
    )
    reply_languages, reply_default = _reply_languages(raw.get("language", {}))

    public_url = str(identity.get("public_url", web.get("public_url", ""))).rstrip("/")
    values: dict[str, Any] = dict(
        reply_languages=reply_languages,
        reply_language_default=reply_default,
        home=home,
        database_url=env.get("PRIVBOT_DATABASE_URL")
        or main.get("database_url")
        or "sqlite:///%s" % (home / "privbot.db"),
        addresses=addresses,
        from_address=str(main.get("from_address", addresses[0])).lower(),
        company=company,
        intents_dir=path_of("intents_dir", "intents"),
        replies_dir=path_of("replies_dir", "replies"),
        policy_file=path_of("policy_file", "policy/integritetspolicy.txt"),
        reference_prefix=main.get("reference_prefix", "DS"),
        intake_host=intake.get("host", "127.0.0.1"),
        intake_port=int(intake.get("port", 8025)),
        max_message_bytes=int(intake.get("max_message_bytes", 25 * 1024 * 1024)),
        intake_store_timeout=float(intake.get("store_timeout", 3.0)),
        form_senders=tuple(str(a).strip().lower() for a in intake.get("form_senders", []) if a),
        resend_window_days=int(intake.get("resend_window_days", 7)),
        relay=relay,
        receipt_enabled=bool(receipt.get("enabled", True)),
        receipt_daily_cap=int(receipt.get("daily_cap_per_sender", 3)),
        automatic_domain_daily_cap=int(receipt.get("daily_cap_per_domain", 20)),
        automatic_hourly_cap=int(receipt.get("hourly_cap", 60)),
        eves_are_holidays=bool(deadline.get("eves_are_holidays", True)),
        pause_clock=bool(deadline.get("pause_clock", False)),
        four_eyes=bool(raw.get("review", {}).get("four_eyes", False)),
        web_host=web.get("host", "127.0.0.1"),
        web_port=int(web.get("port", 8000)),
        https_only=bool(web.get("https_only", public_url.startswith("https://"))),
        trusted_proxies=_proxies(web.get("trusted_proxies", [])),
        session_hours=_positive("session_hours", web.get("session_hours", 10.0)),
        session_idle_minutes=_positive("session_idle_minutes", web.get("session_idle_minutes", 60)),
        web_language=_web_language(web),
        imap=_imap(raw.get("imap", {}), env, str(Path(cfg_path).resolve()) if cfg_path else ""),
        extra={k: v for k, v in raw.items() if k not in known},
        identity_reminder_hours=int(identity.get("reminder_hours", 24)),
        identity_close_days=int(identity.get("close_after_days", 14)),
        public_url=public_url,
        retention_months=int(retention.get("months", 24)),
        supervisors=tuple(str(a).lower() for a in reminders.get("supervisors", []) if a),
        digest_days_ahead=int(reminders.get("days_ahead", 7)),
    )
    if "mailbox" in raw:
        where = str(Path(cfg_path).resolve()) if cfg_path else "the config file"
        boxes = _mailboxes(raw["mailbox"], base, where, values)
        if not boxes:
            raise ConfigError("mailbox: give at least one [[mailbox]] or none at all")
        first = boxes[0]
        values.update(
            configured_mailboxes=boxes,
            # what is not about one case speaks for the first mailbox (the chat, the digest)
            company=first.company,
            from_address=first.from_address,
            reference_prefix=first.reference_prefix,
            # every address privbot answers for or sends from, whichever mailbox
            addresses=tuple(
                dict.fromkeys(a for b in boxes for a in (*b.addresses, b.from_address))
            ),
        )
    values.update(overrides)
    return Config(**values)
