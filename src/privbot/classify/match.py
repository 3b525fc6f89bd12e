"""Classify a parsed message: its kind, language, and intents main-first with evidence.

Phrases from `intents/` are looked up through an index on their first word; only words the
index does not know are fuzzy-matched (rapidfuzz) against the phrase vocabulary, and unknown
Swedish compounds are split into known parts. A negation before a phrase in the same clause
cancels it unless the phrase is itself negative ("vill inte ha reklam"). Pure: no I/O.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from privbot.classify.intents import IntentSet, Phrase, Term
from privbot.classify.language import detect_language
from privbot.classify.normalise import NOT, Normalised, Token, normalise, stems
from privbot.classify.result import Classification, Evidence, Intent
from privbot.mail.parse import ParsedMail
from privbot.mail.prepare import Prepared, prepare
from privbot.mail.screen import Kind, screen

log = logging.getLogger(__name__)

THRESHOLD = 1.0  # an intent is reported when its evidence adds up to this
REVIEW_BELOW = 0.6  # confidence under which staff are asked to check
GAP = 3  # words allowed between two words of a phrase
NEGATION_REACH = 5  # words before a phrase a negation still reaches (same clause)
SUBJECT_FACTOR = 0.6
REPLY_SUBJECT_FACTOR = (
    0.25  # "Re: Begäran om radering" says what the thread was about, not this mail
)
FUZZY_FACTOR = 0.85
HYPOTHETICAL_FACTOR = 0.3  # "if I unsubscribe, will ...?" asks about a right, does not use it
NEGATED_FACTOR = 0.8  # "jag vill INTE att ni raderar" counts against erasure
MAX_TOKENS = 4000  # a longer text is read up to here
MAX_WORD = 40  # longer "words" (base64, URLs) are neither split nor fuzzy-matched
_REPLY_SUBJECT = re.compile(r"^\s*(?:(?:re|sv|aw|vs)\s*(?:\[\d+\])?\s*:\s*)+", re.I)
_CONDITIONAL = frozenset({"om", "if", "ifall", "whether", "huruvida", "when", "nar"})
_PRACTICE_EN = frozenset({"do", "does", "did", "are", "is", "was", "were", "have", "has"})
_REQUEST_VERBS = frozenset(
    {
        "kan",
        "kunde",
        "skulle",
        "vill",
        "far",
        "ska",
        "snalla",
        "vanligen",
        "radera",
        "ta",
        "ändra",
        "andra",
        "rata",
        "skicka",
        "sluta",
        "hjalp",
        "hjalper",
        "behover",
    }
)

Form = tuple[str, str, str, bool]  # folded word, Swedish stem, English stem, fuzzy


@dataclass(frozen=True)
class _Hit:
    phrase: Phrase
    start: int
    end: int
    fuzzy: bool


def _forms(word: str, intents: IntentSet) -> tuple[Form, ...]:
    """The word itself, plus a fuzzy correction or compound parts for words the phrases lack."""
    cached = intents.fuzz_cache.get(word)
    if cached is not None:
        return cached
    sv, en = stems(word)
    forms: list[Form] = [(word, sv, en, False)]
    known = intents.known
    if MAX_WORD >= len(word) >= 8 and word.isalpha():
        for i in range(3, len(word) - 4):  # compound: the longest known tail, and its head
            tail = word[i:]
            if len(tail) >= 5 and (
                tail in known or len(stems(tail)[0]) >= 5 and stems(tail)[0] in known
            ):
                forms.append((tail, *stems(tail), False))
                head = word[:i].rstrip("s") if len(word[:i]) > 5 else word[:i]
                if len(head) >= 5 and (head in known or stems(head)[0] in known):
                    forms.append((head, *stems(head), False))
                break
    if (
        len(forms) == 1
        and MAX_WORD >= len(word) >= 5
        and word.isalpha()
        and not ({word, sv, en} & known)
    ):
        cutoff = 88 if len(word) <= 6 else 84
        found = process.extractOne(
            word, intents.vocabulary.get(word[0], ()), scorer=fuzz.ratio, score_cutoff=cutoff
        )
        if found is not None:
            forms.append((found[0], *stems(found[0]), True))
    if len(intents.fuzz_cache) > 200_000:
        intents.fuzz_cache.clear()
    result = tuple(forms)
    intents.fuzz_cache[word] = result
    return result


def _candidates(word: str, forms: tuple[Form, ...], intents: IntentSet) -> tuple[Phrase, ...]:
    """Phrases whose first word can be this word (cached per word)."""
    cached = intents.candidate_cache.get(word)
    if cached is not None:
        return cached
    found: dict[int, Phrase] = {id(p): p for p in intents.affix.get(("infix", ""), ())}
    for w, sv, en, _ in forms:
        for key in (("sv", sv), ("en", en)):
            found.update((id(p), p) for p in intents.exact.get(key, ()))
        for key in (("prefix", w[:3]), ("suffix", w[-3:])):
            found.update((id(p), p) for p in intents.affix.get(key, ()))
    if len(intents.candidate_cache) > 200_000:
        intents.candidate_cache.clear()
    result = intents.candidate_cache[word] = tuple(found.values())
    return result


def _term_matches(term: Term, lang: str, forms: tuple[Form, ...]) -> bool | None:
    """None: no match; False: matched exactly; True: matched through a fuzzy correction."""
    for word, sv, en, fuzzy in forms:
        if term.mode == "exact":
            ok = (lang != "en" and sv == term.sv) or (lang != "sv" and en == term.en)
        elif term.mode == "prefix":
            ok = word.startswith(term.text)
        elif term.mode == "suffix":
            ok = word.endswith(term.text)
        else:
            ok = term.text in word
        if ok:
            return fuzzy
    return None


def _match_at(
    phrase: Phrase, i: int, tokens: tuple[Token, ...], forms: list[tuple[Form, ...]]
) -> _Hit | None:
    first = _term_matches(phrase.terms[0], phrase.lang, forms[i])
    if first is None:
        return None
    fuzzy, pos = first, i
    for term in phrase.terms[1:]:
        for j in range(pos + 1, min(pos + 2 + GAP, len(tokens))):
            if tokens[j].sentence != tokens[i].sentence:
                return None
            got = _term_matches(term, phrase.lang, forms[j])
            if got is not None:
                fuzzy, pos = fuzzy or got, j
                break
        else:
            return None
    return _Hit(phrase, i, pos, fuzzy)


def _negated(hit: _Hit, tokens: tuple[Token, ...]) -> bool:
    clause = tokens[hit.start].clause
    for k in range(max(0, hit.start - NEGATION_REACH), hit.end + 1):
        if tokens[k].sv == NOT and (k >= hit.start or tokens[k].clause == clause):
            return True
    return False


def _hypothetical(hit: _Hit, norm: Normalised) -> bool:
    """A question about a right rather than its use: "om jag avregistrerar mig, ...?",
    "Raderar ni uppgifter automatiskt?", "Do you delete data after ...?"."""
    tokens = norm.tokens
    sentence = tokens[hit.start].sentence
    k = hit.start
    while k > 0 and tokens[k - 1].sentence == sentence:
        k -= 1
    end = hit.end
    while end + 1 < len(tokens) and tokens[end + 1].sentence == sentence:
        end += 1
    if "?" not in norm.text[tokens[end].end : tokens[end].end + 3]:
        return False
    if any(t.word in _CONDITIONAL for t in tokens[k : hit.start + 1]):
        return True
    first, second = tokens[k].word, (tokens[k + 1].word if k + 1 < len(tokens) else "")
    if first in _PRACTICE_EN and second in ("you", "ni", "my", "the", "data", "it", "this"):
        return True
    return second in ("ni", "du") and first not in _REQUEST_VERBS


def find(norm: Normalised, intents: IntentSet) -> list[tuple[_Hit, Normalised, float]]:
    """Phrase matches in `text` with their weight multiplier (negative: explicitly negated).

    For each intent, overlapping matches count once (the heaviest), so "rätta" inside
    "rätta adressen" adds nothing more.
    """
    tokens = norm.tokens[:MAX_TOKENS]
    forms = [_forms(t.word, intents) for t in tokens]
    present_sv = {f[1] for fs in forms for f in fs}
    present_en = {f[2] for fs in forms for f in fs}
    possible: dict[int, bool] = {}
    found: list[tuple[_Hit, float]] = []
    for i, token in enumerate(tokens):
        candidates = _candidates(token.word, forms[i], intents)
        for phrase in candidates:
            key = id(phrase)
            ok = possible.get(key)
            if ok is None:
                ok = possible[key] = (phrase.lang != "en" and phrase.needs_sv <= present_sv) or (
                    phrase.lang != "sv" and phrase.needs_en <= present_en
                )
            if not ok:
                continue
            hit = _match_at(phrase, i, tokens, forms)
            if hit is None:
                continue
            if phrase.negatable and _negated(hit, tokens):
                found.append((hit, -NEGATED_FACTOR))
                continue
            factor = (FUZZY_FACTOR if hit.fuzzy else 1.0) * (
                HYPOTHETICAL_FACTOR if _hypothetical(hit, norm) else 1.0
            )
            found.append((hit, factor))
    found.sort(key=lambda hf: -hf[0].phrase.weight * abs(hf[1]))
    taken: dict[str, list[tuple[int, int]]] = {}
    kept: list[tuple[_Hit, Normalised, float]] = []
    for hit, factor in found:
        spans = taken.setdefault(hit.phrase.intent, [])
        if any(a <= hit.end and hit.start <= b for a, b in spans):
            continue
        spans.append((hit.start, hit.end))
        kept.append((hit, norm, factor))
    return kept


def _evidence(text: str, where: str, factor: float, intents: IntentSet) -> list[Evidence]:
    seen: dict[tuple[str, str], Evidence] = {}
    norm = normalise(text)
    for hit, _, mult in find(norm, intents):
        tokens = norm.tokens
        a, b = tokens[hit.start].start, tokens[hit.end].end
        source = text if len(text) == len(norm.text) else norm.text
        label = hit.phrase.source if mult > 0 else f"{hit.phrase.source} (negated)"
        e = Evidence(
            hit.phrase.intent, label, source[a:b][:120], where, hit.phrase.weight * mult * factor
        )
        key = (e.intent, e.phrase)
        if key not in seen or abs(seen[key].score) < abs(e.score):
            seen[key] = e
    for pattern in intents.patterns:
        m = pattern.regex.search(norm.text)
        if m:
            seen[(pattern.intent, pattern.source)] = Evidence(
                pattern.intent, pattern.source, m.group()[:120], where, pattern.weight * factor
            )
    return list(seen.values())


def classify_text(
    subject: str, text: str, intents: IntentSet, language: str = ""
) -> Classification:
    """Intents of a human message from its subject and prepared text."""
    bare = _REPLY_SUBJECT.sub("", subject)
    factor = REPLY_SUBJECT_FACTOR if bare != subject else SUBJECT_FACTOR
    evidence = _evidence(text, "body", 1.0, intents) + (
        _evidence(bare, "subject", factor, intents) if bare.strip() else []
    )
    scores: dict[str, float] = {}
    for e in evidence:
        scores[e.intent] = scores.get(e.intent, 0.0) + e.score
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], intents.intents[kv[0]].rank))
    chosen = [name for name, score in ranked if score >= THRESHOLD]
    chosen = [
        name
        for name in chosen
        if not any(
            other in chosen and other != name and scores[name] < need
            for other, need in intents.intents[name].yields_to.items()
        )
    ]
    if len(chosen) > 1 and Intent.other.value in chosen and chosen[0] != Intent.other.value:
        chosen.remove(Intent.other.value)  # "other" only leads, never trails a privacy intent
    if chosen:
        top = scores[chosen[0]]
        confidence = top / (top + 0.5)
    elif ranked and ranked[0][1] >= THRESHOLD / 2:
        chosen, confidence = [ranked[0][0]], ranked[0][1] / (ranked[0][1] + 1.0)
    else:
        chosen, confidence = [Intent.other.value], 0.3
    evidence.sort(
        key=lambda e: (
            e.intent not in chosen,
            chosen.index(e.intent) if e.intent in chosen else 0,
            -e.score,
        )
    )
    return Classification(
        Kind.human,
        language or detect_language(text),
        tuple(chosen),
        round(min(confidence, 0.99), 3),
        tuple(evidence),
        needs_review=confidence < REVIEW_BELOW,
    )


def classify_message(mail: ParsedMail, prepared: Prepared, intents: IntentSet) -> Classification:
    """Intents of a message screening found human, from its subject and its own new text."""
    language = detect_language(prepared.new_text or mail.text)
    return classify_text(mail.subject, prepared.new_text, intents, language)


def classify_prepared(
    mail: ParsedMail, prepared: Prepared, intents: IntentSet, own_addresses: Iterable[str] = ()
) -> Classification:
    """`classify` for a message `prepare` has already read: screening, then intents."""
    screening = screen(mail, own_addresses, intents.screening, prepared.new_text)
    if screening.kind is Kind.human:
        return classify_message(mail, prepared, intents)
    language = detect_language(prepared.new_text or mail.text)
    if language == "other" and not prepared.new_text.strip():
        language = detect_language(mail.text)
    return Classification(screening.kind, language, (), 1.0, reasons=screening.reasons)


def classify(
    mail: ParsedMail, intents: IntentSet, own_addresses: Iterable[str] = ()
) -> Classification:
    """Kind, language and intents (main first) of `mail`, with confidence and evidence."""
    return classify_prepared(mail, prepare(mail), intents, own_addresses)
