"""Name the language of a message's own text: sv, en, no, da, fi, de, pl, fr, es, or "other".

Counts common function words of each language (and a few letters only one language uses) in
the first few thousand characters. Words shared by neighbours (Norwegian and Danish "jeg",
"ikke") count for both, words of one language alone decide between them ("meg"/"mig",
"hva"/"hvad"). Swedish written without å/ä/ö still counts. A text that is Swedish and English
in earnest, or too short to tell, is "other"; so is a language privbot does not read.
No model to load: a few dictionary look-ups per word.
"""

from __future__ import annotations

import re
from operator import itemgetter
from typing import Final

LANGUAGES: Final = ("sv", "en", "no", "da", "fi", "de", "pl", "fr", "es")
NAMES: Final = {
    "sv": "Swedish",
    "en": "English",
    "no": "Norwegian",
    "da": "Danish",
    "fi": "Finnish",
    "de": "German",
    "pl": "Polish",
    "fr": "French",
    "es": "Spanish",
    "other": "other or unknown",
}
_WORD: Final = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# The same words in a text without an apostrophe, found without trying one after every word
_PLAIN_WORD: Final = re.compile(r"[^\W\d_]+")


def _bmp_letters() -> str:
    """The letters `[^\W\d_]` matches below U+10000, as a character class's ranges."""
    runs = re.finditer(r"[^\W\d_]+", "".join(map(chr, range(0x10000))))
    return "".join(f"{re.escape(m.group()[0])}-{re.escape(m.group()[-1])}" for m in runs)


# The same words where no character lies beyond U+FFFF (nearly every text): one look-up in a
# table per character, where `[^\W\d_]` asks Unicode for the category of each (40 % slower)
_BMP: Final = _bmp_letters()
_BMP_WORD: Final = re.compile(f"[{_BMP}]+(?:['’][{_BMP}]+)?")
_BMP_PLAIN_WORD: Final = re.compile(f"[{_BMP}]+")
_BEYOND_BMP: Final = re.compile(r"[^\x00-\uffff]")
# In an ASCII text (case-folded) the letters are a-z: the same words, found without asking
# Unicode what each character is
_ASCII_WORD: Final = re.compile(r"[a-z]+(?:'[a-z]+)?")
_ASCII_PLAIN_WORD: Final = re.compile(r"[a-z]+")
MAX_CHARS: Final = 5000

_MARKERS: Final[dict[str, str]] = {
    "sv": """och att jag det inte för som med har mina mig min mitt ni er era ert är på av till
        vill skulle kan hej tack vänliga hälsningar mvh om från också eller ska alla detta den vad
        hur varför uppgifter någon sedan även mer när där här bara får något blir ett en vi dem
        jag inga ingen kunna någonting mycket redan eftersom personuppgifter hälsning kund
        radera avregistrera sluta bort skicka snälla""",
    "en": """the and to of my me you your is are be for with have has this that please would could
        will can not any all from about data what how why which do does i it we us thanks thank
        regards dear hello hi our was an if i'm i've don't should been were they their
        unsubscribe delete remove stop""",
    "no": """jeg ikke meg og av hva hvordan hvorfor hilsen takk opplysninger mine deres dere innsyn
        vennlig også eller fra kunne noen nå ble etter gjøre sletting personopplysninger ønsker
        vil har det som med på til er kan mitt min bare hvis være hei dere noe blir bli mye
        lenge vår våre gjerne deg""",
    "da": """jeg ikke mig og af hvad hvordan hvorfor hilsen tak oplysninger venlig også eller fra
        kunne nogen nu blev efter gøre sletning personoplysninger ønsker vil har det som med på
        til er kan jeres mit min bare hvis være venligst jer gerne noget nogle bliver blive
        længe meget vores dig mine anden tage""",
    "fi": """ja on että minun tietoja tietoni pyydän kiitos ystävällisin terveisin olen ei mitä
        miten henkilötietoja te teidän tai minulle minusta hei voitteko olisi kanssa myös se
        tämä kun jos mutta vain ole haluan tietojeni""",
    "de": """ich und nicht der die das mit ist ein eine meine mein sie bitte ihre danke grüßen
        freundlichen daten für von zu auf dem den wir ihnen mich mir sehr geehrte damen herren
        habe wurde auch oder über dass""",
    "pl": """i nie się że jest na do w z mnie moje moich moich dane danych proszę dziękuję
        pozdrawiam dzień dobry jak czy oraz jestem mój mojej o od przez są być który która
        państwa wasz chcę""",
    "fr": """je et le la les des de du mes mon ma vous votre vos est pas une un pour avec que qui
        dans sur merci bonjour cordialement madame monsieur données personnelles ne suis
        souhaite demande au aux""",
    "es": """y el la los las de del mis mi sus su usted ustedes es no una un para con que por en
        gracias hola saludos datos personales señores quiero solicito me ya fue está muy""",
}
_LETTERS: Final[dict[str, str]] = {  # letters that count for a language (casefolded)
    "sv": "åäö",
    "no": "æø",
    "da": "æø",
    "de": "üß",
    "fi": "äö",
    "pl": "łąęśźżćń",
    "fr": "çèêàùœë",
    "es": "ñ¿¡á",
}
_OTHER_LETTERS: Final = "õşğıțșřěůčž"  # Estonian, Turkish, Romanian, Czech …
# Every letter above, found in one pass over the sample and then tallied per language
_ANY_LETTER: Final = re.compile(f"[{re.escape(''.join(_LETTERS.values()) + _OTHER_LETTERS)}]")
# The letters above are all outside ASCII: an ASCII text has none of them.
_ASCII_BLIND: Final = not any(c.isascii() for c in "".join(_LETTERS.values()) + _OTHER_LETTERS)
_LOOKUP: Final[dict[str, tuple[str, ...]]] = {}
for _lang, _words in _MARKERS.items():
    for _w in set(_words.split()):
        _LOOKUP[_w] = (*_LOOKUP.get(_w, ()), _lang)
