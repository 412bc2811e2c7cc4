"""Which language a text is in, and whether a word is an everyday word there (wordfreq).

A surname that is also a common word ("Mróz" frost, "Мороз", "Kot" cat, "Young", "Brown") proves nothing when
it is capitalised only because it starts a sentence or a headline, or names a company. The matcher asks
`is_common` only about the few words that matched a watched surname, so the cost per article stays small.
The frequencies come from wordfreq's *small* lists (words from about one in a million up, ~30 languages),
read into a compact table per language (see `_table`): every process that matches holds them.

Frequency alone cannot tell a word from a famous name: news corpora make "путин" (5.1), "trump" (4.9) and
"tusk" (4.5) as frequent as "мороз" (4.1) or "rich" (4.9). What a name lacks is the forms of a word: plurals
and comparatives ("морозы", "koty", "younger", "richer") are frequent for words and absent for names
("путины", "tuski", "obamas"). So a word is everyday when it is frequent *and* one of its plural or derived
forms is frequent too.
"""

from __future__ import annotations

import gzip
import importlib.util
import re
from functools import cache, lru_cache
from pathlib import Path

import msgpack
import numpy as np

# Zipf frequency (log10 per billion words, in the small lists) from which a word may be everyday in a
# language: "mróz" 3.6, "lis" 3.1, "мороз" 4.1, "rich" 4.9 reach it.
COMMON_ZIPF = 3.0
# ... and one of its plural or derived forms reaches this; English a little more, because families make
# plurals of names ("the Clintons" 3.1).
FORM_ZIPF = {"en": 3.3}
DEFAULT_FORM_ZIPF = 3.0
# Plural and derived endings that words take and names (nearly) never do, per language; Polish and Czech
# also change the stem vowel ó → o, ů → o ("mróz" → "mrozy").
_WORD_FORMS = {
    "ru": ("ы", "и", "ами", "ах"), "uk": ("и", "і", "ами", "ах"), "pl": ("y", "i", "e", "ami", "ach"),
    "cs": ("y", "i", "e", "ami"), "sk": ("y", "i", "e", "ami"), "en": ("s", "es", "er", "est", "ed", "ing"),
    "de": ("e", "en", "er"), "fr": ("s", "x"), "es": ("s", "es"), "it": ("i", "e"), "nl": ("en", "s"),
}  # fmt: skip
_DECLINING = frozenset(["ru", "uk", "pl", "cs", "sk", "lt"])
_VOWEL_SHIFT = str.maketrans({"ó": "o", "ů": "o"})
_VOWELS = frozenset("aeiouyаеёиоуыэюяіїєáéíóúý")
# Below this everywhere, a capitalised word before a surname is more likely an unknown first name
# ("Zinzi Mandela") than an ordinary word ("Yesterday Mandela said").
RARE_ZIPF = 3.0
# A last word this common makes a term an organisation rather than a person ("Amnesty International").
WORDY_LAST_ZIPF = 4.5
# Languages a configured term is checked in to tell a person's name from an organisation's.
TERM_LANGUAGES = ("en", "de", "fr", "es", "pl", "ru")
_WORDLIST = "small"

# Letters and small words that mark a language; the first that matches wins, English is the default.
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_LANGUAGE_LETTERS = (
    ("uk", re.compile(r"[їєґЇЄҐ]")),
    ("pl", re.compile(r"[łńśźżąęŁŃŚŹŻĄĘ]")),
    ("cs", re.compile(r"[řěůŘĚŮ]")),
    ("sk", re.compile(r"[ľĺŕäôĽĹŔÔ]")),
    ("lt", re.compile(r"[ėųįūĖŲĮŪ]")),
    ("hu", re.compile(r"[őűŐŰ]")),
    ("de", re.compile(r"[ßäöüÄÖÜ]")),
    ("es", re.compile(r"[ñ¿¡Ñ]")),
)
_LANGUAGE_WORDS = {
    "pl": {"się", "jest", "nie", "oraz", "przez", "który", "że"},
    "cs": {"že", "se", "je", "jsou", "také", "který"},
    "hu": {"és", "hogy", "nem", "egy", "volt", "az"},
    "de": {"und", "der", "die", "das", "nicht", "ist", "mit"},
    "fr": {"le", "la", "les", "des", "est", "et", "une", "du"},
    "es": {"el", "los", "las", "que", "del", "y", "por"},
    "it": {"il", "che", "della", "degli", "è", "gli"},
    "nl": {"het", "een", "van", "niet", "zijn"},
    "lt": {"ir", "yra", "kad", "buvo"},
}


