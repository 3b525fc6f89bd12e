"""Load and validate the intent definitions in `intents/` and index their phrases for matching.

One TOML file per intent (the file name is the intent); `_kinds.toml` holds the texts that
mark auto-replies, bounces and spam; `_lexicon.toml` the word groups (actions, objects, the
request mood, per language) that an intent's `[[rules]]` compose. The schema is described in
`intents/README.md`. A bad
file raises `ConfigError` naming the file (and line where TOML gives one). Matching a
message against the index is `classify/match.py`'s job.
"""

from __future__ import annotations

import importlib
import logging
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from privbot.classify.compose import Rule, group_key
from privbot.classify.normalise import NOT, phrase_words, stems
from privbot.classify.result import Intent, IntentName
from privbot.errors import ConfigError
from privbot.mail.screen import ScreenRules

log = logging.getLogger(__name__)

LANGS = ("sv", "en", "any")
# Languages a lexicon group may list; sv and en match by stem, the others as "any".
LEXICON_LANGS = ("sv", "en", "no", "da", "fi", "de", "pl", "fr", "es")
GROUP_KINDS = ("action", "object", "mood", "context")


@dataclass(frozen=True, eq=False)
class Term:
    """One word of a phrase: `exact` compares stems, `prefix`/`suffix`/`infix` folded text.

    Each phrase has terms of its own, compared and hashed by identity: matching remembers per
    word which terms it matches, with the term as the key."""

    mode: str  # exact | prefix | suffix | infix
    text: str  # folded word without `*`
    sv: str  # Swedish stem (exact mode)
    en: str  # English stem (exact mode)


@dataclass(frozen=True)
class Phrase:
    intent: str
    source: str  # as written in the file, shown to staff as evidence
    lang: str  # "sv", "en" or "any"
    terms: tuple[Term, ...]
    weight: float
    negatable: bool  # False: a negation before it does not cancel it
    negative: bool  # the phrase itself contains a negation ("vill inte ha reklam")
    group: bool = False  # a lexicon word ("action:delete"): found for rules, scores nothing
    lead_not: bool = False  # starts with a negation followed by another word
    needs_sv: frozenset[str] = frozenset()  # stems of its exact words: a quick test before matching
    needs_en: frozenset[str] = frozenset()
    # names what the mail is about ("nyhetsbrev"), not that anything is asked: it adds to the
    # sum, but is never the strong piece an intent needs (see README.md, "Weights")
    topic: bool = False


@dataclass(frozen=True)
class Pattern:
    intent: str
    source: str
    regex: re.Pattern[str]
    weight: float
    # texts of which every match contains one (`needed_texts`): where all are absent, no search
    # is needed
    needs: tuple[str, ...] = ()
    # the patterns needing the same texts as one regex ("art. 15", "art. 17", …): where it finds
    # nothing, none of them is searched (set by `RuleSet.build_index`)
    together: re.Pattern[str] | None = None
    # a text every one of `needs` holds ("name is " of "my name is ", "my surname is ", …):
    # where it is absent, none of them need be looked for ("": none worth looking for)
    shared: str = ""
    # the place of `needs` among the patterns' distinct needs, and of `shared` among their
    # shared texts (set by `RuleSet.build_index`): matching remembers what it found of each
    # per text by these numbers (a tuple of texts as a key is hashed again at every look-up)
    needs_at: int = 0
    shared_at: int = 0


# `\b` and a word at the start of a regex (not the word's last letter where a quantifier follows)
_LEADING_WORD = re.compile(r"\\b([a-z0-9 ]+)(?![?*+{])")


def searched_as(regex: re.Pattern[str]) -> re.Pattern[str]:
    """`regex`, or where it opens with `\\b` and a word ("\\bart[a-z]…"), the same with the word
    first and the `\\b` looked back at ("art(?<=\\bart)[a-z]…"): it matches the same text at the
    same place, with the same groups. A regex that opens with a literal is searched for it; one
    that opens with `\\b` is tried at every place, about 13 times slower."""
    lead = _LEADING_WORD.match(regex.pattern)
    if lead is None:
        return regex
    word = lead.group(1)
    return re.compile(f"{word}(?<=\\b{word}){regex.pattern[lead.end() :]}", regex.flags)


