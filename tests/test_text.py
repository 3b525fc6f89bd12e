"""Reply and forward prefixes come off a subject; only leading ones."""

from __future__ import annotations

import pytest

from privbot.text import base_subject


@pytest.mark.parametrize(
    ("subject", "base"),
    [
        ("SV: Re[2]: VB: Radera mig", "Radera mig"),
        ("AW: WG: Fwd: Auskunft", "Auskunft"),
        ("RE: re: Re(3): Hej", "Hej"),
        ("Svar om Re: inget", "Svar om Re: inget"),  # only leading prefixes go
        ("Review: mina uppgifter", "Review: mina uppgifter"),
    ],
)
def test_base_subject_drops_reply_and_forward_prefixes(subject: str, base: str) -> None:
    assert base_subject(subject) == base
