"""Renders requester mail (and the supervisors' digest) from the jinja2 templates in replies/.

Templates are data edited by staff, so they run in a sandbox with strict undefined values and are
all compiled at load time; a broken one is a `ConfigError` naming file and line. What goes into
the context (company facts, the case) and what happens to the result is left to the callers.
The template format is described in replies/README.md.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2
from jinja2 import meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

from privbot.errors import ConfigError
from privbot.names import first_name
from privbot.staffnotes import split_notes

DEFAULT_LANGUAGE = "sv"

# The templates callers may ask for by name (the contract); each must exist in every language
# directory and define the blocks `subject` and `body`.
TEMPLATES = (
    "receipt",
    "reply",
    "identity_request",
    "clarification_request",
    "extension_notice",
    "refusal",
    "closed_unverified",
    "reminder_identity",
    "chat_verification",
    "supervisor_digest",
    "breach_alert",
)
SUFFIX = ".j2"

_MONTHS = {
    "sv": (
        "januari", "februari", "mars", "april", "maj", "juni",
        "juli", "augusti", "september", "oktober", "november", "december",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip

_BLANK_RUNS = re.compile(r"\n{3,}")

# What a template (or a value it was given) can get wrong while rendering: turned into a
# ConfigError naming the template line. Anything else is a bug in privbot and propagates.
_RENDER_ERRORS = (jinja2.TemplateError, TypeError, ValueError, LookupError, ArithmeticError)


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    notes: tuple[str, ...] = ()  # lines for the case handler, taken out of the body


def format_date(value: object, language: str) -> str:
    """'26 december 2026' / '26 December 2026'; accepts a date, a datetime or an ISO string."""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if not isinstance(value, date):
        raise TypeError(f"date filter needs a date, not {type(value).__name__}")
    months = _MONTHS.get(language, _MONTHS["en"])
    return f"{value.day} {months[value.month - 1]} {value.year}"


def _environment(directory: Path, language: str, over: Path | None = None) -> jinja2.Environment:
    """Templates of one language; those in `over` (a mailbox's folder) win over `directory`'s."""
    folders = [over, directory] if over is not None else [directory]
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(folders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # text/plain mail
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["date"] = lambda value: format_date(value, language)
    env.filters["first_name"] = first_name
    env.globals["language"] = language
    return env


def _template_location(exc: BaseException, fallback: str) -> str:
    """'file:line' of the template line a runtime error happened on (jinja rewrites tracebacks
    so that frames point there); the innermost template frame wins, so includes are named."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(SUFFIX):
            return f"{frame.filename}:{frame.lineno}"
    line = getattr(exc, "lineno", None)
    return f"{fallback}:{line}" if isinstance(line, int) else fallback


def _reference(context: Mapping[str, object]) -> str:
    case = context.get("case")
    if isinstance(case, Mapping):
        ref = case.get("reference")
    else:
        ref = getattr(case, "reference", None)
    return ref if isinstance(ref, str) else ""


def _one_line(text: str) -> str:
    # str.split() also splits on CR, LF, VT, FF, NEL and U+2028/2029: nothing survives that a
    # mail header could be broken with.
    return " ".join(text.split())


def _tidy_body(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = _BLANK_RUNS.sub("\n\n", text).strip("\n")
    return text + "\n"


class Replies:
    """The compiled templates of every language directory under the replies directory, and of
    each mailbox whose own folder overrides some of them (`render(..., mailbox=key)`)."""

    def __init__(
        self,
        directory: Path,
        environments: Mapping[str, jinja2.Environment],
        mailboxes: Mapping[str, Mapping[str, jinja2.Environment]] | None = None,
    ) -> None:
        self.directory = directory
        self._environments = dict(environments)
        self._mailboxes = {key: dict(envs) for key, envs in (mailboxes or {}).items()}

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(self._environments))

    @classmethod
    def load(cls, directory: Path, overrides: Mapping[str, Path] | None = None) -> Replies:
        """Compile every template; a syntax error, a missing template or a missing block, or an
        include of a file that does not exist, is a `ConfigError` naming the file (and line).

        `overrides` maps a mailbox to its own replies folder (`sv/`, `en/` as here): a template
        found there replaces the shipped one of the same name for that mailbox's cases."""
        directory = Path(directory)
        languages = (
            sorted(p.name for p in directory.iterdir() if p.is_dir()) if directory.is_dir() else []
        )
        if DEFAULT_LANGUAGE not in languages:
            raise ConfigError(
                f"{directory / DEFAULT_LANGUAGE}: no reply templates for {DEFAULT_LANGUAGE!r}"
            )
        environments = {lang: cls._compile(directory, lang, None) for lang in languages}
        mailboxes = {
            key: {lang: cls._compile(directory, lang, Path(over) / lang) for lang in languages}
            for key, over in (overrides or {}).items()
        }
        return cls(directory, environments, mailboxes)

    @classmethod
    def _compile(cls, directory: Path, language: str, over: Path | None) -> jinja2.Environment:
        lang_dir = directory / language
        env = _environment(lang_dir, language, over)
        folders = ([over] if over is not None and over.is_dir() else []) + [lang_dir]
        for folder in folders:
            for path in sorted(folder.rglob(f"*{SUFFIX}")):
                cls._check(env, folder, path, folders)
        for name in TEMPLATES:
            path = lang_dir / f"{name}{SUFFIX}"
            if not path.is_file():
                raise ConfigError(f"{path}: missing reply template {name!r}")
            template = env.get_template(path.name)
            blocks = template.blocks
            for block in ("subject", "body"):
                if block not in blocks:
                    raise ConfigError(f"{template.filename}: no {{% block {block} %}}")
        return env

    @staticmethod
    def _check(
        env: jinja2.Environment, lang_dir: Path, path: Path, folders: list[Path] | None = None
    ) -> None:
        name = path.relative_to(lang_dir).as_posix()
        try:
            source = path.read_text(encoding="utf-8")
            ast = env.parse(source, name, str(path))
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            raise ConfigError(f"{path}:{exc.lineno}: {exc.message}") from exc
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{path}: not UTF-8 ({exc.reason})") from exc
        for referenced in meta.find_referenced_templates(ast):
            if referenced is not None and not any(
                (folder / referenced).is_file() for folder in folders or [lang_dir]
            ):
                raise ConfigError(f"{path}: includes {referenced!r}, which does not exist")

    def render(
        self, name: str, language: str, context: Mapping[str, object], mailbox: str = ""
    ) -> Rendered:
        """Render template `name` in `language` ("sv" or "en"; anything else falls back to
        Swedish), with `mailbox`'s own templates where it has them. The subject is one line and
        carries the case reference; the body ends with one newline and has no runs of blank
        lines. Notes for staff are taken out of the body into `notes` (staffnotes.py)."""
        if language not in self._environments:
            language = DEFAULT_LANGUAGE
        env = self._mailboxes.get(mailbox, self._environments)[language]
        if name not in TEMPLATES:
            raise ConfigError(f"{self.directory / language}: no reply template {name!r}")
        template = env.get_template(f"{name}{SUFFIX}")
        try:
            try:
                ctx = template.new_context(dict(context))
                subject = "".join(template.blocks["subject"](ctx))
                body = "".join(template.blocks["body"](ctx))
            except _RENDER_ERRORS:
                env.handle_exception()  # re-raises with template lines in the traceback
        except _RENDER_ERRORS as exc:
            where = _template_location(exc, str(template.filename))
            raise ConfigError(f"{where}: {type(exc).__name__}: {exc}") from exc
        subject = _one_line(subject)
        reference = _reference(context)
        if reference and reference not in subject:
            subject = f"[{reference}] {subject}".rstrip()
        body, notes = split_notes(body)
        return Rendered(subject=subject, body=_tidy_body(body), notes=tuple(notes))
