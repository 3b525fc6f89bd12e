"""The chat's wording: the sv/en texts of chat/messages.toml and chat/topics.toml, compiled once.

Texts are jinja2 in a sandbox with strict undefined values, compiled at load time so a broken one
stops start-up naming file and key. They are plain text: the web page escapes them when shown.
Which text to say when is the chat's (`chat/bot.py`) and the answerer's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from privbot.config import Config, data_path, read_toml
from privbot.errors import ConfigError
from privbot.replies import format_date

LANGUAGES = ("sv", "en")


def data_dir(config: Config) -> Path:
    """The folder of the wording, topics and section key words: `[chat] data_dir`, else the
    `chat/` folder privbot ships."""
    section = config.extra.get("chat", {})
    return Path(section["data_dir"]) if "data_dir" in section else data_path("chat")


def _environment(language: str) -> jinja2.Environment:
    env = ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)
    env.filters["date"] = lambda value: format_date(value, language)
    return env


@dataclass(frozen=True)
class Text:
    """One sv/en text pair, compiled."""

    where: str  # "file: key", for error messages
    templates: dict[str, jinja2.Template]

    def render(self, language: str, company: dict[str, Any], **context: Any) -> str:
        template = self.templates.get(language) or self.templates["sv"]
        try:
            return template.render(company=company, **context).strip()
        except (jinja2.TemplateError, TypeError, ValueError, LookupError) as exc:
            raise ConfigError("%s: %s: %s" % (self.where, type(exc).__name__, exc)) from exc


def compile_text(value: Any, where: str) -> Text:
    if not isinstance(value, dict) or not all(
        isinstance(value.get(lang), str) for lang in LANGUAGES
    ):
        raise ConfigError("%s: needs an sv and an en text" % where)
    templates = {}
    for lang in LANGUAGES:
        try:
            templates[lang] = _environment(lang).from_string(value[lang])
        except jinja2.TemplateSyntaxError as exc:
            raise ConfigError(
                "%s (%s), line %s: %s" % (where, lang, exc.lineno, exc.message)
            ) from exc
    return Text(where, templates)


class Texts:
    """chat/messages.toml: `say("ask_email", "en", name=...)`, `say("request.erasure", ...)`."""

    def __init__(self, path: Path, company: dict[str, Any]) -> None:
        self.company = company
        self._texts: dict[str, Text] = {}
        self.sections: dict[str, str] = {}  # request.<intent> -> the section it rests on
        self._collect(read_toml(path), "", path)

    def _collect(self, table: dict[str, Any], prefix: str, path: Path) -> None:
        for key, value in table.items():
            name = prefix + key
            if isinstance(value, dict) and "sv" in value:
                self._texts[name] = compile_text(value, "%s: %s" % (path, name))
                if "section" in value:
                    self.sections[name] = str(value["section"])
            elif isinstance(value, dict):
                self._collect(value, name + ".", path)
            else:
                raise ConfigError("%s: %s: expected a table with sv and en texts" % (path, name))

    def has(self, key: str) -> bool:
        return key in self._texts

    def say(self, key: str, language: str, **context: Any) -> str:
        text = self._texts.get(key)
        if text is None:
            raise ConfigError("chat messages: no text %r" % key)
        return text.render(language, self.company, **context)

    def ui(self, language: str) -> dict[str, str]:
        """The page labels (`ui.*`) in one language."""
        return {k[3:]: self.say(k, language) for k in self._texts if k.startswith("ui.")}