def needed_texts(regex: re.Pattern[str]) -> tuple[str, ...]:
    """Texts of which every match of `regex` contains one ("changed to", "is now", … for
    "\\b(?:changed to|is now|…)"), the most telling such set; () when none is certain (a
    case-blind pattern, or one made of character classes)."""
    if regex.flags & re.IGNORECASE:
        return ()
    try:
        parser = importlib.import_module("re._parser")  # what `re` compiles with (3.11+)
        constants = importlib.import_module("re._constants")
        best = _best(_needed(list(parser.parse(regex.pattern, regex.flags)), constants))
    except Exception:  # another Python's parser: search every text
        return ()
    if best is None or min(map(len, best)) < 2 or len(best) > 32:
        return ()
    return tuple(sorted(best))


def _needed(items: list[Any], c: Any) -> list[frozenset[str]]:
    """Sets of texts of which every match of the parsed sequence `items` contains one: the
    runs of literal text (spelled out through alternatives, "tog (?:er|ni)" as "tog er" or
    "tog ni"), and what each group, alternative and repeat needs."""
    found: list[frozenset[str]] = []
    run: set[str] = {""}
    for item in items:
        spelled = _spelled([item], c)
        if spelled is not None and len(run) * len(spelled) <= _SPELLED:
            run = {r + s for r in run for s in spelled}
            continue
        if run != {""} and "" not in run:
            found.append(frozenset(run))
        run = {""}
        if spelled is not None:
            run = set(spelled)
            continue
        op, arg = item
        if op is c.SUBPATTERN and not arg[1] & re.IGNORECASE:
            found += _needed(list(arg[-1]), c)
        elif op is c.BRANCH:
            options = [_best(_needed(list(branch), c)) for branch in arg[1]]
            if all(option is not None for option in options):
                found.append(frozenset().union(*(o for o in options if o is not None)))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and arg[0] >= 1:
            found += _needed(list(arg[2]), c)
        # anything else (a class, any character, a back-reference, a look-around, \b)
        # needs no text of its own
    if run != {""} and "" not in run:
        found.append(frozenset(run))
    return found


_SPELLED = 16  # the most texts a run of literal text is spelled out as


def _spelled(items: list[Any], c: Any) -> set[str] | None:
    """Every text the parsed sequence `items` can match when it is made of literal text,
    groups, alternatives and optional parts only ("(?:mitt )?namn": "namn", "mitt namn");
    else None."""
    texts = {""}
    for op, arg in items:
        if op is c.LITERAL:
            texts = {t + chr(arg) for t in texts}
            continue
        if op is c.AT:  # \b and the like match no text
            continue
        if op is c.SUBPATTERN and not arg[1] & re.IGNORECASE:
            inner = _spelled(list(arg[-1]), c)
        elif op is c.BRANCH:
            options = [_spelled(list(branch), c) for branch in arg[1]]
            inner = set().union(*options) if all(o is not None for o in options) else None  # type: ignore[arg-type]
        elif op is c.MAX_REPEAT and arg[0] == 0 and arg[1] == 1:
            inner = _spelled(list(arg[2]), c)
            inner = None if inner is None else inner | {""}
        else:
            return None
        if inner is None or len(texts) * len(inner) > 4 * _SPELLED:
            return None
        texts = {t + i for t in texts for i in inner}
    return texts


def _best(sets: list[frozenset[str]]) -> frozenset[str] | None:
    """The set whose shortest text is longest (the rarest to occur by chance), or None."""
    # past six letters a text is rare enough: then the fewer texts to look for, the better
    best = max(sets, key=lambda s: (min(6, *map(len, s)), -len(s)), default=None)
    # a text holding "took you over " holds "took you ": the shorter one is enough to look for
    return (
        None
        if best is None
        else frozenset(t for t in best if not any(o in t for o in best if o != t))
    )