_PLAIN: Final = str.maketrans("åäö", "aao")
for _w in set(_MARKERS["sv"].split()):  # Swedish written without å/ä/ö
    _plain = _w.translate(_PLAIN)
    if _plain not in _LOOKUP:
        _LOOKUP[_plain] = ("sv",)
# per marker word: the weight of each of its languages (a word of one language alone weighs
# more), and those languages
_WEIGHTED: Final = {w: (1.0 / len(langs), langs) for w, langs in _LOOKUP.items()}


def detect_language(text: str) -> str:
    """The language code of `text`; "other" for other languages, real mixes and too little text.

    A text written twice, paragraph by paragraph in two languages (a bilingual notice), is in
    the language of its first paragraph; a mix within paragraphs stays "other"."""
    found, mixed = _detect(text)
    if not mixed or "\n\n" not in text:
        return found
    paragraphs = [_detect(p)[0] for p in text[:MAX_CHARS].split("\n\n") if len(p.split()) >= 6]
    named = [lang for lang in paragraphs if lang != "other"]
    if len(named) >= 2 and len(set(named)) >= 2 and len(named) == len(paragraphs):
        return named[0]
    return "other"


def _count(letters: str, tally: dict[str, int]) -> int:
    """How many of the sample's letters are among `letters`."""
    found = 0
    for letter in letters:
        found += tally.get(letter, 0)
    return found


def _tally(letters: list[str]) -> dict[str, int]:
    """How often each letter occurs (a compiled loop: a `Counter` is made in Python, a few
    microseconds a text)."""
    tally: dict[str, int] = {}
    for letter in letters:
        tally[letter] = tally.get(letter, 0) + 1
    return tally


def _detect(text: str) -> tuple[str, bool]:
    """The language, and whether it is "other" because two languages mix."""
    sample = text[:MAX_CHARS].casefold()
    counts: dict[str, float] = {}
    plain = "'" not in sample and "’" not in sample
    if sample.isascii():
        found_words = (_ASCII_PLAIN_WORD if plain else _ASCII_WORD).findall(sample)
    elif _BEYOND_BMP.search(sample) is None:
        found_words = (_BMP_PLAIN_WORD if plain else _BMP_WORD).findall(sample)
    else:
        found_words = (_PLAIN_WORD if plain else _WORD).findall(sample)
    words = len(found_words)
    for weight, found in filter(None, map(_WEIGHTED.get, found_words)):  # marker words, in order
        for lang in found:
            counts[lang] = counts.get(lang, 0.0) + 0.5 + weight
    ascii_only = _ASCII_BLIND and sample.isascii()
    tally = _tally(_ANY_LETTER.findall(sample)) if not ascii_only else {}
    if tally:
        for lang, letters in _LETTERS.items():
            if hits := _count(letters, tally):
                counts[lang] = counts.get(lang, 0.0) + min(3.0, 0.5 * hits)
    if not counts:
        return "other", False
    if tally and _count(_OTHER_LETTERS, tally) >= 3:
        return "other", False
    best, top = max(counts.items(), key=itemgetter(1))  # the first counted of equals
    if top < (1.0 if words <= 4 else 1.5) or (words >= 12 and top < 0.12 * words):
        return "other", False  # too little of any language privbot reads
    if best in ("sv", "en"):
        other = "en" if best == "sv" else "sv"
        mixed = counts.get(other, 0.0)
        if mixed >= 4 and mixed >= 0.5 * top:
            return "other", True  # written in both
    return best, False
