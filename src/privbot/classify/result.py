"""The values the classifier hands to the rest of privbot: kind, language, intents with evidence.

`Kind` is screening's (`mail/screen.py`); a `Classification` carries it for `classify --json`.

`classify/match.py` produces a `Classification`; `pipeline.py`, the CLI's `classify --json` and
the staff pages read it. Nothing here decides anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from types import FunctionType
from typing import Final

from privbot.classify.language import NAMES
from privbot.mail.screen import Kind

# An intent's name as stored and passed around ("erasure"); `Intent` lists the known ones.
IntentName = str


class Intent(StrEnum):
    access = "access"
    rectification = "rectification"
    erasure = "erasure"
    restriction = "restriction"
    portability = "portability"
    objection = "objection"
    marketing_optout = "marketing_optout"
    consent_withdrawal = "consent_withdrawal"
    complaint = "complaint"
    question = "question"
    breach = "breach"  # a data subject reports a personal data breach (art. 33)
    other = "other"


def _native() -> bool:
    """Whether the classifier runs compiled (mypyc): its functions are then no Python functions."""
    return not isinstance(_native, FunctionType)


NATIVE: Final = _native()


@dataclass(frozen=True, init=False)
class Evidence:
    intent: str
    phrase: str  # the definition phrase or rule that matched
    matched: str  # the text it matched, as written in the message
    where: str  # "subject" or "body"
    score: float
    # A composed rule names what decided: "delete: radera", "my_data: uppgifterna", "request: vill"
    action: str = ""
    obj: str = ""
    cue: str = ""
    # where in the message: the sentence number (subject sentences after the body's); not shown
    sentence: int = field(default=-1, compare=False)

    def __init__(
        self,
        intent: str,
        phrase: str,
        matched: str,
        where: str,
        score: float,
        action: str = "",
        obj: str = "",
        cue: str = "",
        sentence: int = -1,
    ) -> None:
        # Written out rather than generated: the classifier makes evidence by the dozen per
        # message, and compiled (mypyc) this runs natively where the generated one is Python.
        if NATIVE:
            # compiled, the fields are written straight into the object (its frozen
            # `__setattr__` guards it from others): `object.__setattr__` cost a microsecond
            self.intent = intent  # type: ignore[misc]
            self.phrase = phrase  # type: ignore[misc]
            self.matched = matched  # type: ignore[misc]
            self.where = where  # type: ignore[misc]
            self.score = score  # type: ignore[misc]
            self.action = action  # type: ignore[misc]
            self.obj = obj  # type: ignore[misc]
            self.cue = cue  # type: ignore[misc]
            self.sentence = sentence  # type: ignore[misc]
            return
        setattr_ = object.__setattr__  # frozen: fields are set the way the dataclass sets them
        setattr_(self, "intent", intent)
        setattr_(self, "phrase", phrase)
        setattr_(self, "matched", matched)
        setattr_(self, "where", where)
        setattr_(self, "score", score)
        setattr_(self, "action", action)
        setattr_(self, "obj", obj)
        setattr_(self, "cue", cue)
        setattr_(self, "sentence", sentence)

    def as_json(self) -> dict[str, object]:
        found: dict[str, object] = {
            "intent": self.intent,
            "phrase": self.phrase,
            "matched": self.matched,
            "where": self.where,
            "score": round(self.score, 3),
        }
        if self.action:
            found.update(action=self.action, object=self.obj, cue=self.cue)
        return found


@dataclass(frozen=True)
class Classification:
    kind: Kind
    language: str  # detected: "sv", "en", "no", "da", "fi", "de", "pl", "fr", "es" or "other"
    intents: tuple[IntentName, ...]  # main intent first; empty for non-human kinds
    confidence: float  # 0..1
    evidence: tuple[Evidence, ...] = field(default=())
    needs_review: bool = False
    reasons: tuple[str, ...] = field(default=())  # why the kind was chosen, for screened mail
    # per intent, the objects it was found about: consent_withdrawal -> ("newsletter", "calls")
    objects: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "language": self.language,
            "language_name": NAMES.get(self.language, self.language),
            "intents": list(self.intents),
            "confidence": round(self.confidence, 3),
            "needs_review": self.needs_review,
            "evidence": [e.as_json() for e in self.evidence],
            "objects": {k: list(v) for k, v in self.objects.items()},
            # what a withdrawn consent was for, read by the drafts (cases/store.py `consents`)
            "consents": list(self.objects.get("consent_withdrawal", ())),
        }