_SHARED = 4  # the shortest shared text worth looking for: shorter ones are in most texts


def _shared_text(texts: tuple[str, ...]) -> str:
    """The longest text that each of several `texts` holds, if it is at least `_SHARED` long;
    else ""."""
    if len(texts) < 2:
        return ""
    shortest = min(texts, key=len)
    for size in range(len(shortest), _SHARED - 1, -1):
        for start in range(len(shortest) - size + 1):
            part = shortest[start : start + size]
            if all(part in text for text in texts):
                return part
    return ""


@dataclass(frozen=True)
class IntentDef:
    name: str
    description: str
    rank: int  # breaks ties for the main intent: lower wins
    yields_to: dict[str, float] = field(default_factory=dict)  # intent -> score needed beside it
    reports: tuple[str, ...] = ()  # object groups named in the result when found beside it


@dataclass
class RuleSet:
    """What `intents/` holds, loaded: each intent's definition by name, its phrases indexed by
    the first word, the composed rules, and the screening rules. (`Case.intents` and a
    classification's `intents` are tuples of `IntentName`s, not rule sets.)"""

    intents: dict[IntentName, IntentDef]
    phrases: list[Phrase]
    patterns: list[Pattern]
    screening: ScreenRules
    rules: list[Rule] = field(default_factory=list)
    exact: dict[tuple[str, str], list[Phrase]] = field(
        default_factory=dict
    )  # (lang, stem) -> phrases
    affix: dict[tuple[str, str], list[Phrase]] = field(default_factory=dict)  # wildcard first words
    vocabulary: dict[str, list[str]] = field(default_factory=dict)  # first letter -> folded words
    known: set[str] = field(default_factory=set)  # folded words and stems no fuzzing is needed for
    fuzz_cache: dict[str, tuple[tuple[str, str, str, bool], ...]] = field(
        default_factory=dict
    )  # word -> forms
    # word -> (one-word phrases it matches, with fuzzy flag; longer phrases it may start)
    candidate_cache: dict[str, tuple[tuple[tuple[Phrase, bool], ...], tuple[Phrase, ...]]] = field(
        default_factory=dict
    )
    # word -> everything `classify/match.py` keeps about it (its `_Word`)
    word_cache: dict[str, Any] = field(default_factory=dict)
    topics: set[tuple[str, str]] = field(default_factory=set)  # (intent, source) of topic words

    def build_index(self) -> None:
        exact: dict[tuple[str, str], list[Phrase]] = defaultdict(list)
        affix: dict[tuple[str, str], list[Phrase]] = defaultdict(list)
        vocab: dict[str, set[str]] = defaultdict(set)
        self.topics = {(p.intent, p.source) for p in self.phrases if p.topic}
        for phrase in self.phrases:
            # "inte använda": indexed by its second word, or every "inte" would try them all
            first = phrase.terms[1] if phrase.lead_not else phrase.terms[0]
            if first.mode == "exact":
                for lang in ("sv", "en") if phrase.lang == "any" else (phrase.lang,):
                    exact[(lang, _stem(first.text, lang))].append(phrase)
            elif first.mode == "prefix":
                affix[("prefix", first.text[:3])].append(phrase)
            elif first.mode == "suffix":
                affix[("suffix", first.text[-3:])].append(phrase)
            else:
                affix[("infix", "")].append(phrase)
            for term in phrase.terms:
                if term.sv != NOT and len(term.text) >= 4:
                    if not phrase.group:  # lexicon words are too many to guess misspellings of
                        vocab[term.text[0]].add(term.text)
                    self.known.update((term.text, *stems(term.text)))
        self.exact = dict(exact)
        self.affix = dict(affix)
        self.vocabulary = {k: sorted(v) for k, v in vocab.items()}
        self.patterns = _together(self.patterns)


