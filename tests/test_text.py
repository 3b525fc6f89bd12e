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


def test_stemming_from_many_threads_at_once_is_the_same_as_from_one() -> None:
    # The worker, the web app's request threads and the chat stem at the same time; a shared
    # Snowball stemmer garbles their words or raises IndexError (seen at `privbot serve`).
    import sys
    import threading

    from privbot.text import stemmer

    words = [
        f"{w}{n}"
        for n in range(40)
        for w in ("uppgifterna", "personuppgifter", "deletion", "a", "informations")
    ]
    expected = {w: (stemmer("swedish").stemWord(w), stemmer("english").stemWord(w)) for w in words}
    failures: list[object] = []

    def work() -> None:
        try:
            for _ in range(20):
                for w in words:
                    got = (stemmer("swedish").stemWord(w), stemmer("english").stemWord(w))
                    if got != expected[w]:
                        failures.append((w, got))
        except Exception as exc:  # noqa: BLE001 - the failure under test
            failures.append(exc)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter allows
    try:
        threads = [threading.Thread(target=work) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert failures == []
