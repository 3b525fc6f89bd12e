"""The values the classifier hands to the rest of privbot: kind, language, intents with evidence.

`Kind` is screening's (`mail/screen.py`); a `Classification` carries it for `classify --json`.

`classify/match.py` produces a `Classification`; `pipeline.py`, the CLI's `classify --json` and
the staff pages read it. Nothing here decides anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from privbot.mail.screen import Kind


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
    other = "other"


@dataclass(frozen=True)
class Evidence:
    intent: str
    phrase: str  # the definition phrase or rule that matched
    matched: str  # the text it matched, as written in the message
    where: str  # "subject" or "body"
    score: float

    def as_json(self) -> dict[str, object]:
        return {
            "intent": self.intent,
            "phrase": self.phrase,
            "matched": self.matched,
            "where": self.where,
            "score": round(self.score, 3),
        }


@dataclass(frozen=True)
class Classification:
    kind: Kind
    language: str  # "sv", "en" or "other"
    intents: tuple[str, ...]  # main intent first; empty for non-human kinds
    confidence: float  # 0..1
    evidence: tuple[Evidence, ...] = field(default=())
    needs_review: bool = False
    reasons: tuple[str, ...] = field(default=())  # why the kind was chosen, for screened mail

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "language": self.language,
            "intents": list(self.intents),
            "confidence": round(self.confidence, 3),
            "needs_review": self.needs_review,
            "evidence": [e.as_json() for e in self.evidence],
        }