def _together(patterns: list[Pattern]) -> list[Pattern]:
    """`patterns`, each with the patterns needing the same texts joined in one regex when
    several do, and its needs and shared text numbered. Only patterns without groups are
    joined (a backreference would change meaning): then the alternation matches somewhere
    exactly when one of them does."""
    by_needs: dict[tuple[str, ...], list[Pattern]] = defaultdict(list)
    for pattern in patterns:
        by_needs[pattern.needs].append(pattern)
    joined: dict[tuple[str, ...], re.Pattern[str]] = {}
    for needs, shared in by_needs.items():
        if len(shared) > 1 and all(
            p.regex.groups == 0 and not p.regex.flags & ~re.UNICODE for p in shared
        ):
            try:
                joined[needs] = re.compile("|".join(f"(?:{p.regex.pattern})" for p in shared))
            except re.error:  # a pattern's inline flags hold only at its start
                continue
    needs_at = {needs: n for n, needs in enumerate(by_needs)}
    shared_at: dict[str, int] = {}
    for pattern in patterns:
        shared_at.setdefault(pattern.shared, len(shared_at))
    return [
        replace(
            p,
            together=joined.get(p.needs),
            needs_at=needs_at[p.needs],
            shared_at=shared_at[p.shared],
        )
        for p in patterns
    ]


def _stem(word: str, lang: str) -> str:
    sv, en = stems(word)
    return en if lang == "en" else sv


def _term(word: str) -> Term:
    core = word.strip("*")
    if word.startswith("*") and word.endswith("*") and len(word) > 2:
        return Term("infix", core, core, core)
    if word.endswith("*"):
        return Term("prefix", core, core, core)
    if word.startswith("*"):
        return Term("suffix", core, core, core)
    return Term("exact", core, *stems(core))


def _weight(value: object, where: str, default: bool = True) -> tuple[float, bool, bool]:
    """(weight, negatable, topic) of a phrase's value: a number or
    `{ weight = …, negatable = …, topic = … }`; a topic word is never negatable."""
    if isinstance(value, bool):
        raise ConfigError(f"{where}: weight must be a number, not true/false")
    if isinstance(value, (int, float)):
        return float(value), default, False
    if isinstance(value, dict):
        unknown = set(value) - {"weight", "negatable", "topic"}
        if unknown or "weight" not in value:
            raise ConfigError(
                f"{where}: expected {{ weight = <number>, negatable = <bool>, topic = <bool> }}"
            )
        weight, _, _ = _weight(value["weight"], where)
        topic = value.get("topic", False)
        negatable = value.get("negatable", default and not topic)
        if not isinstance(negatable, bool) or not isinstance(topic, bool):
            raise ConfigError(f"{where}: negatable and topic must be true or false")
        return weight, negatable, topic
    raise ConfigError(f"{where}: weight must be a number or a table")


