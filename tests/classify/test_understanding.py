"""Intents that need more than one fixed phrase: breach reports, composed requests, languages.

Every example is written for this file; none comes from a corpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from privbot.classify.intents import IntentSet, load_intents
from privbot.classify.match import classify_text

INTENTS_DIR = Path(__file__).resolve().parents[2] / "intents"


@pytest.fixture(scope="module")
def intents() -> IntentSet:
    return load_intents(INTENTS_DIR)


BREACH = [
    (
        "Ert utskick",
        "Hej! Ert senaste nyhetsbrev gick ut med alla mottagares adresser synliga för alla, "
        "så nu kan vem som helst se min e-post. Det här måste vara en personuppgiftsincident.",
    ),
    (
        "Your mailing",
        "Hi, your invitation yesterday was sent with every recipient visible in the To field "
        "(cc instead of bcc). My private address is now exposed to 300 strangers.",
    ),
    (
        "Fel kund",
        "När jag loggade in på mina sidor såg jag någon annans uppgifter, med namn och adress.",
    ),
]


@pytest.mark.parametrize(("subject", "body"), BREACH, ids=["sv-visible", "en-cc", "sv-other"])
def test_breach_reports_are_breach(intents: IntentSet, subject: str, body: str) -> None:
    result = classify_text(subject, body, intents)
    assert result.intents[0] == "breach", result.evidence
