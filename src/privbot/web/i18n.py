"""The staff app in Swedish and English: Babel catalogs, one Jinja environment per language.

The catalogs are `web/locale/<lang>/LC_MESSAGES/messages.po`; they are compiled in memory the
first time a language is used (no build step, so a fresh checkout and an installed wheel work
alike). Templates use jinja2's i18n extension (`{{ _("...") }}`, `{% trans %}`); codes from the
database are shown through `label(kind, code)` (see `labels.py`), dates and numbers in the
language's own format (Babel's CLDR data), times in the company's time zone.

Refreshing the catalogs after changing a template:
    pybabel extract -F src/privbot/web/babel.cfg -k N_ -o /tmp/messages.pot src/privbot/web
    pybabel update -i /tmp/messages.pot -d src/privbot/web/locale --no-fuzzy-matching
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from privbot.cases.deadline import Calendar
from privbot.models import Case
from privbot.pnr import mask
from privbot.web import labels

LANGUAGES = ("sv", "en")
LOCALE_DIR = Path(__file__).parent / "locale"
TEMPLATE_DIR = Path(__file__).parent / "templates"
TIME_ZONE = ZoneInfo("Europe/Stockholm")
_CALENDAR = Calendar()
_CLDR = {"sv": "sv_SE", "en": "en_SE"}  # English as written in Sweden


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog of `language` (English message ids need none to be shown)."""
    path = catalog_path(language)
    if not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def effective_due(case: Case) -> date:
    return case.extended_due or case.due


def days_left(case: Case, today: date | None = None) -> int:
    """Calendar days to the deadline, as the one-month rule counts them."""
    return (effective_due(case) - (today or date.today())).days


def working_days_left(due: date, today: date | None = None, cal: Calendar = _CALENDAR) -> int:
    """Working days (Swedish calendar, as the deadline rules use it) from tomorrow to `due`;
    negative when the deadline has passed (working days since)."""
    start = today or date.today()
    if due >= start:
        return _working_days_between(start, due, cal)
    return -_working_days_between(due, start, cal)


def _working_days_between(first: date, last: date, cal: Calendar) -> int:
    """Working days after `first` up to and including `last` (`first` <= `last`), from a
    running count per year: the lists ask this for every row."""

    def upto(day: date) -> int:
        return _in_year(day.year, cal)[day.timetuple().tm_yday - 1]

    if first.year == last.year:
        return upto(last) - upto(first)
    whole = sum(_in_year(year, cal)[-1] for year in range(first.year + 1, last.year))
    return _in_year(first.year, cal)[-1] - upto(first) + whole + upto(last)


@lru_cache(maxsize=256)
def _in_year(year: int, cal: Calendar) -> tuple[int, ...]:
    """Working days of `year` up to each of its days (inclusive), by day of the year."""
    counts, n = [], 0
    for ordinal in range(date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal() + 1):
        n += cal.is_working_day(date.fromordinal(ordinal))
        counts.append(n)
    return tuple(counts)


def labeller(language: str) -> Callable[[str, object], str]:
    """`label(kind, code)`: the readable name of a stored code in `language`."""
    catalog = translations(language)

    def label(kind: str, code: object) -> str:
        return catalog.gettext(labels.message_id(kind, code)) if code not in (None, "") else "—"

    return label


def _environment(language: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
    )
    catalog = translations(language)
    env.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
    locale = Locale.parse(_CLDR.get(language, language))

    label = labeller(language)

    def detail_value(key: str, value: object) -> object:
        """An audit detail value, with codes named (status, intents, outcome, reason...)."""
        kind = {
            "status": "status",
            "from": "status",
            "to": "status",
            "intents": "intent",
            "intent": "intent",
            "before": "intent",
            "after": "intent",
            "template": "template",
            "outcome": "outcome",
            "reason": "reason",
            "channel": "channel",
            "role": "role",
            "old": "role",
            "new": "role",
        }.get(key)
        if isinstance(value, list) and kind is not None:
            return ", ".join(label(kind, v) for v in value)
        if not isinstance(value, str):
            return value
        for known in ((kind,) if kind else ()) + ("status", "outcome", "intent", "channel"):
            if value in labels.KINDS[known]:
                return label(known, value)
        return value

    @lru_cache(maxsize=8192)
    def local_date(day: date, fmt: str) -> str:  # lists show the same few dates many times
        return format_date(day, fmt, locale=locale)

    def local(moment: datetime) -> datetime:
        return moment.astimezone(TIME_ZONE)

    env.globals.update(
        lang=language,
        languages=LANGUAGES,
        label=label,
        detail_value=detail_value,
        effective_due=effective_due,
        days_left=days_left,
        working_days_left=working_days_left,
        today=date.today,
    )
    env.filters.update(
        mask=mask,
        date=lambda d, fmt="medium": local_date(d, fmt) if d else "—",
        datetime=lambda t, fmt="short": (
            format_datetime(local(t), fmt, tzinfo=TIME_ZONE, locale=locale) if t else "—"
        ),
        number=lambda n, fmt=None: format_decimal(n, fmt, locale=locale),
        percent=lambda n: format_percent(n, locale=locale),
        labels=lambda codes, kind: ", ".join(label(kind, c) for c in codes),
        highlight=highlight,
    )
    return env


def highlight(text: str) -> Markup:
    """Escape `text`, then turn the search markers \\x01 ... \\x02 into <mark> ... </mark>."""
    return Markup(str(Markup.escape(text)).replace("\x01", "<mark>").replace("\x02", "</mark>"))


@cache
def environment(language: str) -> Environment:
    return _environment(language if language in LANGUAGES else LANGUAGES[0])
