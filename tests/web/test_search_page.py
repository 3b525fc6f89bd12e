"""`/search` over the real app: closed cases found, words marked after escaping, numbers masked."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.engine import Engine

from privbot.models import Status
from tests.web.cases_data import make_case
from tests.web.helpers import Browser

Client = Callable[..., Browser]


def test_search_page_marks_escaped_matches_and_masks_personnummer(
    client: Client, engine: Engine
) -> None:
    make_case(
        engine,
        1,
        "Radera <b>allt</b> om mig, personnummer 19811218-9876. <script>alert(1)</script>",
        "Radera mig",
        status=Status.closed,
        requester_name="Greta <i>Holm</i>",
        requester_email="greta.holm@example.se",
    )
    anna = client("anna")
    page = anna.get("/search", params={"q": "greta.holm@example.se"}).text
    assert 'href="/cases/DS-2026-0001"' in page and "1 case matches." in page
    assert "Closed · Fulfilled" in page
    assert "<mark>greta.holm@example.se</mark>" in page
    script = anna.get("/search", params={"q": "alert"}).text
    assert "<script>alert" not in script and "&lt;script&gt;<mark>alert</mark>(1)" in script
    assert "Greta &lt;i&gt;Holm&lt;/i&gt;" in script
    by_number = anna.get("/search", params={"q": "811218-9876"}).text
    assert "DS-2026-0001" in by_number and "9876" not in by_number.replace(
        'value="811218-9876"', ""
    )
    assert "<mark>******-****</mark>" in by_number
    nothing = anna.get("/search", params={"q": "zebra"}).text
    assert "No case matches." in nothing
    assert anna.get("/search", params={"q": "x" * 201}).status_code == 422
    assert "No case matches" not in anna.get("/search").text  # an empty form, no search yet
