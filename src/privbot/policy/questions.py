"""Answers for a question mailed to the privacy mailbox, taken from the privacy policy the way the
chat answers them: the same `Answerer` (topic table and policy text), citing the section.

Only answers that cite a policy section count (the chat's greeting and thanks do not). Each
question sentence of the mail is asked on its own, so a mail with three questions can get three
answers; a mail with no question sentence is asked as a whole. Whether an answer goes into a
draft, and how it is worded around it, is the reply templates' business.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from privbot.config import Config, Mailbox
from privbot.policy.answer import Answerer
from privbot.policy.document import load_policy
from privbot.policy.texts import Texts, data_dir

MAX_ANSWERS = 3
MAX_CHARS = 5_000  # of the mail's text; questions come first in practice
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n\s*\n")
_QUOTED = re.compile(r"^[ \t]*>.*$", re.M)


@dataclass(frozen=True)
class PolicyAnswer:
    text: str  # the chat's answer, ending with its citation
    sections: tuple[str, ...]

    def as_context(self) -> dict[str, Any]:
        return {"text": self.text, "sections": list(self.sections)}


@lru_cache(maxsize=4)
def _answerer(policy_file: Path, data_dir: Path, company_json: str) -> Answerer:
    texts = Texts(data_dir / "messages.toml", json.loads(company_json))
    return Answerer.load(data_dir, load_policy(policy_file), texts)


def answerer_for(config: Config, mailbox: Mailbox | None = None) -> Answerer:
    """The chat's answerer over a mailbox's policy and company facts (the default mailbox's
    unless named) and this configuration's topics."""
    box = mailbox or config.default_mailbox
    company = json.dumps(box.company, sort_keys=True, default=str)
    return _answerer(box.policy_file or config.policy_file, data_dir(config), company)


def _questions(text: str, answerer: Answerer) -> list[str]:
    text = _QUOTED.sub("", text[:MAX_CHARS])
    sentences = [" ".join(s.split()) for s in _SENTENCE.split(text) if s.strip()]
    asked = [s for s in sentences if s.endswith("?") or answerer.is_question(s)]
    return asked or [" ".join(text.split())]


def answer_questions(
    text: str, language: str, config: Config, mailbox: Mailbox | None = None
) -> list[PolicyAnswer]:
    """Up to three policy answers for the questions in `text`, each citing its section, from
    `mailbox`'s policy; none when that mailbox has no policy file."""
    if mailbox is not None and mailbox.policy_file is None:
        return []
    answerer = answerer_for(config, mailbox)
    language = language if language in ("sv", "en") else "sv"
    found: list[PolicyAnswer] = []
    for question in _questions(text, answerer):
        answer = answerer.answer(question, language)
        if answer is None or not answer.citations:
            continue
        if any(answer.text == f.text for f in found):
            continue
        found.append(PolicyAnswer(answer.text, tuple(answer.citations)))
        if len(found) == MAX_ANSWERS:
            break
    return found