def _load_intent(
    path: Path, data: dict[str, object]
) -> tuple[IntentDef, list[Phrase], list[Pattern]]:
    name = path.stem
    allowed = {
        "description",
        "rank",
        "phrases",
        "patterns",
        "yields_to",
        "negatable",
        "rules",
        "reports",
    }
    if unknown := set(data) - allowed:
        raise ConfigError(f"{path}: unknown key(s) {sorted(unknown)}; allowed: {sorted(allowed)}")
    description = data.get("description", "")
    rank = data.get("rank", 50)
    if not isinstance(description, str) or not isinstance(rank, int) or isinstance(rank, bool):
        raise ConfigError(f"{path}: description must be a string and rank an integer")
    default = data.get("negatable", True)
    if not isinstance(default, bool):
        raise ConfigError(f"{path}: negatable must be true or false")
    yields = data.get("yields_to", {})
    if not isinstance(yields, dict):
        raise ConfigError(f"{path}: [yields_to] must be a table of intent = score")
    yields_to: dict[str, float] = {}
    for other, need in yields.items():
        if other not in Intent.__members__:
            raise ConfigError(f"{path}: yields_to {other!r} is not an intent")
        yields_to[other], _, _ = _weight(need, f"{path}: yields_to {other!r}")
    phrases: list[Phrase] = []
    table = data.get("phrases", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [phrases] must be a table of languages")
    for lang, entries in table.items():
        if lang not in LANGS or not isinstance(entries, dict):
            raise ConfigError(f"{path}: [phrases.{lang}] must be one of {LANGS} and a table")
        for source, value in entries.items():
            where = f"{path}: phrases.{lang} {source!r}"
            weight, negatable, topic = _weight(value, where, default)
            phrases.append(_phrase(name, source, lang, weight, negatable, where, topic))
    patterns: list[Pattern] = []
    ptable = data.get("patterns", {})
    if not isinstance(ptable, dict):
        raise ConfigError(f"{path}: [patterns] must be a table of regex = weight")
    for source, value in ptable.items():
        where = f"{path}: patterns {source!r}"
        weight, _, _ = _weight(value, where)
        try:
            regex = re.compile(source)
        except re.error as exc:
            raise ConfigError(f"{where}: bad regular expression: {exc}") from None
        needs = needed_texts(regex)
        patterns.append(
            Pattern(name, source, searched_as(regex), weight, needs, shared=_shared_text(needs))
        )
    reports = data.get("reports", [])
    if not isinstance(reports, list) or not all(isinstance(r, str) for r in reports):
        raise ConfigError(f"{path}: reports must be a list of object group names")
    definition = IntentDef(name, description, rank, yields_to, tuple(reports))
    return definition, phrases, patterns


def _phrase(
    name: str,
    source: str,
    lang: str,
    weight: float,
    negatable: bool,
    where: str,
    topic: bool = False,
) -> Phrase:
    words = phrase_words(source)
    if not words or any(len(w.strip("*")) < 3 and "*" in w for w in words):
        raise ConfigError(f"{where}: no words, or a wildcard word shorter than 3 letters")
    terms = tuple(_term(w) for w in words)
    negative = any(t.sv == NOT for t in terms)
    exact = [t for t in terms if t.mode == "exact"]
    return Phrase(
        name,
        source,
        lang,
        terms,
        weight,
        negatable and not negative,
        negative,
        ":" in name,
        len(terms) > 1 and terms[0].sv == NOT and terms[1].sv != NOT,
        frozenset(t.sv for t in exact),
        frozenset(t.en for t in exact),
        topic,
    )


def _without_umlauts(word: str) -> str:
    return word.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")


def _load_lexicon(path: Path, data: dict[str, object]) -> list[Phrase]:
    """`[action.NAME]`, `[object.NAME]`, `[mood.NAME]` tables of language = [words]."""
    phrases: list[Phrase] = []
    if unknown := set(data) - set(GROUP_KINDS):
        raise ConfigError(f"{path}: unknown table(s) {sorted(unknown)}; allowed: {GROUP_KINDS}")
    for kind, groups in data.items():
        if not isinstance(groups, dict):
            raise ConfigError(f"{path}: [{kind}] must hold tables of word groups")
        for group, languages in groups.items():
            where = f"{path}: [{kind}.{group}]"
            if not isinstance(languages, dict):
                raise ConfigError(f"{where}: must be a table of language = [words]")
            for lang, words in languages.items():
                if lang not in LEXICON_LANGS:
                    raise ConfigError(f"{where}: {lang!r} is not one of {LEXICON_LANGS}")
                if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                    raise ConfigError(f"{where}: {lang} must be a list of words")
                match_lang = lang if lang in ("sv", "en") else "any"
                if lang == "de":  # "Datenschutzbehoerde", "loeschen": umlauts typed as ae, oe, ue
                    words = words + [_without_umlauts(w) for w in words if _without_umlauts(w) != w]
                for word in words:
                    phrases.append(
                        _phrase(
                            f"{kind}:{group}", word, match_lang, 0.0, False, f"{where} {word!r}"
                        )
                    )
    return phrases


def _names(value: object, where: str) -> tuple[str, ...]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ConfigError(f"{where}: expected a group name or a list of group names")
    return tuple(names)


def _load_rules(path: Path, data: dict[str, object], groups: set[str]) -> list[Rule]:
    """An intent's `[[rules]]`: action = [...], object = [...], weight, mood."""
    table = data.get("rules", [])
    if not isinstance(table, list):
        raise ConfigError(f"{path}: rules must be written as [[rules]] tables")
    rules: list[Rule] = []
    for n, entry in enumerate(table, 1):
        where = f"{path}: rule {n}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: must be a table")
        if unknown := set(entry) - {
            "action",
            "object",
            "weight",
            "mood",
            "needs",
            "unless",
            "near",
            "someone_elses",
        }:
            raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}")
        actions = _names(entry.get("action"), f"{where} action")
        objects = _names(entry.get("object"), f"{where} object")
        needs = _names(entry["needs"], f"{where} needs") if "needs" in entry else ()
        unless = _names(entry["unless"], f"{where} unless") if "unless" in entry else ()
        for kind, names in (
            ("action", actions),
            ("object", objects),
            ("context", needs),
            ("context", unless),
        ):
            for name in names:
                if group_key(kind, name) not in groups:
                    shown = name if "." in name else f"{kind}.{name}"
                    raise ConfigError(f"{where}: no [{shown}] in _lexicon.toml")
        weight, _, _ = _weight(entry.get("weight", 1.0), f"{where} weight")
        mood, near = entry.get("mood", True), entry.get("near", True)
        elses = entry.get("someone_elses", False)
        if not all(isinstance(v, bool) for v in (mood, near, elses)):
            raise ConfigError(f"{where}: mood, near and someone_elses must be true or false")
        source = f"{'|'.join(actions)} + {'|'.join(objects)}"
        rules.append(
            Rule(path.stem, actions, objects, weight, mood, source, needs, unless, near, elses)
        )
    reports = data.get("reports", [])
    for name in reports if isinstance(reports, list) else []:
        if f"object:{name}" not in groups:
            raise ConfigError(f"{path}: reports {name!r}: no [object.{name}] in _lexicon.toml")
    return rules