def text_language(text: str, words: list[str]) -> str:
    """A best guess of the text's language (a wordfreq code), from its letters and small words."""
    if _CYRILLIC_RE.search(text):
        return "uk" if _LANGUAGE_LETTERS[0][1].search(text) else "ru"
    for lang, letters in _LANGUAGE_LETTERS[1:]:
        if letters.search(text):
            return lang
    folded = {w.casefold() for w in words[:200]}
    best, hits = "en", 1
    for lang, marks in _LANGUAGE_WORDS.items():
        count = len(folded & marks)
        if count > hits:
            best, hits = lang, count
    return best


def zipf(word: str, lang: str) -> float:
    """The word's Zipf frequency in the language (0 when wordfreq does not list it), as wordfreq's
    `zipf_frequency(word, lang, wordlist="small")` gives it for a single casefolded word."""
    table = _table(lang)
    if table is None:
        return 0.0
    keys, centizipf = table
    key = hash(word)
    at = int(np.searchsorted(keys, key))
    if at < len(keys) and keys[at] == key:
        return float(centizipf[at]) / 100
    return 0.0


@cache
def _table(lang: str) -> tuple[np.ndarray, np.ndarray] | None:
    """One language's small list as sorted word hashes and their Zipf frequencies ×100.

    wordfreq itself would keep the list as a dict of strings (5–9 MB per language, plus 14 MB for importing
    it), in every process that matches: the daemon and each cleaning process. This table is 10 bytes a word
    (0.3–0.6 MB a language). The words' hashes are the process's own str hashes, so a table is only good in
    the process that built it, which is the only one that uses it.
    """
    path = _data_folder() / f"{_WORDLIST}_{lang}.msgpack.gz"
    if not path.is_file():
        return None  # a language wordfreq has no list for
    with gzip.open(path, "rb") as packed:
        data = msgpack.load(packed, raw=False)
    header, buckets = data[0], data[1:]
    if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
        raise ValueError(f"{path}: not a wordfreq frequency list")
    # cBpack: bucket i holds the words of frequency 10^(-i/100), so Zipf (log10 per billion) is 9 - i/100.
    hashes = np.fromiter((hash(w) for bucket in buckets for w in bucket), dtype=np.int64)
    levels = np.concatenate([np.full(len(b), 900 - i, dtype=np.int16) for i, b in enumerate(buckets)])
    # a word listed twice keeps its last (lowest) frequency, as wordfreq's dict does
    hashes, levels = hashes[::-1], levels[::-1]
    keys, first = np.unique(hashes, return_index=True)
    return keys, levels[first]


def _data_folder() -> Path:
    """wordfreq's data folder, found without importing wordfreq (its import loads regex and langcodes)."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or spec.origin is None:
        raise ImportError("wordfreq is not installed")
    return Path(spec.origin).parent / "data"


@lru_cache(maxsize=16_384)
def is_common(word: str, lang: str) -> bool:
    """True when the word, lower-cased, is an everyday word of the language ("mróz" in Polish), not a name."""
    key = word.casefold()
    if zipf(key, lang) < COMMON_ZIPF:
        return False
    if key[-1] in _VOWELS and lang in _DECLINING:
        return False  # a vowel-final word's plural is also a case of the name ("Dudy" is "of Duda")
    stems = {key[:-2] + key[-2:].translate(_VOWEL_SHIFT)}
    if len(key) > 3 and key[-2] == "e":
        stems.add(key[:-2] + key[-1])  # the fleeting e: "wróbel" → "wróble"
    endings = _WORD_FORMS.get(lang, ("s",))
    floor = FORM_ZIPF.get(lang, DEFAULT_FORM_ZIPF)
    return any(zipf(stem + ending, lang) >= floor for stem in stems for ending in endings)


def wordiness(word: str) -> float:
    """The highest Zipf frequency of the word in any of `TERM_LANGUAGES`."""
    return max(zipf(word.casefold(), lang) for lang in TERM_LANGUAGES)
