"""Personnummer detection and masking: a table of hard cases, the `personnummer` package's
misses, and hypothesis properties that no valid number survives masking, wherever it stands."""

from __future__ import annotations

import logging
import string
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from personnummer import personnummer

from privbot import pnr
from privbot.logmask import MaskingFilter, mask_text


def luhn_digit(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("811228-9874", True),
        ("8112289874", True),
        ("811228 9874", True),
        ("811228\u20139874", True),  # en dash
        ("811228\u20149874", True),  # em dash
        ("811228+9874", True),  # over 100 years old
        ("19811228-9874", True),
        ("198112289874", True),
        ("811228 - 9874", True),
        ("701063-2391", True),  # samordningsnummer (day 63 = 3rd)
        ("197010632391", True),
        ("556691-7455", False),  # organisationsnummer (month 66)
        ("5566917455", False),
        ("16556691-7455", False),
        ("811228-9875", False),  # wrong check digit
        ("811328-9874", False),  # month 13
        ("811232-9874", False),  # day 32
        ("08-123 45 67", False),  # a phone number
        ("1811228-9874", False),  # glued to another digit: a different number
        ("order 81122898745", False),
    ],
)
def test_table(text: str, found: bool) -> None:
    assert bool(pnr.find(text)) is found
    assert (pnr.mask(text) != text) is found


def test_where_the_package_alone_is_wrong() -> None:
    # The package rejects these written forms of a valid number; the wrapper finds them.
    for written in ("811228 9874", "811228\u20139874", "811228 - 9874"):
        assert not personnummer.valid(written)
        assert pnr.find(written)
    # ... and agrees on the plain forms.
    for written in ("811228-9874", "8112289874", "19811228-9874", "701063-2391"):
        assert personnummer.valid(written) and pnr.find(written)
    assert not personnummer.valid("556691-7455") and not pnr.find("556691-7455")


def test_masked_form_shows_nothing_of_the_number() -> None:
    assert (
        pnr.mask("Mitt personnummer är 19811228-9874, tack.")
        == "Mitt personnummer är ******-****, tack."
    )
    assert pnr.normalise("811228+9874 och 19811228-9874") == {"8112289874"}


@st.composite
def personnummer_texts(draw: st.DrawFn) -> tuple[str, str]:
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)))
    coordination = draw(st.booleans())
    serial = draw(st.integers(min_value=1, max_value=999))
    day = born.day + (60 if coordination else 0)
    nine = "%02d%02d%02d%03d" % (born.year % 100, born.month, day, serial)
    ten = nine + luhn_digit(nine)
    long_form = draw(st.booleans())
    head = ("%d" % (born.year // 100) if long_form else "") + ten[:6]
    age_100 = date.today() - born > timedelta(days=365 * 100)
    sep = draw(
        st.sampled_from(
            ["", "-", " ", "\u2013", " - "] + (["+"] if age_100 and not long_form else [])
        )
    )
    return head + sep + ten[6:], ten


NEIGHBOURS = st.text(alphabet=string.ascii_letters + " .,:;()[]<>/\"'\n\tåäöÅÄÖé-_=@", max_size=30)


@settings(max_examples=400, deadline=None)
@given(personnummer_texts(), NEIGHBOURS, NEIGHBOURS)
def test_no_valid_personnummer_survives_masking(
    number: tuple[str, str], before: str, after: str
) -> None:
    written, ten = number
    text = before + written + after
    masked = pnr.mask(text)
    assert written not in masked
    assert ten not in masked.replace("-", "").replace(" ", "").replace("\u2013", "")
    assert pnr.find(masked) == []


@settings(max_examples=200, deadline=None)
@given(personnummer_texts(), NEIGHBOURS)
def test_no_personnummer_survives_in_a_log_record(number: tuple[str, str], around: str) -> None:
    written, _ = number
    record = logging.LogRecord(
        "privbot.test",
        logging.INFO,
        __file__,
        1,
        "case %s from %s: %s",
        ("DS-2026-0001", "a@b.se", around + written),
        None,
    )
    MaskingFilter().filter(record)
    message = record.getMessage()
    assert written not in message and "a@b.se" not in message and "DS-2026-0001" in message


def test_log_masking_covers_exceptions_and_addresses() -> None:
    try:
        raise ValueError("bad header from lena.strom@example.se about 811228-9874")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "privbot.test", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    MaskingFilter().filter(record)
    assert "lena.strom@example.se" not in record.exc_text and "811228-9874" not in record.exc_text
    assert mask_text("mail anna@example.se") == "mail <address>"