def _read(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None  # tomllib's message names line and column
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None


def load_intents(directory: Path) -> RuleSet:
    """Read every `*.toml` in `directory`; each intent of `Intent` must have its file."""
    if not directory.is_dir():
        raise ConfigError(f"{directory}: intents directory not found")
    intents: dict[str, IntentDef] = {}
    phrases: list[Phrase] = []
    patterns: list[Pattern] = []
    screening = ScreenRules()
    rule_data: list[tuple[Path, dict[str, object]]] = []
    for path in sorted(directory.glob("*.toml")):
        data = _read(path)
        if path.name == "_kinds.toml":
            screening = ScreenRules.from_data(data, str(path))
            continue
        if path.name == "_lexicon.toml":
            phrases.extend(_load_lexicon(path, data))
            continue
        if path.name.startswith("_"):
            continue
        if path.stem not in Intent.__members__:
            raise ConfigError(
                f"{path}: {path.stem!r} is not an intent; expected one of {list(Intent.__members__)}"
            )
        definition, found, regexes = _load_intent(path, data)
        rule_data.append((path, data))
        intents[definition.name] = definition
        phrases.extend(found)
        patterns.extend(regexes)
    if missing := set(Intent.__members__) - set(intents):
        raise ConfigError(f"{directory}: missing intent file(s): {sorted(missing)}")
    groups = {p.intent for p in phrases if p.group}
    rules = [rule for path, data in rule_data for rule in _load_rules(path, data, groups)]
    result = RuleSet(intents, phrases, patterns, screening, rules)
    result.build_index()
    log.info(
        "loaded %d intents, %d phrases, %d rules, %d patterns",
        len(intents),
        len(phrases),
        len(rules),
        len(patterns),
    )
    return result
