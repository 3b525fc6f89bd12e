"""names.first_name: whom a greeting names, and when it stays neutral."""

from __future__ import annotations

import pytest

from privbot.names import first_name


@pytest.mark.parametrize(
    ("display_name", "expected"),
    [
        ("Linnea Dahl", "Linnea"),
        ("Dahl, Linnea", "Linnea"),
        ("Linnea", "Linnea"),
        ("Anna-Karin Öberg", "Anna-Karin"),
        ("linnea dahl", "Linnea"),
        ("LINNEA DAHL", "Linnea"),
        ("Carl von Linné", "Carl"),
        ("Dr. Per Åkesson", "Per"),
        ('"Fredrik Åström"', "Fredrik"),
        ("", ""),
        ("   ", ""),
        ("IT-team webbformulär", ""),  # a form's mailbox, not a person
        ("linnea.dahl@example.se", ""),
        ("Kundtjänst 24/7", ""),
        ("Linnea Dahl (IT-avdelningen)", ""),
        ("J. Dahl", ""),
    ],
)
def test_first_name(display_name: str, expected: str) -> None:
    assert first_name(display_name) == expected
